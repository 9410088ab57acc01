import { expect, test } from './fixtures';
import { credentials, expectAccessible, expectAccessibleWithoutJs, login, mailWith } from './helpers';

const stamp = Date.now();
const title = `OZG-Sprechstunde ${stamp}`;
const notice = `Neue Förderrichtlinie ${stamp}`;

/** `JJJJ-MM-TTTHH:MM` in Europe/Berlin, `days` from now at 10:00 / 11:30. */
function local(days: number, hour: string): string {
  const d = new Date(Date.now() + days * 86_400_000);
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return `${day}T${hour}`;
}

test.describe.serial('Termine und Mitteilungen', () => {
  test('an advisor publishes an OZG-Sprechstunde with one place', async ({ page }) => {
    await login(page, 'advisor');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Termine' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Termine und OZG-Sprechstunde');
    await expectAccessible(page, 'Termine');
    await page.getByRole('link', { name: 'Neuer Termin' }).click();
    await page.getByLabel('Titel (Pflichtfeld)').fill(title);
    await page.getByLabel('Beschreibung (Markdown, Pflichtfeld)').fill('Fragen zur **OZG-Umsetzung** – bringen Sie Ihre Fälle mit.');
    await page.getByLabel('Beginn (Pflichtfeld)').fill(local(5, '10:00'));
    await page.getByLabel('Ende (Pflichtfeld)').fill(local(5, '11:30'));
    await page.getByLabel('Link für die Teilnahme online').fill('https://konferenz.sachsen-anhalt.example/sprechstunde');
    await page.getByLabel('Plätze').fill('1');
    await expectAccessible(page, 'Termin anlegen');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.getByText('0 von 1 Plätzen vergeben')).toBeVisible();
    await expectAccessible(page, 'Termin für die Beratung');
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('a clerk registers, gets the calendar entry by mail, and cancels', async ({ page, browser }) => {
      await login(page, 'clerk');
      await page.goto('/termine');
      await page.getByRole('link', { name: title }).click();
      // The link to take part is for those registered only.
      await expect(page.getByRole('link', { name: 'https://konferenz.sachsen-anhalt.example/sprechstunde' })).toHaveCount(0);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await expect(page.getByRole('status')).toContainText('Sie sind angemeldet');
      // Registered: the link to take part is shown.
      await expect(page.getByRole('link', { name: 'https://konferenz.sachsen-anhalt.example/sprechstunde' })).toBeVisible();
      await expectAccessibleWithoutJs(page, browser, 'Termin mit Anmeldung');
      const mail = await mailWith(credentials('clerk').email, `SUMMARY:${title}`);
      expect(mail).toContain('Ihre Anmeldung ist bestätigt');
      expect(mail).toContain('BEGIN:VCALENDAR');
      expect(mail).toMatch(/DTSTART:\d{8}T\d{6}Z/);
      await page.getByRole('button', { name: 'Vom Termin abmelden' }).click();
      await expect(page.getByRole('status')).toHaveText('Sie sind vom Termin abgemeldet.');
      await expect(page.getByRole('button', { name: 'Anmelden' })).toBeVisible();
    });
  });

  test('an advisor sends an announcement to the kreisfreie Städte; the clerk reads it on the start page', async ({ page, browser }) => {
    await login(page, 'advisor');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Mitteilungen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mitteilungen an die Kommunen');
    await expectAccessible(page, 'Mitteilungen');
    await page.getByLabel('Titel (Pflichtfeld)').fill(notice);
    await page.getByLabel('Text (Markdown, Pflichtfeld)').fill('Die Richtlinie gilt ab sofort. Anträge bis **31. März**.');
    await page.getByLabel('bestimmte Arten von Kommunen').check();
    await page.getByText('Arten auswählen').click();
    await page.getByLabel('kreisfreie Städte').check();
    await page.getByRole('button', { name: 'Veröffentlichen' }).click();
    await expect(page.getByRole('status')).toContainText('erreicht 3 Kommunen');
    await expect(page.getByRole('row').filter({ hasText: notice })).toContainText('kreisfreie Städte');

    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: 'de-DE' });
    const clerk = await context.newPage();
    await login(clerk, 'clerk');
    const section = clerk.getByRole('region', { name: 'Mitteilungen der Landesberatung' });
    await expect(section.getByRole('heading', { name: notice })).toBeVisible();
    await expectAccessible(clerk, 'Startseite mit Mitteilung');
    await section.getByRole('button', { name: `»${notice}« als gelesen markieren` }).click();
    await expect(clerk.getByRole('heading', { name: notice })).toHaveCount(0);
    await context.close();
  });
});
