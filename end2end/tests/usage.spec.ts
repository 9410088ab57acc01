import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test } from './fixtures';
import { expectAccessible, login } from './helpers';

// Usage figures and the link check. On the portal without demo data the Land imports the
// example file of the ZSK (a refused file first) and a visitor reads the figures; on the demo
// portal the demo clerk finds the broken address from the start page and enters an own figure
// (a refused submit first).
const example = fs.readFileSync(path.join(__dirname, '..', '..', 'data', 'beispiel-nutzungszahlen.csv'));

test('the Land imports the ZSK figures and a visitor reads them per Leistung and Kreis', async ({ page, browser }) => {
  await login(page, 'advisor');
  await page.goto('/lagebild/nutzung');
  await page.getByText('Nutzungszahlen der ZSK einlesen').click();
  const bad = Buffer.from(String(example).replace('150020000000;1.104', '159990000000;1.104'));
  await page.getByLabel('CSV- oder Excel-Datei (XLSX)').setInputFiles({ name: 'zsk.csv', mimeType: 'text/csv', buffer: bad });
  await page.getByRole('button', { name: 'Einlesen' }).click();
  await expect(page.getByRole('alert')).toContainText('Zeile 4, Spalte »ars«: den Regionalschlüssel »159990000000« kennt das Portal nicht');
  await expect(page.getByRole('alert')).toContainText('Es wurde nichts gespeichert.');
  await page.goto('/lagebild/nutzung');
  await page.getByText('Nutzungszahlen der ZSK einlesen').click();
  await page.getByLabel('CSV- oder Excel-Datei (XLSX)').setInputFiles({ name: 'zsk.csv', mimeType: 'text/csv', buffer: example });
  await page.getByRole('button', { name: 'Einlesen' }).click();
  await expect(page.getByRole('status')).toContainText('Import abgeschlossen: 8 Zahlen übernommen.');
  await expect(page.getByRole('table', { name: /Vorgänge in Sachsen-Anhalt/ })).toContainText('Wohnsitzmeldungen');
  await expectAccessible(page, 'Nutzung nach dem Import (Land)');

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/lagebild/nutzung');
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Nutzung der Online-Dienste');
  await visitor.getByRole('link', { name: 'Wohnsitzmeldungen' }).click();
  await expect(visitor.getByRole('table', { name: 'Wohnsitzmeldungen: Vorgänge je Kreis in den zwölf Monaten' })).toBeVisible();
  // Magdeburg and Halle are one Kommune each: withheld for the public.
  await expect(visitor.getByRole('row', { name: /Magdeburg/ })).toContainText('•');
  await expect(visitor.getByRole('table', { name: 'Wohnsitzmeldungen: Vorgänge je Monat im Land' })).toContainText('November 2026');
  await expectAccessible(visitor, 'Nutzung einer Leistung je Kreis und Monat (öffentlich)');
});

test.describe('on the demo portal', () => {
  test.use({ baseURL: process.env.DEMO_URL });
  const file = process.env.DEMO_FULL_CREDENTIALS;

  test('a clerk finds the broken address from the start page and enters an own figure', async ({ page }) => {
    await login(page, 'clerk', file);
    await expect(page.getByRole('table', { name: /je 1\.000 Einwohner im Vergleich/ }).first()).toBeVisible();
    await page.getByRole('link', { name: /Online-Adressen, die nicht erreichbar sind: 1/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nicht erreichbare Online-Adressen');
    await expect(page.getByRole('table', { name: /Eintrag mit nicht erreichbarer Adresse/ })).toContainText('antwortet mit einem Fehler: HTTP 404');
    await expectAccessible(page, 'Nicht erreichbare Online-Adressen (Kommune)');

    await page.goto('/kommunen/15003000/nutzung');
    await expect(page.getByRole('table', { name: 'Vorgänge je Leistung und Monat' })).toContainText('ZSK');
    await page.getByLabel('Vorgänge im Monat').fill('viele');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByRole('alert')).toContainText('Bitte wählen Sie die OZG-Leistung.');
    await expect(page.getByLabel('Vorgänge im Monat')).toHaveValue('viele');
    await expectAccessible(page, 'Abgelehnte eigene Nutzungszahl');
    await page.getByLabel('OZG-Leistung').selectOption('10001');
    await page.getByLabel('Vorgänge im Monat').fill('12');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByRole('status')).toContainText('Die Zahl ist gespeichert.');
    await expect(page.getByRole('row', { name: /Vaterschafts/ })).toContainText('eigene Angabe');
  });
});
