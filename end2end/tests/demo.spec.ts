import { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible, expectAccessibleWithoutJs, login, loginAs } from './helpers';

// A second portal, filled by `server demo` with the demo data (register with history for every
// Kommune, cases in every status): each demo role's start page shows the portal at work.
const file = process.env.DEMO_FULL_CREDENTIALS;
test.use({ baseURL: process.env.DEMO_URL });

test.beforeAll(() => {
  expect(process.env.DEMO_URL, 'DEMO_URL names the portal with the demo data').toBeTruthy();
  expect(file, 'DEMO_FULL_CREDENTIALS names its demo accounts').toBeTruthy();
});

/** The number a start-page line ends with (»…: 12«), which must be more than zero. */
async function countOf(link: Locator): Promise<number> {
  const text = (await link.innerText()).replace(/\s+/g, ' ');
  const m = text.match(/:\s*([\d.]+)\s*$/);
  expect(m, `a count in »${text}«`).toBeTruthy();
  const n = Number(m![1].replace(/\./g, ''));
  expect(n, `»${text}« shows something`).toBeGreaterThan(0);
  return n;
}

/** Follows a start-page line and checks the filtered page lists as many as the line said. */
async function follow(page: Page, link: Locator, url: RegExp, found: RegExp | null) {
  const n = await countOf(link);
  await link.click();
  await expect(page).toHaveURL(url);
  if (found) await expect(page.getByText(new RegExp(`^${n.toLocaleString('de-DE').replace('.', '\\.')} ${found.source}`))).toBeVisible();
  await page.goBack();
  return n;
}

test('the demo clerk sees what needs them in their Kommune, and each line leads to its filtered page', async ({ page }) => {
  await login(page, 'clerk', file);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meine Kommune');
  const section = page.getByRole('region', { name: /Magdeburg/ });
  await expect(section.getByText(/^\d+ von 557 \(\d+,\d\s%\)$/)).toBeVisible();
  await expect(section.getByRole('table', { name: 'Entwicklung je Monat als Tabelle' }).getByRole('row')).toHaveCount(13);
  await expect(section.getByRole('table', { name: /Im Vergleich/ })).toContainText('Sachsen-Anhalt');
  await expectAccessible(page, 'Startseite der Sachbearbeitung mit Demo-Daten');

  const line = (name: string) => section.getByRole('link', { name: new RegExp(name) });
  await follow(page, line('Fälle, die auf Ihre Antwort warten'), /status=waiting&kommune=15003000/, /Fälle? gefunden/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meine Kommune');
  await follow(page, line('Gelöste Fälle, die Sie bestätigen können'), /status=solved&kommune=15003000/, /Fälle? gefunden/);
  await follow(page, line('Leistungen seit 90 Tagen unverändert'), /pflege=veraltet/, /Leistungen? gefunden/);
  await follow(page, line('Leistungen mit überschrittenem geplanten Start'), /pflege=ueberfaellig/, /Leistungen? gefunden/);
  await follow(page, line('Ungelesene Benachrichtigungen zu Fällen'), /\/benachrichtigungen$/, null);

  // The advisors' annotations lead to the register entry they are about.
  const notes = section.getByRole('list').filter({ hasText: 'EfA-Onlinedienst' });
  const first = notes.getByRole('link').first();
  const service = await first.innerText();
  await first.click();
  await expect(page).toHaveURL(/\/kommunen\/15003000\/leistungen\/\d+/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(service);
});

test('the demo advisor sees their cases by timer, the team\'s, the unassigned, the new since the last sign-in and the untouched, each as a filtered inbox', async ({ page }) => {
  await login(page, 'advisor', file);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Beratung des Landes');
  const needs = page.getByRole('region', { name: 'Ihre Fälle und die Ihres Teams' });
  const line = (name: string) => needs.getByRole('link', { name: new RegExp(`^${name}:`) });
  await expectAccessible(page, 'Startseite der Beratung mit Demo-Daten');
  await follow(page, line('Ihre offenen Fälle'), /ansicht=mine/, /Fälle? gefunden/);
  // Timers run while the test runs: the lists are checked for their filter, not their number.
  await follow(page, line('davon mit überschrittener Servicezeit'), /ansicht=overdue&zustaendig=me/, null);
  await follow(page, line('davon in den nächsten 4 Arbeitsstunden fällig'), /ansicht=due_soon&zustaendig=me/, null);
  await follow(page, line('Offene Fälle des Teams Erstberatung'), /ansicht=open&team=/, /Fälle? gefunden/);
  await follow(page, line('Fälle ohne Zuständigkeit'), /ansicht=unassigned/, /Fälle? gefunden/);
  // The demo advisor was last here three days ago: what came in since is new.
  const since = line('Neu seit Ihrer letzten Anmeldung');
  const fresh = await countOf(since);
  await since.click();
  await expect(page).toHaveURL(/ansicht=all&seit=last_sign_in/);
  await expect(page.getByText(new RegExp(`^${fresh} Fälle? gefunden`))).toBeVisible();
  await expect(page.getByLabel('nur neu seit meiner letzten Anmeldung')).toBeChecked();
  await page.goBack();
  await line('Neue, noch nicht gesichtete Fälle').click();
  await expect(page).toHaveURL(/status=new/);
  await expect(page.getByRole('link', { name: /Anbindung|Nachnutzung|Schriftform|Fördermittel|FIM|Schutzbedarf|Fehlermeldung|Schulung/ }).first()).toBeVisible();
  // The saved views of the demo advisor.
  await expect(page.getByRole('link', { name: 'Dringend und offen' })).toBeVisible();
  await page.goBack();

  const land = page.getByRole('region', { name: 'Sachsen-Anhalt auf einen Blick' });
  const figures = land.getByRole('table', { name: 'Kennzahlen' });
  await expect(figures.getByRole('row', { name: /Online-Quote/ })).toContainText(/Prozentpunkte/);
  await expect(figures.getByRole('row', { name: /Online-Quote/ })).not.toContainText(/\b0,0\s%/);
  await expect(figures.getByRole('row', { name: /Meldelücken/ })).toContainText(/[1-9]\d* von \d+/);
});

test('the demo association sees its members\' figures with their change, and the Lagebild shows them', async ({ page }) => {
  await login(page, 'association', file);
  const land = page.getByRole('region', { name: 'Sachsen-Anhalt auf einen Blick' });
  await expect(land.getByText(/Gezählt: .*Mitglieder/)).toBeVisible();
  const online = land.getByRole('table', { name: 'Kennzahlen' }).getByRole('row', { name: /Online-Quote/ });
  await expect(online).toContainText(/[1-9]\d*,\d\s%/);
  await expect(online).toContainText(/\+\d+,\d Prozentpunkte/);
  await expect(online).not.toContainText('+0,0 Prozentpunkte');
  await expectAccessible(page, 'Startseite des Verbands mit Demo-Daten');
  await land.getByRole('link', { name: 'Zum Lagebild' }).click();
  await expect(page).toHaveURL(/\/lagebild/);
  await expect(page.getByText('Keine Fälle gefunden')).toHaveCount(0);
  await expect(page.locator('main')).toContainText(/[1-9]\d*,\d\s%/);
});

test('the demo administrator sees the accounts that wait and the jobs\' runs, each line leading to its list', async ({ page }) => {
  await login(page, 'admin', file);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Verwaltung');
  const waits = page.getByRole('region', { name: 'Was auf Sie wartet' });
  await expectAccessible(page, 'Startseite der Administration mit Demo-Daten');
  const invited = waits.getByRole('link', { name: /Einladungen, noch nicht angenommen/ });
  expect(await countOf(invited)).toBe(2);
  await invited.click();
  await expect(page).toHaveURL(/\/verwaltung\/benutzer\?status=eingeladen/);
  await expect(page.getByRole('cell', { name: 'demo.eingeladen.kommune@ozg-portal.example' })).toBeVisible();
  await page.goBack();
  const deactivated = waits.getByRole('link', { name: /Deaktivierte Konten mit offenen Fällen/ });
  expect(await countOf(deactivated)).toBe(1);
  await deactivated.click();
  await expect(page).toHaveURL(/status=deaktiviert/);
  await expect(page.getByRole('cell', { name: 'demo.beratung.ehemalig@ozg-portal.example' })).toBeVisible();
  await page.goBack();
  // The background jobs of the demo portal have run since it started.
  await expect(page.getByRole('heading', { name: 'Hintergrundaufgaben' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Fristen der Beratungsfälle/ })).toContainText('erfolgreich');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('every demo role\'s start page shows its items and its links work without JavaScript', async ({ page, browser }) => {
    for (const [role, region, name, url] of [
      ['clerk', /Magdeburg/, /Fälle, die auf Ihre Antwort warten/, /status=waiting/],
      ['advisor', 'Ihre Fälle und die Ihres Teams', /Fälle ohne Zuständigkeit/, /ansicht=unassigned/],
      ['association', 'Sachsen-Anhalt auf einen Blick', /Zum Lagebild/, /\/lagebild/],
      ['admin', 'Was auf Sie wartet', /Einladungen, noch nicht angenommen/, /status=eingeladen/],
    ] as const) {
      await login(page, role, file);
      const section = page.getByRole('region', { name: region });
      await expect(section).toBeVisible();
      await expectAccessibleWithoutJs(page, browser, `Startseite (${role}) mit Demo-Daten ohne JavaScript`);
      await section.getByRole('link', { name }).first().click();
      await expect(page).toHaveURL(url);
    }
  });
});

test('the published results of last year\'s survey are open to everyone, suppressed, and the association reads its members\'', async ({ page }) => {
  await page.goto('/lagebild');
  await page.getByRole('link', { name: 'Ergebnisse der Abfragen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ergebnisse der Abfragen');
  await expectAccessible(page, 'Ergebnisse der Abfragen');
  await page.getByRole('table', { name: 'Abfragen, zuletzt beendete zuerst' }).getByRole('link', { name: 'Stand der Digitalisierung' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ergebnisse: Stand der Digitalisierung');
  await expect(page.getByText(/nicht ausgewiesen: weniger als 3 Kommunen/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Antworten auf »Hat Ihre Verwaltung eine Digitalisierungsstrategie?«' })).toBeVisible();
  await expect(page.getByRole('region', { name: /Was wünschen Sie sich vom Land\?/ })).toContainText('Freitext und Dateien sieht nur das Land.');
  await expect(page.getByText('Mehr Beratung zur Anbindung')).toHaveCount(0);
  await expectAccessible(page, 'veröffentlichte Ergebnisse');

  await login(page, 'association', file);
  await page.goto('/abfrage-ergebnisse');
  await page.getByRole('table', { name: 'Abfragen, zuletzt beendete zuerst' }).getByRole('row').filter({ hasText: 'geschlossen' }).getByRole('link').click();
  await expect(page.getByText('Die Antworten Ihrer Mitglieder, zusammengefasst')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Antworten auf »Was fehlt Ihnen am meisten?«' })).toBeVisible();
  await expectAccessible(page, 'Ergebnisse der Mitglieder');
});

test('a Verbandsgemeinde\'s clerk takes the Selbstcheck, is refused an incomplete submit, and reads its profile with recommendations and its members\' comparison', async ({ page }) => {
  await loginAs(page, 'demo.verbandsgemeinde@ozg-portal.example', file);
  await page.getByRole('region', { name: 'Offene Abfragen des Landes' }).getByRole('link', { name: 'Digitalisierungs-Selbstcheck – Beetzendorf-Diesdorf' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Digitalisierungs-Selbstcheck');
  await page.getByRole('button', { name: 'Antwort einreichen' }).click();
  await expect(page.getByRole('alert')).toContainText('Bitte beantworten Sie »Hat Ihre Kommune eine beschlossene Digitalisierungsstrategie?« (Pflichtfrage).');
  await expectAccessible(page, 'Selbstcheck mit Fehlern');

  const section = (name: string) => page.getByRole('region', { name });
  const choose = async (sectionName: string, question: string, answer: string) =>
    section(sectionName).getByRole('group', { name: `${question} (Pflichtfrage)` }).getByLabel(answer, { exact: true }).check();
  const save = async (name: string) => {
    await page.getByRole('button', { name: `Abschnitt »${name}« speichern` }).click();
    await expect(page.getByRole('status')).toHaveText('Der Abschnitt ist gespeichert.');
  };
  await choose('Strategie und Steuerung', 'Hat Ihre Kommune eine beschlossene Digitalisierungsstrategie?', 'Ja');
  await choose('Strategie und Steuerung', 'Wer steuert die Digitalisierung?', 'eine feste Stelle');
  await save('Strategie und Steuerung');
  await section('Online-Leistungen').getByLabel(/Wie viele OZG-Leistungen/).fill('40');
  await choose('Online-Leistungen', 'Ist Ihre Kommune an das Servicekonto angebunden?', 'Nein');
  await save('Online-Leistungen');
  await choose('Personal und Kompetenz', 'Wie viele Beschäftigte haben in diesem Jahr eine Fortbildung zur Digitalisierung besucht?', 'etwa ein Viertel');
  await save('Personal und Kompetenz');
  await choose('Informationssicherheit', 'Gibt es ein Informationssicherheitskonzept?', 'Ja');
  await choose('Informationssicherheit', 'Ist eine Person für die Informationssicherheit benannt?', 'Nein');
  await save('Informationssicherheit');
  await page.getByRole('button', { name: 'Antwort einreichen' }).click();

  // Steuerung (1 + 2/3) / 2, Leistungen (0,4 + 0) / 2, Personal 2/3, Sicherheit 1/2; weights 2, 3, 1, 2.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Selbstcheck: Digitalisierungs-Selbstcheck');
  await expect(page.getByRole('status')).toContainText('Eingereicht: Ihr Ergebnis ist gespeichert.');
  const scores = page.getByRole('table', { name: 'Ihr Ergebnis je Abschnitt (0 bis 100)' });
  await expect(scores.getByRole('row', { name: /Online-Leistungen/ })).toContainText('20 von 100');
  await expect(scores.getByRole('row', { name: /Strategie und Steuerung/ })).toContainText('83 von 100');
  await expect(page.locator('dd').filter({ hasText: /^49 von 100/ })).toBeVisible();
  const advice = page.getByRole('region', { name: 'Online-Leistungen' });
  await expect(advice.getByRole('link')).not.toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Informationssicherheit' })).toBeVisible();
  await expectAccessible(page, 'Selbstcheck-Profil');

  // A member the demo answered for compares with the other small Mitgliedsgemeinden.
  await page.getByRole('navigation', { name: 'Profil einer anderen Kommune' }).getByRole('link', { name: 'Dähre' }).click();
  await expect(page.locator('dd').filter({ hasText: 'Mitgliedsgemeinde, bis 5.000 Einwohner' })).toBeVisible();
  await expect(page.locator('dd').filter({ hasText: /\(Vergleichsgruppe: \d+ von 100\)/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Ihr Ergebnis je Abschnitt (0 bis 100)' }).getByRole('row', { name: /Strategie und Steuerung/ })).toContainText(/von 100.*von 100/);
  await expectAccessible(page, 'Selbstcheck-Profil mit Vergleich');
});

test('an advisor weighs a Selbstcheck\'s section without JavaScript: a weight out of range is refused and what was typed stays', async ({ browser }) => {
  const page = await (await browser.newContext({ baseURL: process.env.DEMO_URL, locale: 'de-DE', javaScriptEnabled: false })).newPage();
  await login(page, 'advisor', file);
  await page.goto('/abfragen');
  await page.getByRole('table', { name: 'Abfragen, neueste zuerst' }).getByRole('row', { name: /Selbstcheck/ }).getByRole('link').click();
  await page.getByText('Gewicht und Empfehlungen von »Online-Leistungen« ändern').click();
  await page.locator('details[open]').getByLabel(/^Gewicht \(0 bis 10/).fill('11');
  await page.locator('details[open]').getByRole('button', { name: /Gewicht und Empfehlungen speichern/ }).click();
  await expect(page.getByRole('alert')).toContainText('Das Gewicht ist eine ganze Zahl von 0 bis 10');
  await expect(page.locator('details[open]').getByLabel(/^Gewicht \(0 bis 10/)).toHaveValue('11');
  await expectAccessibleWithoutJs(page, browser, 'abgelehnte Gewichtung');
});
