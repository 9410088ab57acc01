import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible, expectAccessibleWithoutJs, login, waitForHydration, signOut, openAdminArea } from './helpers';

const KOMMUNE = 'Magdeburg, Landeshauptstadt';

async function recordFromPlannedToOnline(page: Page, service: string, check: (what: string) => Promise<void>) {
  await page.getByRole('link', { name: KOMMUNE }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Leistungsregister ${KOMMUNE}`);
  await check('Leistungsliste');
  await page.getByLabel('Suche (Name, OZG-ID oder LeiKa-Schlüssel)').fill(service);
  await page.getByRole('button', { name: 'Filtern' }).click();
  await page.getByRole('link', { name: service, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(service);
  await expect(page.getByText('Für diese Leistung wurde noch nichts erfasst.')).toBeVisible();
  await check('Leistung ohne Eintrag');

  await page.getByLabel('Umsetzungsstand').selectOption({ label: 'geplant' });
  await page.getByLabel('geplant', { exact: true }).fill('2025-01-15');
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Die Änderung wurde gespeichert.');

  await page.getByLabel('Umsetzungsstand').selectOption({ label: 'online' });
  await page.getByLabel('online', { exact: true }).fill('2025-06-30');
  await page.getByLabel('Reifegrad', { exact: true }).selectOption({ label: 'Modell 1.1: 3 – Online-Leistung' });
  await page.getByLabel('Die Kommune bietet die Leistung an').check();
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Die Änderung wurde gespeichert.');
  const history = page.locator('.timeline > li');
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText('Umsetzungsstand: geplant → online');
  await expect(history.first()).toContainText('Reifegrad: – → 3');
  await check('Leistung mit Verlauf');

  await page.getByRole('link', { name: '← Zurück zur Leistungsliste' }).click();
  await page.getByLabel('Umsetzungsstand', { exact: true }).selectOption({ label: 'online' });
  await page.getByRole('button', { name: 'Filtern' }).click();
  const row = page.getByRole('row', { name: new RegExp(service) });
  await expect(row).toContainText('online');
  await expect(row).toContainText('3 (Modell 1.1)');
  await check('gefilterte Leistungsliste');
  // The overview shows the stage over time as a chart with the same figures as a table.
  await expect(page.getByRole('img', { name: /Anteil der Leistungen online und OZG-konform je Monat/ })).toBeVisible();
  const months = page.getByRole('table', { name: 'Entwicklung je Monat als Tabelle' }).locator('tbody tr');
  await expect(months).toHaveCount(12);
  await expect(months.last().locator('td').first()).not.toHaveText('0');
}

/** Opens the list page's "CSV-Export und -Import" (below the list). */
async function openCsv(page: Page) {
  const box = page.locator('details', { has: page.getByText('CSV-Export und -Import') });
  if ((await box.getAttribute('open')) === null) await box.locator('summary').click();
}

/** Uploads a CSV file through the list page's import form. */
async function uploadCsv(page: Page, name: string, content: string) {
  await openCsv(page);
  await page.getByLabel('CSV-Datei im Format des Exports einlesen').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
  await page.getByRole('button', { name: 'CSV einlesen' }).click();
}

test('a clerk records a service from "geplant" to "online" with Reifegrad 3 and sees overview and history', async ({ page }) => {
  await login(page, 'clerk');
  await waitForHydration(page);
  await recordFromPlannedToOnline(page, 'Elterngeld', (what) => expectAccessible(page, what));
  await expect(page.getByText(/\d+ von 557 Leistungen des Katalogs sind mit Reifegrad 3 oder 4/)).toBeVisible();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the register works with plain forms', async ({ page, browser }) => {
    await login(page, 'clerk');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meine Kommune');
    await recordFromPlannedToOnline(page, 'Wohngeld', (what) => expectAccessibleWithoutJs(page, browser, `${what} ohne JavaScript`));
  });

  test('an invalid entry is refused with a message next to the form', async ({ page, browser }) => {
    await login(page, 'clerk');
    await page.goto('/kommunen/15003000/leistungen/10005');
    await page.getByLabel('Umsetzungsstand').selectOption({ label: 'online' });
    await page.getByLabel('Online-Adresse der Leistung').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Speichern', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('https://');
    await expect(page.getByText('Für diese Leistung wurde noch nichts erfasst.')).toBeVisible();
    await expectAccessibleWithoutJs(page, browser, 'Eingabefehler im Register ohne JavaScript');
  });
});

test('an advisor reads a register, gets no edit form and annotates; an association gets no register', async ({ page }) => {
  await login(page, 'advisor');
  await page.getByRole('link', { name: 'Leistungsregister' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Leistungsregister der Kommunen');
  await expectAccessible(page, 'Kommunenliste');
  await page.getByRole('link', { name: KOMMUNE }).click();
  await page.getByRole('link', { name: 'Elterngeld', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Elterngeld');
  await expect(page.getByRole('button', { name: 'Speichern', exact: true })).toHaveCount(0);
  await expect(page.locator('.timeline > li')).toHaveCount(2);
  await expectAccessible(page, 'Leistung lesend');
  await page.getByLabel('Anmerkung für die Kommune (für die Kommune sichtbar)').fill('Bitte die EfA-Lösung aus Bremen prüfen.');
  await page.getByRole('button', { name: 'Anmerkung speichern' }).click();
  await expect(page.locator('.annotations')).toContainText('Bitte die EfA-Lösung aus Bremen prüfen.');
  await expectAccessible(page, 'Leistung mit Anmerkung');
  await signOut(page);
  await login(page, 'association');
  const res = await page.goto('/kommunen/15003000/leistungen');
  expect(res?.status()).toBe(403);
});

test('a clerk bulk-edits three services, and exports the register as CSV', async ({ page }) => {
  await login(page, 'clerk');
  await page.goto('/kommunen/15003000/leistungen');
  await waitForHydration(page);
  for (const name of ['Familienversicherung', 'Geburtsanzeige', 'Hebammenhilfe']) {
    await page.getByLabel(`Auswählen: ${name}`).check();
  }
  await page.getByLabel('Umsetzungsstand setzen').selectOption({ label: 'in Umsetzung' });
  await page.getByLabel('Geplanten Start setzen').fill('2026-12-01');
  await page.getByRole('button', { name: 'Sammeländerung anwenden' }).click();
  await expect(page.getByRole('status')).toContainText('3 Leistungen geändert');
  await expectAccessible(page, 'Leistungsliste nach Sammeländerung');
  for (const name of ['Familienversicherung', 'Geburtsanzeige', 'Hebammenhilfe']) {
    await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('in Umsetzung');
  }
  await openCsv(page);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Gesamtes Register als CSV herunterladen' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(file, 'utf8');
  expect(csv.startsWith('\uFEFFOZG-ID;Leistung;')).toBe(true);
  expect(csv).toMatch(/10002;Familienversicherung;[^\n]*;in Umsetzung;/);

  // Re-importing the unchanged export changes nothing; an edited row changes exactly that row.
  await uploadCsv(page, 'register.csv', csv);
  await expect(page.getByRole('status')).toContainText('CSV-Datei eingelesen: 0 Leistungen geändert, 557 unverändert.');
  const edited = csv.replace(/^(10002;Familienversicherung;[^\n]*?);in Umsetzung;/m, '$1;Pilotbetrieb;');
  expect(edited).not.toEqual(csv);
  await uploadCsv(page, 'register.csv', edited);
  await expect(page.getByRole('status')).toContainText('CSV-Datei eingelesen: 1 Leistung geändert, 556 unverändert.');
  await expect(page.getByRole('row', { name: /Familienversicherung/ })).toContainText('Pilotbetrieb');
  await expectAccessible(page, 'Leistungsliste nach CSV-Import');
  // A broken file: every problem with line and column, nothing stored.
  await uploadCsv(page, 'kaputt.csv', edited.replace('10002;Familienversicherung;', '99999;Familienversicherung;'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('CSV-Datei nicht eingelesen');
  await expect(page.getByRole('alert')).toContainText('»99999« ist nicht im Katalog');
  await expectAccessible(page, 'Fehlerseite des CSV-Imports');
});

test.describe('bulk edit without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the bulk form works as a plain form', async ({ page, browser }) => {
    await login(page, 'clerk');
    await page.goto('/kommunen/15003000/leistungen?suche=Hebammenhilfe');
    await page.getByLabel('Auswählen: Hebammenhilfe').check();
    await page.getByLabel('Umsetzungsstand setzen').selectOption({ label: 'Pilotbetrieb' });
    await page.getByRole('button', { name: 'Sammeländerung anwenden' }).click();
    await expect(page.getByRole('status')).toContainText('1 Leistung geändert');
    await expect(page.getByRole('row', { name: /Hebammenhilfe/ })).toContainText('Pilotbetrieb');
    await expectAccessibleWithoutJs(page, browser, 'Sammeländerung ohne JavaScript');

    // Export and re-import without JavaScript: the download link and the upload form are plain HTML.
    const res = await page.request.get('/api/v1/municipalities/15003000/services.csv');
    const csv = await res.text();
    const edited = csv.replace(/^(10008;[^\n]*?);nicht begonnen;/m, '$1;geplant;');
    expect(edited).not.toEqual(csv);
    await uploadCsv(page, 'register.csv', edited);
    await expect(page.getByRole('status')).toContainText('CSV-Datei eingelesen: 1 Leistung geändert, 556 unverändert.');
    await expectAccessibleWithoutJs(page, browser, 'CSV-Import ohne JavaScript');
  });
});

test('a clerk rates a service by criteria; an administrator maintains the criteria', async ({ page }) => {
  await login(page, 'clerk');
  await page.goto('/kommunen/15003000/leistungen/10010');
  await waitForHydration(page);
  await page.getByText('Bewertung nach Kriterien (optional)').click();
  await page.getByLabel('Reifegrad', { exact: true }).selectOption({ label: 'Modell 2.0: aus der Bewertung der Kriterien' });
  await page.getByLabel('Leistungsinformation', { exact: true }).selectOption({ label: 'Stufe 5' });
  await page.getByLabel('Online-Antragsdienst', { exact: true }).selectOption({ label: 'Stufe 3' });
  await page.getByLabel('Bezahlung (ePayment)', { exact: true }).selectOption({ label: 'nicht erforderlich' });
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Die Änderung wurde gespeichert.');
  await expect(page.locator('.timeline > li').first()).toContainText('Reifegrad: – → 3');
  await expectAccessible(page, 'Leistung mit Kriterienbewertung');
  await signOut(page);

  await login(page, 'admin');
  await openAdminArea(page, 'Reifegradkriterien');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reifegradkriterien');
  await expect(page.getByRole('heading', { name: /Reifegradmodell 2.0: 13 Kriterien/ })).toBeVisible();
  await expectAccessible(page, 'Reifegradkriterien');
  await page.getByLabel('Kurzname (Kleinbuchstaben, Ziffern, _)').fill('nutzerfreundlichkeit');
  await page.getByLabel('Bezeichnung', { exact: true }).last().fill('Nutzerfreundlichkeit');
  await page.getByLabel('Nr. (Reihenfolge, 1–999)').fill('14');
  await page.getByRole('button', { name: 'Kriterium anlegen' }).click();
  await expect(page.getByRole('heading', { name: /Reifegradmodell 2.0: 14 Kriterien/ })).toBeVisible();
});

test('a clerk creates an API token, sees it once, uses it and revokes it', async ({ page, request }) => {
  await login(page, 'clerk');
  await page.goto('/konto');
  await page.getByLabel('Name des neuen Schlüssels').fill('Fachverfahren');
  await page.getByRole('button', { name: 'Schlüssel anlegen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neuer API-Schlüssel');
  const token = await page.getByLabel('API-Schlüssel').inputValue();
  expect(token).toMatch(/^ozgp_/);
  await expectAccessible(page, 'neuer API-Schlüssel');
  const api = await request.get('/api/v1/municipalities/15003000/services?stage=online', { headers: { Authorization: `Bearer ${token}` } });
  expect(api.status()).toBe(200);
  await page.getByRole('link', { name: 'Zurück zu »Mein Konto«' }).click();
  await waitForHydration(page);
  const row = page.getByRole('row', { name: /Fachverfahren/ });
  await expect(row).not.toContainText(token);
  await expectAccessible(page, 'Konto mit API-Schlüssel');
  await row.getByRole('button', { name: /Widerrufen/ }).click();
  await expect(row).toContainText('widerrufen');
  const refused = await request.get('/api/v1/municipalities/15003000/services', { headers: { Authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
});

test.describe('administration and tokens without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an administrator renames a criterion and a clerk revokes a token with plain forms', async ({ page, browser }) => {
    await login(page, 'admin');
    await page.goto('/verwaltung/reifegradkriterien');
    await expectAccessibleWithoutJs(page, browser, 'Reifegradkriterien ohne JavaScript');
    const form = page.locator('.criterion-form').filter({ hasText: 'Kurzname: statusmonitor' });
    await form.getByLabel('Bezeichnung').fill('Statusmonitor (Bearbeitungsstand online)');
    await form.getByRole('button', { name: /Speichern/ }).click();
    await expect(page.getByLabel('Bezeichnung').and(page.locator('[value="Statusmonitor (Bearbeitungsstand online)"]'))).toHaveCount(1);
    await signOut(page);

    await login(page, 'clerk');
    await page.goto('/konto');
    await page.getByLabel('Name des neuen Schlüssels').fill('Ohne Skript');
    await page.getByRole('button', { name: 'Schlüssel anlegen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neuer API-Schlüssel');
    await page.getByRole('link', { name: 'Zurück zu »Mein Konto«' }).click();
    const row = page.getByRole('row', { name: /Ohne Skript/ });
    await row.getByRole('button', { name: /Widerrufen/ }).click();
    await expect(page.getByRole('row', { name: /Ohne Skript/ })).toContainText('widerrufen');
    await expectAccessibleWithoutJs(page, browser, 'Konto mit widerrufenem Schlüssel ohne JavaScript');
  });
});
