import { expect, test } from './fixtures';
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

test('an advisor sees the cases that need them and opens the unassigned ones from the start page', async ({ page }) => {
  await login(page, 'clerk');
  const res = await page.request.post('/api/v1/cases', {
    data: { subject: 'Startseite: Frage ohne Zuständigkeit', category: 'technik', description: 'Wer hilft?' },
  });
  expect(res.status()).toBe(201);
  await login(page, 'advisor');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Beratung des Landes');
  const needs = page.getByRole('region', { name: 'Ihre Fälle und die Ihres Teams' });
  await expect(needs.getByRole('link', { name: /Ihre offenen Fälle/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Sachsen-Anhalt auf einen Blick' }).getByRole('table', { name: 'Kennzahlen' })).toContainText('Online-Quote');
  await expectAccessible(page, 'Startseite der Beratung');
  await needs.getByRole('link', { name: /Fälle ohne Zuständigkeit/ }).click();
  await expect(page).toHaveURL(/ansicht=unassigned/);
  await expect(page.getByRole('link', { name: 'Startseite: Frage ohne Zuständigkeit' })).toBeVisible();
});

test('an association sees its members\' key figures and an administrator what waits for them', async ({ page }) => {
  await login(page, 'association');
  const land = page.getByRole('region', { name: 'Sachsen-Anhalt auf einen Blick' });
  await expect(land.getByText(/Gezählt: .*Mitglieder/)).toBeVisible();
  await expectAccessible(page, 'Startseite des Verbands');
  await land.getByRole('link', { name: 'Zum Lagebild' }).click();
  await expect(page).toHaveURL(/\/lagebild/);

  await login(page, 'admin');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verwaltung');
  await expect(page.getByRole('heading', { name: 'Hintergrundaufgaben' })).toBeVisible();
  await expectAccessible(page, 'Startseite der Administration');
  await page.getByRole('region', { name: 'Was auf Sie wartet' }).getByRole('link', { name: /E-Mails im Postausgang/ }).click();
  await expect(page).toHaveURL(/\/verwaltung\/postausgang/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('every role\'s start page works without JavaScript', async ({ page, browser }) => {
    for (const [role, region] of [
      ['advisor', 'Ihre Fälle und die Ihres Teams'],
      ['association', 'Sachsen-Anhalt auf einen Blick'],
      ['admin', 'Was auf Sie wartet'],
    ] as const) {
      await login(page, role);
      await expect(page.getByRole('region', { name: region })).toBeVisible();
      await expectAccessibleWithoutJs(page, browser, `Startseite (${role}) ohne JavaScript`);
    }
  });

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
