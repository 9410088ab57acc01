import { expect, test } from './fixtures';
import { expectAccessible, expectAccessibleWithoutJs, login } from './helpers';

// On the portal with the demo data: the Kommune rates the help on a solved case (without
// JavaScript, a refused submit first), the Land reads the ratings, an advisor renames a saved view.
const file = process.env.DEMO_FULL_CREDENTIALS;
test.use({ baseURL: process.env.DEMO_URL });

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a clerk rates the help on a solved case: refused without stars, the comment kept, then saved', async ({ page, browser }) => {
    await login(page, 'clerk', file);
    await page.goto('/faelle?status=solved');
    // A solved case nobody rated yet (the demo rates two in three).
    const cases = await page.locator('table.cases a[href^="/faelle/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    const give = page.getByRole('button', { name: 'Bewertung abgeben' });
    for (const href of cases) {
      await page.goto(href!);
      if (await give.count()) break;
    }
    const section = page.getByRole('region', { name: 'Bewertung der Beratung' });
    await section.getByLabel('Kommentar (freiwillig)').fill('Schnell und verständlich');
    await give.click();
    await expect(page.getByRole('alert')).toContainText('Bitte wählen Sie eine Bewertung von 1 (nicht hilfreich) bis 5');
    await expect(page.getByLabel('Kommentar (freiwillig)')).toHaveValue('Schnell und verständlich');
    await expectAccessibleWithoutJs(page, browser, 'Fall mit abgelehnter Bewertung');
    await page.getByLabel('4 – hilfreich').check();
    await give.click();
    await expect(page.getByRole('status').filter({ hasText: 'Danke, Ihre Bewertung wurde gespeichert.' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Bewertung der Beratung' })).toContainText('Ihre Bewertung: 4 von 5 (hilfreich)');
    await expectAccessibleWithoutJs(page, browser, 'Fall mit Bewertung der Kommune');
  });
});

test('an advisor renames a saved view and reads the ratings of the Kommunen', async ({ page }) => {
  await login(page, 'advisor', file);
  await page.goto('/faelle');
  await page.getByText('Diese Filter als eigene Ansicht speichern').click();
  await page.getByLabel('Neuer Name für »EfA-Nachnutzung«').fill('EfA offen');
  await page.getByRole('button', { name: 'Ansicht »EfA-Nachnutzung« umbenennen' }).click();
  await expect(page.getByRole('navigation', { name: 'Ansichten' }).getByRole('link', { name: 'EfA offen' })).toBeVisible();
  await page.getByText('Diese Filter als eigene Ansicht speichern').click();
  await expectAccessible(page, 'Posteingang mit eigenen Ansichten');
  await page.getByRole('link', { name: 'Bewertungen der Beratung durch die Kommunen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bewertungen der Beratung');
  await expect(page.getByRole('table', { name: 'Nach Kategorie' })).toContainText('Technik/Anbindung');
  await expectAccessible(page, 'Bewertungen der Beratung');
});
