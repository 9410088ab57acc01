const { chromium } = require('@playwright/test');
const fs = require('fs');
(async () => {
  const creds = fs.readFileSync('/tmp/demo/demo-credentials.csv', 'utf8').split('\n').map(l => l.split(';'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  for (const width of [1280, 390]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, baseURL: 'http://127.0.0.1:3900' });
    const page = await ctx.newPage();
    const line = creds.find(p => p[0] === 'advisor');
    await page.goto('/anmelden');
    await page.getByLabel('E-Mail-Adresse').fill(line[1]);
    await page.getByLabel('Passwort', { exact: false }).first().fill(line[2]);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForLoadState('networkidle');
    await page.goto('/abfragen/3');
    await page.getByText('Gewicht und Empfehlungen von »Online-Leistungen« ändern').click();
    await page.getByLabel('Gewicht (0 bis 10; 0: zählt nicht zur Gesamtwertung)').nth(1).fill('11');
    await page.getByRole('button', { name: /Gewicht und Empfehlungen speichern.*Online-Leistungen/ }).click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `/tmp/shots/settings-refused-${width}.png`, fullPage: false });
    console.log(await page.getByRole('alert').allInnerTexts());
    await page.goto('/abfragen');
    await page.screenshot({ path: `/tmp/shots/list-${width}.png`, fullPage: true });
    await ctx.close();
  }
  await browser.close();
})();
