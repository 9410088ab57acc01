import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible, expectAccessibleWithoutJs, login, loginAs } from './helpers';

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
  await page.getByLabel('Art der Frage').selectOption({ label: 'Datei' });
  await page.getByLabel('Frage (Pflichtfeld)').fill('Organigramm der Verwaltung');
  await page.getByRole('button', { name: 'Frage speichern' }).click();
  await expect(page.getByRole('status')).toHaveText('Die Frage ist gespeichert.');
  await expectAccessible(page, 'Abfrage im Aufbau');

  await page.getByRole('button', { name: 'Abfrage freigeben' }).click();
  await expect(page.getByRole('status')).toHaveText('Freigegeben: die Abfrage fragt 3 Kommunen.');
  await expect(page.getByRole('button', { name: /Frage entfernen/ })).toHaveCount(0);
  await expectAccessible(page, 'freigegebene Abfrage');

  await page.getByRole('button', { name: 'Für das nächste Jahr kopieren' }).click();
  await expect(page.getByRole('status')).toContainText('Kopiert aus Abfrage');
  const compared = page.getByRole('table', { name: 'Fragen im Vergleich mit der vorigen Abfrage' });
  await expect(compared.getByRole('row')).toHaveCount(4);
  await expect(compared).not.toContainText('geändert');
  await expectAccessible(page, 'Kopie der Abfrage');
  await page.getByRole('link', { name: 'Abfragen', exact: true }).first().click();
  await expect(page.getByRole('table', { name: 'Abfragen, neueste zuerst' }).getByRole('row').filter({ hasText: title })).toHaveCount(2);
});

test('two clerks of one Kommune work on one answer: the later save is refused and keeps what was typed; one without JavaScript submits', async ({ browser }) => {
  // The second clerk of Magdeburg works with JavaScript; the first without.
  const base = { baseURL: test.info().project.use.baseURL, locale: 'de-DE' };
  const withJs = await browser.newContext(base);
  const deputy = await withJs.newPage();
  await loginAs(deputy, 'demo.kommune.vertretung@ozg-portal.example');
  const open = deputy.getByRole('region', { name: 'Offene Abfragen des Landes' });
  await expect(open).toContainText('0 von 2 Fragen beantwortet');
  await open.getByRole('link', { name: new RegExp(title) }).click();
  await expect(deputy.getByRole('heading', { level: 1 })).toHaveText(title);

  const noJs = await browser.newContext({ ...base, javaScriptEnabled: false });
  const page = await noJs.newPage();
  await login(page, 'clerk');
  await page.getByRole('region', { name: 'Offene Abfragen des Landes' }).getByRole('link', { name: new RegExp(title) }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expectAccessibleWithoutJs(page, browser, 'Antwort auf eine Abfrage');
  await page.getByRole('button', { name: 'Antwort einreichen' }).click();
  await expect(page.getByRole('alert')).toContainText('Bitte beantworten Sie »Gibt es eine Digitalisierungsstrategie?« (Pflichtfrage).');
  await expectAccessibleWithoutJs(page, browser, 'Antwort mit Fehlern');

  // Both have the form open; the deputy saves first.
  const strategyOf = (p: Page) => p.getByRole('region', { name: 'Organisation' }).getByRole('group', { name: 'Gibt es eine Digitalisierungsstrategie? (Pflichtfrage)' });
  await strategyOf(deputy).getByLabel('Nein').check();
  await deputy.getByRole('button', { name: 'Abschnitt »Organisation« speichern' }).click();
  await expect(deputy.getByRole('status')).toHaveText('Der Abschnitt ist gespeichert.');
  await expect(deputy.getByText(/von Demo Sachbearbeitung Magdeburg \(Vertretung\)$/)).toBeVisible();
  await expectAccessible(deputy, 'gespeicherte Antwort');

  // The first clerk's save is based on the older version: refused, and what was typed stays.
  await strategyOf(page).getByLabel('Ja').check();
  await page.getByRole('region', { name: 'Organisation' }).getByLabel('Sonstiges:').fill('Bürgermeisterin');
  await page.getByRole('button', { name: 'Abschnitt »Organisation« speichern' }).click();
  await expect(page.getByRole('alert')).toContainText('Eine andere Person Ihrer Kommune hat die Antwort inzwischen gespeichert');
  await expect(page.getByRole('region', { name: 'Organisation' }).getByLabel('Sonstiges:')).toHaveValue('Bürgermeisterin');
  await expect(strategyOf(page).getByLabel('Ja')).toBeChecked();
  await expectAccessibleWithoutJs(page, browser, 'Antwort nach einem Konflikt');

  // Reloaded, the stored answer is the deputy's; saved again, then submitted.
  await page.reload();
  await expect(strategyOf(page).getByLabel('Nein')).toBeChecked();
  await strategyOf(page).getByLabel('Ja').check();
  await page.getByRole('region', { name: 'Organisation' }).getByLabel('Sonstiges:').fill('Bürgermeisterin');
  await page.getByRole('button', { name: 'Abschnitt »Organisation« speichern' }).click();
  await expect(page.getByRole('status')).toHaveText('Der Abschnitt ist gespeichert.');
  await expect(page.getByRole('region', { name: 'Organisation' }).getByLabel('Sonstiges:')).toHaveValue('Bürgermeisterin');
  await expect(page.getByText('2 von 3 Fragen')).toBeVisible();

  // A file answers the last question: a program is refused with the reason at the question, a PDF taken.
  const organigram = () => page.getByRole('region', { name: 'Organisation' }).getByLabel('Organigramm der Verwaltung');
  await organigram().setInputFiles({ name: 'programm.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\x90\x00programm') });
  await page.getByRole('button', { name: 'Datei hochladen' }).click();
  await expect(page.getByRole('alert').first()).toContainText('»programm.exe«: diese Art von Datei wird nicht angenommen.');
  await expectAccessibleWithoutJs(page, browser, 'abgelehnte Datei');
  await organigram().setInputFiles({ name: 'organigramm.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
  await page.getByRole('button', { name: 'Datei hochladen' }).click();
  await expect(page.getByRole('status')).toHaveText('Die Datei ist gespeichert.');
  await expect(page.getByRole('link', { name: 'organigramm.pdf' })).toBeVisible();
  await expect(page.getByText('3 von 3 Fragen')).toBeVisible();
  await page.getByRole('button', { name: 'Antwort einreichen' }).click();
  await expect(page.getByRole('status')).toContainText('Eingereicht');
  await expect(page.getByRole('button', { name: 'Antwort wieder öffnen' })).toBeVisible();
  await expectAccessibleWithoutJs(page, browser, 'eingereichte Antwort');

  // The deputy sees the answer submitted.
  await deputy.reload();
  await expect(deputy.getByText(/^eingereicht am /)).toBeVisible();
  await withJs.close();
  await noJs.close();
});

test('the Land reads the rate and the results while the survey runs', async ({ page }) => {
  await login(page, 'advisor');
  await page.goto('/abfragen');
  await page.getByRole('table', { name: 'Abfragen, neueste zuerst' }).getByRole('row').filter({ hasText: title }).filter({ hasText: 'offen' }).getByRole('link').click();
  // One Kommune's answer, read only: from the answers changed last, and a Kommune not asked refused.
  await page.getByRole('table', { name: 'Zuletzt geänderte Antworten' }).getByRole('link', { name: /Magdeburg/ }).click();
  await expect(page.getByText(/^Lesesicht der Landesberatung: die Antwort von Magdeburg/)).toBeVisible();
  await expect(page.getByRole('button', { name: /speichern|einreichen/ })).toHaveCount(0);
  await expectAccessible(page, 'Antwort einer Kommune, Lesesicht');
  await page.goBack();
  await page.getByLabel('Antwort einer Kommune ansehen (Schlüssel oder Name)').fill('Atlantis');
  await page.getByRole('button', { name: 'Antwort ansehen' }).click();
  await expect(page.getByText('Die Abfrage fragt keine Kommune »Atlantis«')).toBeVisible();
  await page.goBack();
  await page.getByRole('link', { name: 'Auswertung und Veröffentlichung' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Ergebnisse: ${title}`);
  await expect(page.getByText('1 von 3 gefragten Kommunen eingereicht (33,3 %)')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Rücklauf je Art der Kommune' }).getByRole('row', { name: /kreisfreie Städte/ })).toContainText('33,3 %');
  const strategy = page.getByRole('table', { name: 'Antworten auf »Gibt es eine Digitalisierungsstrategie?«' });
  await expect(strategy.getByRole('row', { name: /^Ja/ })).toContainText('100,0 %');
  await expect(page.getByText('Veröffentlichen lassen sich die Ergebnisse nach dem Ende der Frist.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'als Excel-Datei (XLSX)' })).toBeVisible();
  await expectAccessible(page, 'Ergebnisse für das Land');
});
});
