import { expect, Page, test } from '@playwright/test';
import { expectAccessible, expectAccessibleWithoutJs, login, waitForHydration } from './helpers';

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
  await page.getByLabel('Reifegrad').selectOption({ label: 'Modell 1.1: 3 – Online-Leistung' });
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
  await page.getByRole('button', { name: 'Abmelden' }).click();
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
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Gesamtes Register als CSV herunterladen' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(file, 'utf8');
  expect(csv.startsWith('\uFEFFOZG-ID;Leistung;')).toBe(true);
  expect(csv).toMatch(/10002;Familienversicherung;[^\n]*;in Umsetzung;/);
});

test.describe('bulk edit without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the bulk form works as a plain form', async ({ page, browser }) => {
    await login(page, 'clerk');
    await page.goto('/kommunen/15003000/leistungen?suche=Hebammenhilfe');
    await page.getByLabel('Auswählen: Hebammenhilfe').check();
    await page.getByLabel('Umsetzungsstand setzen').selectOption({ label: 'Pilotbetrieb' });
    await page.getByRole('button', { name: 'Sammeländerung anwenden' }).click();
    await expect(page.getByRole('status')).toContainText('1 Leistungen geändert');
    await expect(page.getByRole('row', { name: /Hebammenhilfe/ })).toContainText('Pilotbetrieb');
    await expectAccessibleWithoutJs(page, browser, 'Sammeländerung ohne JavaScript');
  });
});
