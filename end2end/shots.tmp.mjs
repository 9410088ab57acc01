import { chromium } from 'playwright';
import { readFileSync } from 'node:fs';
const [base, creds, out] = process.argv.slice(2);
const cred = (role) => readFileSync(creds, 'utf8').split('\n').map((l) => l.split(';')).find((p) => p[0] === role);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const width of [1280, 390]) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, locale: 'de-DE', javaScriptEnabled: false });
  const line = cred('clerk');
  await page.goto(base + '/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(line[1]);
  await page.getByLabel('Passwort', { exact: false }).first().fill(line[2]);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/anmelden'));
  await page.screenshot({ path: `${out}/start-clerk-${width}.png`, fullPage: true });
  await page.getByRole('region', { name: 'Offene Abfragen des Landes' }).getByRole('link').first().click();
  await page.screenshot({ path: `${out}/antwort-${width}.png`, fullPage: true });
  await page.getByRole('region', { name: 'Organisation' }).getByLabel('Wie viele Stellen arbeiten an der Digitalisierung? (in Vollzeitstellen)').fill('9999');
  await page.getByRole('button', { name: 'Abschnitt »Organisation« speichern' }).click();
  await page.screenshot({ path: `${out}/antwort-fehler-${width}.png`, fullPage: true });
  await page.close();
}
await browser.close();
