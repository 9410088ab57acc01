import { expect, test } from '@playwright/test';
import { expectAccessible, expectAccessibleWithoutJs, login } from './helpers';

/** A record of the demo clerk's Kommune whose planned start has passed (through the REST API). */
async function overdueRecord(page: import('@playwright/test').Page, ozg: string) {
  const url = `/api/v1/municipalities/15003000/services/${ozg}`;
  const current = await page.request.get(url);
  const version = current.ok() ? (await current.json()).version : 0;
  const res = await page.request.put(url, {
    data: { offered: false, responsibility: 'own', stage: 'planned', planned_go_live: '2025-01-01', version },
  });
  expect(res.status()).toBe(200);
}

test('a clerk sees what needs them on the start page and follows a link to the filtered register', async ({ page }) => {
  await login(page, 'clerk');
  await overdueRecord(page, '10021');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meine Kommune');
  const section = page.getByRole('region', { name: /Magdeburg/ });
  await expect(section.getByRole('heading', { name: 'Was Sie erwartet' })).toBeVisible();
  await expect(section.getByRole('table', { name: /Im Vergleich/ })).toContainText('Sachsen-Anhalt');
  await expect(section.getByRole('table', { name: 'Entwicklung je Monat als Tabelle' })).toBeVisible();
  await expectAccessible(page, 'Startseite der Sachbearbeitung');
  await section.getByRole('link', { name: /Leistungen mit überschrittenem geplanten Start/ }).click();
  await expect(page).toHaveURL(/pflege=ueberfaellig/);
  await expect(page.getByLabel('Pflegebedarf')).toHaveValue('ueberfaellig');
  await expect(page.getByRole('row', { name: /10021/ })).toBeVisible();
  await expectAccessible(page, 'Register mit Pflegebedarf');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the clerk start page and its links work without JavaScript', async ({ page, browser }) => {
    await login(page, 'clerk');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meine Kommune');
    const section = page.getByRole('region', { name: /Magdeburg/ });
    await expect(section.getByRole('table', { name: /Im Vergleich/ })).toBeVisible();
    await expectAccessibleWithoutJs(page, browser, 'Startseite der Sachbearbeitung ohne JavaScript');
    await section.getByRole('link', { name: 'Zum Leistungsregister' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Leistungsregister');
  });
});
