import { expect, test } from '@playwright/test';
import { expectAccessible, expectAccessibleWithoutJs, login } from './helpers';

const title = `Abfrage Digitalisierung ${Date.now()}`;

function day(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

test.describe.serial('Abfragen', () => {
test('an advisor builds a survey, is refused with what was typed kept, releases and copies it', async ({ page }) => {
  await login(page, 'advisor');
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Mitteilungen' }).click();
  await page.getByRole('link', { name: 'Abfrage an die Kommunen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Abfragen an die Kommunen');
  await expectAccessible(page, 'Abfragen');

  // A refused draft: the errors are named, what was typed stays.
  await page.getByLabel('Einleitung (Markdown)').fill('Bitte bis zur Frist antworten.');
  await page.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
  await expect(page.getByRole('alert')).toContainText('Der Titel muss 3 bis 200 Zeichen lang sein.');
  await expect(page.getByRole('alert')).toContainText('Die Frist ist ein Datum');
  await expect(page.getByLabel('Einleitung (Markdown)')).toHaveValue('Bitte bis zur Frist antworten.');
  await expectAccessible(page, 'Abfragen mit Fehlern');

  await page.getByLabel('Titel (Pflichtfeld)').fill(title);
  await page.getByLabel('Frist (bis einschließlich) (Pflichtfeld)').fill(day(30));
  await page.getByLabel('bestimmte Arten von Kommunen').check();
  await page.getByText('Arten auswählen').click();
  await page.getByLabel('kreisfreie Städte').check();
  await page.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByText('Entwurf', { exact: true })).toBeVisible();

  await page.getByLabel('Titel des Abschnitts (Pflichtfeld)').fill('Organisation');
  await page.getByRole('button', { name: 'Abschnitt anlegen' }).click();
  await expect(page.getByRole('status')).toHaveText('Der Abschnitt ist angelegt.');

  await page.getByLabel('Art der Frage').selectOption({ label: 'Ja/Nein' });
  await page.getByLabel('Frage (Pflichtfeld)').fill('Gibt es eine Digitalisierungsstrategie?');
  await page.getByLabel('Pflichtfrage').check();
  await page.getByRole('button', { name: 'Frage speichern' }).click();
  await expect(page.getByRole('status')).toHaveText('Die Frage ist gespeichert.');

  // A choice with one option is refused; the question's text stays.
  await page.getByLabel('Art der Frage').selectOption({ label: 'Einfachauswahl' });
  await page.getByLabel('Frage (Pflichtfeld)').fill('Wer verantwortet die Digitalisierung?');
  await page.getByLabel('Möglichkeiten, eine je Zeile').fill('Hauptamt');
  await page.getByRole('button', { name: 'Frage speichern' }).click();
  await expect(page.getByRole('alert')).toContainText('Eine Auswahl hat 2 bis 50 Möglichkeiten');
  await expect(page.getByLabel('Frage (Pflichtfeld)')).toHaveValue('Wer verantwortet die Digitalisierung?');
  await expect(page.getByLabel('Art der Frage')).toHaveValue('einfach');
  await expectAccessible(page, 'Abfrage mit abgelehnter Frage');
  await page.getByLabel('Möglichkeiten, eine je Zeile').fill('Hauptamt\nIT-Abteilung');
  await page.getByLabel('»Sonstiges« mit Textfeld anbieten').check();
  await page.getByText('Bedingung und Register').click();
  await page.getByLabel('Nur zeigen nach der Antwort').selectOption({ label: 'Gibt es eine Digitalisierungsstrategie?: Ja' });
  await page.getByRole('button', { name: 'Frage speichern' }).click();
  await expect(page.getByRole('status')).toHaveText('Die Frage ist gespeichert.');
  const questions = page.getByRole('region', { name: '1. Organisation' });
  await expect(questions.getByRole('listitem').filter({ hasText: 'Wer verantwortet' }).first()).toContainText('nur nach »Ja« bei »Gibt es eine Digitalisierungsstrategie?«');
  await expect(questions).toContainText('Möglichkeiten: Hauptamt · IT-Abteilung · Sonstiges (mit Text)');
  await expectAccessible(page, 'Abfrage im Aufbau');

  await page.getByRole('button', { name: 'Abfrage freigeben' }).click();
  await expect(page.getByRole('status')).toHaveText('Freigegeben: die Abfrage fragt 3 Kommunen.');
  await expect(page.getByRole('button', { name: /Frage entfernen/ })).toHaveCount(0);
  await expectAccessible(page, 'freigegebene Abfrage');

  await page.getByRole('button', { name: 'Für das nächste Jahr kopieren' }).click();
  await expect(page.getByRole('status')).toContainText('Kopiert aus Abfrage');
  const compared = page.getByRole('table', { name: 'Fragen im Vergleich mit der vorigen Abfrage' });
  await expect(compared.getByRole('row')).toHaveCount(3);
  await expect(compared).not.toContainText('geändert');
  await expectAccessible(page, 'Kopie der Abfrage');
  await page.getByRole('link', { name: 'Abfragen', exact: true }).first().click();
  await expect(page.getByRole('table', { name: 'Abfragen, neueste zuerst' }).getByRole('row').filter({ hasText: title })).toHaveCount(2);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a clerk finds the survey on the start page, is refused an incomplete answer, saves and submits', async ({ page, browser }) => {
    await login(page, 'clerk');
    const open = page.getByRole('region', { name: 'Offene Abfragen des Landes' });
    await expect(open).toContainText('0 von 1 Frage beantwortet');
    await open.getByRole('link', { name: new RegExp(title) }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expectAccessibleWithoutJs(page, browser, 'Antwort auf eine Abfrage');

    await page.getByRole('button', { name: 'Antwort einreichen' }).click();
    await expect(page.getByRole('alert')).toContainText('Bitte beantworten Sie »Gibt es eine Digitalisierungsstrategie?« (Pflichtfrage).');
    await expectAccessibleWithoutJs(page, browser, 'Antwort mit Fehlern');

    const section = page.getByRole('region', { name: 'Organisation' });
    const strategy = section.getByRole('group', { name: 'Gibt es eine Digitalisierungsstrategie? (Pflichtfrage)' });
    await strategy.getByLabel('Ja').check();
    await section.getByLabel('Sonstiges:').fill('Bürgermeisterin');
    await section.getByRole('button', { name: 'Abschnitt »Organisation« speichern' }).click();
    await expect(page.getByRole('status')).toHaveText('Der Abschnitt ist gespeichert.');
    await expect(page.getByRole('region', { name: 'Organisation' }).getByLabel('Sonstiges:')).toHaveValue('Bürgermeisterin');
    await expect(page.getByText('2 von 2 Fragen')).toBeVisible();

    await page.getByRole('button', { name: 'Antwort einreichen' }).click();
    await expect(page.getByRole('status')).toContainText('Eingereicht');
    await expect(page.getByRole('button', { name: 'Antwort wieder öffnen' })).toBeVisible();
    await expectAccessibleWithoutJs(page, browser, 'eingereichte Antwort');
  });
});
});
