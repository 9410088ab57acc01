import { expect, test } from './fixtures';
import { expectAccessible, expectAccessibleWithoutJs, login, loginAs } from './helpers';

const stamp = Date.now();
const title = `Elterngeld digital beantragen ${stamp}`;

test.describe.serial('Wissensportal', () => {
  test('an advisor writes an article, a second advisor reviews and publishes it, the public reads it', async ({ page, browser }) => {
    await login(page, 'advisor');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Wissensportal' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wissensportal');
    await expectAccessible(page, 'Wissensportal');
    await page.getByRole('link', { name: 'Neuer Artikel' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neuer Artikel');
    // Nothing entered: German messages at the fields, nothing saved.
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByText('Der Titel muss 3 bis 200 Zeichen lang sein.').first()).toBeVisible();
    await expectAccessible(page, 'Artikel-Editor mit Fehlern');
    await page.getByLabel('Titel (Pflichtfeld)').fill(title);
    await page.getByLabel('Zusammenfassung (Pflichtfeld)').fill('Wie Kommunen den Antrag auf Elterngeld online anbieten.');
    await page.getByLabel('Text (Markdown, Pflichtfeld)').fill(
      '## Schritte\n\n1. Den EfA-Dienst des Landes nachnutzen\n2. Das Postfach anbinden\n\n<script>alert(1)</script>\n\nMehr in der [Hilfe](javascript:alert(2)).',
    );
    await page.getByLabel('Kategorie (Pflichtfeld)').fill('Umsetzung');
    await page.getByLabel('OZG-Leistungen', { exact: true }).fill('Elterngeld');
    await page.getByLabel('Familie & Kind').check();
    await page.getByLabel('alle, auch ohne Anmeldung (öffentlich)').check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.getByRole('status')).toHaveText('Gespeichert.');
    await expect(page.getByText('Stand: Entwurf.')).toBeVisible();
    await expectAccessible(page, 'Artikelentwurf');
    await page.getByRole('button', { name: 'Zur Prüfung geben' }).click();
    await expect(page.getByRole('status')).toContainText('wartet jetzt auf die Prüfung');
    // The author cannot approve their own text.
    await expect(page.getByRole('button', { name: 'Prüfen und veröffentlichen' })).toHaveCount(0);
    const url = page.url().replace(/\?.*$/, '');

    const secondContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: 'de-DE' });
    const second = await secondContext.newPage();
    await loginAs(second, 'demo.pruefung@ozg-portal.example');
    await second.goto(url);
    await second.getByRole('button', { name: 'Prüfen und veröffentlichen' }).click();
    await expect(second.getByRole('status')).toHaveText('Veröffentlicht.');
    await secondContext.close();

    const visitorContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: 'de-DE' });
    const visitor = await visitorContext.newPage();
    await visitor.goto('/wissen?q=Elterngeld');
    await visitor.getByRole('link', { name: title }).click();
    await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(visitor.getByRole('heading', { name: 'Schritte' })).toBeVisible();
    // Script from the Markdown is text on the page, the unsafe link has no target.
    await expect(visitor.getByText('<script>alert(1)</script>')).toBeVisible();
    await expect(visitor.getByRole('link', { name: 'Hilfe', exact: true })).toHaveAttribute('href', '#');
    await expect(visitor.getByText(/geprüft am \d\d\.\d\d\.\d{4}/)).toBeVisible();
    await expectAccessible(visitor, 'Artikel für alle');
    await visitorContext.close();
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('a clerk sees the article while filing a case, reads it and says it helped', async ({ page, browser }) => {
      await login(page, 'clerk');
      await page.goto('/faelle/neu');
      await page.getByLabel('Betreff').fill('Wie bieten wir Elterngeld online an?');
      await page.getByRole('button', { name: 'Weiter' }).click();
      await expect(page.getByRole('heading', { name: 'Vielleicht ist Ihre Frage schon beantwortet' })).toBeVisible();
      await expectAccessibleWithoutJs(page, browser, 'Fall anlegen mit Vorschlägen');
      await page.getByRole('link', { name: title }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
      await page.getByLabel('Ja', { exact: true }).check();
      await page.getByLabel('Was fehlt oder stimmt nicht? (freiwillig)').fill('Sehr hilfreich, danke.');
      await page.getByRole('button', { name: 'Antwort senden' }).click();
      await expect(page.getByRole('status')).toHaveText('Danke für Ihre Rückmeldung.');
      await expect(page.getByText('Ihre Antwort: Ja.')).toBeVisible();
      await expectAccessibleWithoutJs(page, browser, 'Artikel mit Antwort');
      // The register's page of the OZG-Leistung lists the article.
      await page.goto('/kommunen/15003000/leistungen/10000');
      await expect(page.getByRole('region', { name: 'Aus dem Wissensportal' }).getByRole('link', { name: title })).toBeVisible();
    });
  });

  test('the author sees the comment and the figures show the article', async ({ page }) => {
    await login(page, 'advisor');
    await page.goto('/wissen?q=Elterngeld');
    await page.getByRole('link', { name: title }).click();
    await expect(page.getByText('Sehr hilfreich, danke.')).toBeVisible();
    await expect(page.getByText(/hilfreich: 1 ja, 0 nein/)).toBeVisible();
    await page.goto('/wissen/auswertung');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Wissensportal: Auswertung');
    await expect(page.getByRole('table', { name: 'Artikel nach Antworten auf »hilfreich?«' }).getByRole('link', { name: title })).toBeVisible();
    await expectAccessible(page, 'Auswertung des Wissensportals');
  });
});
