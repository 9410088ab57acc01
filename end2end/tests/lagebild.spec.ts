import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import { expectAccessible, expectAccessibleWithoutJs, login, waitForHydration, watchConsole } from './helpers';

test('an association reads the map and the chart, drills into a Kreis, reads its table and exports CSV', async ({ page }) => {
  const problems = watchConsole(page);
  await login(page, 'association');
  await page.getByRole('link', { name: 'Lagebild' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lagebild: Sachsen-Anhalt');
  await waitForHydration(page);
  await expect(page.getByText('Mitglieder des Städte- und Gemeindebunds').first()).toBeVisible();
  // The chart has a name and its table; the map has a link per Kreis and a legend.
  await expect(page.getByRole('img', { name: /Kommune-Leistung-Paare je Umsetzungsstand/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Umsetzungsstand als Tabelle' })).toBeVisible();
  const regions = page.locator('a.map-region');
  await expect(regions).toHaveCount(14);
  await expect(page.getByText('GeoBasis-DE / BKG')).toBeVisible();
  await expectAccessible(page, 'Lagebild des Landes (Verband)');
  // Filtering happens in the page when JavaScript is on.
  await page.getByLabel('Themenfeld', { exact: true }).selectOption({ label: 'Bildung' });
  await page.getByRole('button', { name: 'Anzeigen' }).click();
  await expect(page).toHaveURL(/themenfeld=Bildung/);
  await expect(page.getByText('Auswahl: Themenfeld »Bildung«')).toBeVisible();
  await expect(page.getByLabel('Themenfeld', { exact: true })).toHaveValue('Bildung');
  // Keyboard: focus the map region of the Harz and open it with Enter.
  await page.getByRole('link', { name: /^Harz: / }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lagebild: Harz');
  const table = page.getByRole('table', { name: 'Kennzahlen je Themenfeld' });
  await expect(table).toBeVisible();
  // The chosen Themenfeld travels with the drill-down.
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr').first()).toContainText('Bildung');
  await expect(page.getByText('Kommunen des Kreises')).toHaveCount(0);
  // The trend of this selection, with the distributions behind a disclosure.
  await expect(page.getByRole('table', { name: 'Verlauf je Monat als Tabelle' }).locator('tbody tr')).toHaveCount(12);
  await page.getByText('Umsetzungsstand und Reifegrade je Monat').click();
  await expect(page.getByRole('table', { name: 'Umsetzungsstand je Monat (Kommune-Leistung-Paare)' }).locator('tbody tr')).toHaveCount(12);
  await expect(page.getByRole('table', { name: 'Reifegradmodell 2.0 je Monat (Kommune-Leistung-Paare)' })).toBeVisible();
  await expectAccessible(page, 'Lagebild eines Kreises (Verband)');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'CSV (Semikolon, UTF-8)' }).click();
  const text = readFileSync((await (await download).path())!, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text).toContain('Tabelle;Gebiet oder Themenfeld;Schlüssel;Kommunen');
  expect(text).toContain('Definition: Flächendeckend;');
  expect(text).toContain('Gezählt über;Städte, Gemeinden und Verbandsgemeinden');
  expect(text).toContain('Auswahl;Themenfeld »Bildung«');
  expect(problems).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the public page shows its figures, map and definitions and filters by Themenfeld', async ({ page, browser }) => {
    await page.goto('/lagebild');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lagebild: Sachsen-Anhalt');
    await expect(page.getByRole('heading', { name: 'Wie wird gezählt?' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Kennzahlen je Kreis' }).locator('tbody tr')).toHaveCount(14);
    // A kreisfreie Stadt is one Kommune: no figures for it.
    await expect(page.getByRole('row', { name: /Dessau-Roßlau/ })).toContainText('•');
    // The trend as a chart with its table: twelve month ends.
    await expect(page.getByRole('img', { name: /Online-Quote und OZG-konforme Quote je Monat/ })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Verlauf je Monat als Tabelle' }).locator('tbody tr')).toHaveCount(12);
    await expectAccessibleWithoutJs(page, browser, 'öffentliches Lagebild');
    await page.getByLabel('Themenfeld', { exact: true }).selectOption({ label: 'Bildung' });
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await expect(page).toHaveURL(/themenfeld=Bildung/);
    await expect(page.getByText('Auswahl: Themenfeld »Bildung«')).toBeVisible();
    await page.getByRole('link', { name: 'Dessau-Roßlau' }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Lagebild: Dessau-Roßlau/);
    await expect(page.getByText('In diesem Gebiet liegen weniger als 3 Kommunen')).toBeVisible();
    await expectAccessibleWithoutJs(page, browser, 'öffentliches Lagebild eines Kreises');
  });
});
