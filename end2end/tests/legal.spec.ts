import { expect, test } from './fixtures';
import { expectAccessible, expectAccessibleWithoutJs, login, mailTo } from './helpers';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an anonymous visitor reports a barrier from any page\'s footer; bad input is refused in German', async ({ page, browser }) => {
    await page.goto('/lagebild');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Barriere melden' }).click();
    await expect(page).toHaveURL(/\/barriere-melden\?seite=%2Flagebild$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Barriere melden');
    await expect(page.getByLabel('Adresse der Seite')).toHaveValue('/lagebild');
    await expectAccessibleWithoutJs(page, browser, 'Barriere melden ohne JavaScript');
    // Nothing described: refused with a German reason.
    await page.getByRole('button', { name: 'Meldung senden' }).click();
    await expect(page.getByText('Bitte beschreiben Sie die Barriere.').first()).toBeVisible();
    await page.goto('/barriere-melden?seite=%2Flagebild');
    await page.getByLabel('Beschreibung der Barriere').fill('Die Karte im Lagebild lässt sich mit der Tastatur nicht bedienen.');
    await page.getByLabel('Ihre E-Mail-Adresse (freiwillig)').fill('melderin@example.org');
    await page.getByRole('button', { name: 'Meldung senden' }).click();
    await expect(page.getByRole('status')).toContainText('Ihre Meldung ist eingegangen');
    // Forwarded to the configured address and confirmed to the sender, through the sink.
    expect(await mailTo(process.env.BARRIER_MAIL ?? 'barrieren@sachsen-anhalt.example')).toContain('Die Karte im Lagebild lässt sich mit der Tastatur nicht bedienen.');
    expect(await mailTo('melderin@example.org')).toContain('vielen Dank für Ihre Meldung');
  });
});

// The report of the test above, worked by the administration.
test('the administrator sees the reported barrier and closes it', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/verwaltung/barrieren');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gemeldete Barrieren');
  const row = page.getByRole('row').filter({ hasText: 'Die Karte im Lagebild lässt sich mit der Tastatur nicht bedienen.' });
  await expect(row).toContainText('melderin@example.org');
  await expect(row.getByRole('cell').nth(3)).toContainText('offen');
  await expectAccessible(page, 'Gemeldete Barrieren');
  await row.getByRole('combobox').selectOption('erledigt');
  await row.getByRole('button', { name: 'Setzen' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Die Karte im Lagebild' }).getByRole('cell').nth(3)).toContainText('erledigt');
});

test('Leichte Sprache and Gebärdensprache are reached from every page\'s header', async ({ page }) => {
  await page.goto('/lagebild');
  await page.getByRole('navigation', { name: 'Barrierefreie Angebote' }).getByRole('link', { name: 'Leichte Sprache' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Informationen in Leichter Sprache');
  await expect(page.getByRole('heading', { name: 'Wo finde ich die Zahlen?' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Barrierefreie Angebote' }).getByRole('link', { name: 'Gebärdensprache' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Informationen in Deutscher Gebärdensprache');
  await expectAccessible(page, 'Gebärdensprache');
});

test('an administrator edits the Impressum in the browser; the page shows the new text with its date', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/verwaltung/rechtstexte');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rechtstexte');
  await expectAccessible(page, 'Rechtstexte');
  await page.getByRole('main').getByRole('link', { name: 'Impressum' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Impressum bearbeiten');
  await expect(page.getByLabel('Text (Markdown)')).toHaveValue(/§ 18 Abs\. 2 MStV/);
  await expectAccessible(page, 'Rechtstext bearbeiten');
  await page.getByLabel('Text (Markdown)').fill('## Anbieter\n\nLandesamt für Digitales (Beispiel), Domplatz 1, Magdeburg\n\n<script>alert(1)</script>');
  await page.getByRole('button', { name: 'Speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Gespeichert');
  await expect(page.getByRole('link', { name: /^Fassung 1$/ })).toBeVisible();
  await page.goto('/impressum');
  await expect(page.getByRole('main')).toContainText('Landesamt für Digitales (Beispiel), Domplatz 1, Magdeburg');
  await expect(page.getByRole('main')).toContainText('<script>alert(1)</script>');
  await expect(page.getByText(/^Stand: \d{2}\.\d{2}\.\d{4}/)).toBeVisible();
  await expectAccessible(page, 'Impressum mit dem Text der betreibenden Stelle');
});
