import { expect, test } from './fixtures';
import { credentials, expectAccessible, expectAccessibleWithoutJs, login, mailWith } from './helpers';

const stamp = Date.now();
const name = `AG Technik ${stamp}`;
const meeting = `Erste Sitzung ${stamp}`;
const decision = `Gemeinsame Testumgebung ${stamp}`;
const task = `Zertifikat beantragen ${stamp}`;

/** A day `days` from today in Europe/Berlin, as `JJJJ-MM-TT`. */
function day(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86_400_000));
}

/** `TT.MM.JJJJ` of a day `days` from today. */
function german(days: number): string {
  const [y, m, d] = day(days).split('-');
  return `${d}.${m}.${y}`;
}

test.describe.serial('Gremien', () => {
  test('an advisor sets up a working group with a clerk, an association and a partner, plans a meeting and invites', async ({ page }) => {
    await login(page, 'advisor');
    // The Land's main navigation is full; its start page leads to the Gremien.
    await page.getByRole('main').getByRole('link', { name: 'Gremien', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Gremien der Zusammenarbeit');
    // A refused form keeps what was typed.
    await page.getByLabel('Name (Pflichtfeld)').fill('AG');
    await page.getByLabel('Zweck und Auftrag (Pflichtfeld)').fill('Technische Fragen der Anbindung klären.');
    await page.getByLabel('Wer sieht das Gremium?').selectOption('oeffentlich');
    await page.getByRole('button', { name: 'Gremium anlegen' }).click();
    await expect(page.locator('.error-summary')).toContainText('3 bis 200 Zeichen');
    await expect(page.getByLabel('Zweck und Auftrag (Pflichtfeld)')).toHaveValue('Technische Fragen der Anbindung klären.');
    await expectAccessible(page, 'Gremien, Anlegen abgelehnt');
    await page.getByLabel('Name (Pflichtfeld)').fill(name);
    await page.getByRole('button', { name: 'Gremium anlegen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    for (const role of ['clerk', 'association', 'partner'] as const) {
      await page.getByLabel('E-Mail-Adresse des Kontos (Pflichtfeld)').fill(credentials(role).email);
      await page.getByRole('button', { name: 'Aufnehmen' }).click();
      await expect(page.getByRole('status')).toHaveText('Das Mitglied ist aufgenommen.');
    }
    await expect(page.getByRole('table', { name: /4 Mitglieder/ })).toContainText('Demo IT-Dienstleister');
    await expectAccessible(page, 'Gremium für die Geschäftsstelle');
    await page.locator('#sitzung-titel').fill(meeting);
    await page.getByLabel('Beginn (Pflichtfeld)').fill(`${day(7)}T10:00`);
    await page.getByLabel('Ende (Pflichtfeld)').fill(`${day(7)}T12:00`);
    await page.getByLabel('Ort', { exact: true }).fill('Magdeburg, Raum 3');
    await page.getByRole('button', { name: 'Sitzung planen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(meeting);
    await page.getByLabel('Neuer Tagesordnungspunkt (Pflichtfeld)').fill('Testumgebung');
    await page.getByRole('button', { name: 'Punkt ergänzen' }).click();
    await expect(page.getByRole('status')).toHaveText('Der Tagesordnungspunkt ist ergänzt.');
    await page.getByRole('button', { name: 'Mitglieder einladen' }).click();
    await expect(page.getByRole('status')).toContainText('4 Mitglieder erhalten die Einladung');
    const mail = await mailWith(credentials('partner').email, `SUMMARY:${meeting}`);
    expect(mail).toContain('1. Testumgebung');
    expect(mail).toContain('BEGIN:VCALENDAR');
    expect(mail).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    // The minutes: a draft, then circulated for comments.
    await page.getByLabel('Text des Protokolls').fill('## Ergebnisse\n\nDie Testumgebung wird gemeinsam eingerichtet.');
    await page.getByLabel('Kommentare bis (TT.MM.JJJJ, zum Verteilen)').fill(german(5));
    await page.getByRole('button', { name: 'An die Mitglieder verteilen' }).click();
    await expect(page.getByRole('status')).toHaveText('Das Protokoll ist an die Mitglieder zur Kommentierung verteilt.');
    await expectAccessible(page, 'Sitzung für die Geschäftsstelle');
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('the clerk accepts the invitation and comments on the minutes', async ({ page, browser }) => {
      await login(page, 'clerk');
      await page.goto('/gremien');
      await page.getByRole('link', { name }).click();
      await page.getByRole('link', { name: meeting }).click();
      await page.getByRole('button', { name: 'Zusagen' }).click();
      await expect(page.getByRole('status')).toHaveText('Ihre Antwort ist gespeichert.');
      await expect(page.getByText('Ihre Antwort: Zusage.')).toBeVisible();
      await expect(page.getByText('Die Testumgebung wird gemeinsam eingerichtet.')).toBeVisible();
      await page.getByLabel('Ihr Kommentar zu Fassung 1').fill('Bitte die Zertifikate der Kommunen ergänzen.');
      await page.getByRole('button', { name: 'Kommentar senden' }).click();
      await expect(page.getByRole('status')).toHaveText('Ihr Kommentar ist gespeichert.');
      await expect(page.getByText('Bitte die Zertifikate der Kommunen ergänzen.')).toBeVisible();
      await expectAccessibleWithoutJs(page, browser, 'Sitzung für ein Mitglied');
    });
  });

  test('the advisor approves the minutes, prints them, records a public decision and a task', async ({ page }) => {
    await login(page, 'advisor');
    await page.goto('/gremien');
    await page.getByRole('link', { name }).click();
    await page.getByRole('link', { name: meeting }).click();
    await expect(page.getByText('Bitte die Zertifikate der Kommunen ergänzen.')).toBeVisible();
    await page.getByRole('button', { name: 'Fassung 1 genehmigen' }).click();
    await expect(page.getByRole('status')).toHaveText('Das Protokoll ist genehmigt. Es kann nicht mehr geändert werden.');
    await expect(page.getByLabel('Text des Protokolls')).toHaveCount(0);
    await page.getByRole('link', { name: 'Druckansicht (drucken oder als PDF speichern)' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Protokoll: ${meeting}`);
    await expectAccessible(page, 'Druckansicht des Protokolls');
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-header')).toBeHidden();
    await expect(page.locator('.site-footer')).toBeHidden();
    await expect(page.getByText('Die Testumgebung wird gemeinsam eingerichtet.')).toBeVisible();
    await expect(page.getByText('Magdeburg, Raum 3')).toBeVisible();
    await page.emulateMedia({ media: 'screen' });
    await page.goto('/gremien');
    await page.getByRole('link', { name }).click();
    // A decision: refused without its wording, then recorded publicly.
    await page.locator('#beschluss-titel').fill(decision);
    await page.getByLabel('Beschlossen am (TT.MM.JJJJ) (Pflichtfeld)').fill('31.02.2026');
    await page.getByLabel('Wortlaut (Pflichtfeld)').fill('Die Arbeitsgruppe richtet eine **gemeinsame Testumgebung** ein.');
    await page.getByLabel('Wer liest den Beschluss?').selectOption('oeffentlich');
    await page.getByRole('button', { name: 'Beschluss eintragen' }).click();
    await expect(page.locator('.error-summary')).toContainText('TT.MM.JJJJ');
    await expect(page.getByLabel('Wortlaut (Pflichtfeld)')).toHaveValue('Die Arbeitsgruppe richtet eine **gemeinsame Testumgebung** ein.');
    await page.getByLabel('Beschlossen am (TT.MM.JJJJ) (Pflichtfeld)').fill(german(0));
    await page.getByRole('button', { name: 'Beschluss eintragen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`^Beschluss 1/\\d{4}: ${decision}$`));
    await page.getByRole('link', { name }).click();
    // A task for the clerk, due yesterday: overdue at once.
    await page.getByLabel('Maßnahme (Pflichtfeld)').fill(task);
    await page.getByLabel('Verantwortlich (Pflichtfeld)').fill(credentials('clerk').email);
    await page.getByLabel('Fällig am (TT.MM.JJJJ) (Pflichtfeld)').fill(german(-1));
    await page.getByLabel('Aus der Sitzung (optional)').selectOption({ label: meeting });
    await page.getByRole('button', { name: 'Maßnahme anlegen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Maßnahme: ${task}`);
    await expect(page.getByText('überfällig')).toBeVisible();
    await expectAccessible(page, 'Maßnahme');
  });

  test('an anonymous visitor finds the decision in the public register', async ({ page }) => {
    await page.goto('/beschluesse');
    await page.getByLabel('Suche in Titel und Wortlaut').fill(`Testumgebung ${stamp}`.split(' ')[0]);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('link', { name: new RegExp(decision) }).click();
    await expect(page.getByText('gemeinsame Testumgebung', { exact: true })).toBeVisible();
    await expectAccessible(page, 'Beschluss, öffentlich');
    // The body itself is public: its members' organisations, no names of people.
    await page.getByRole('link', { name }).click();
    await expect(page.getByText('Demo IT-Dienstleister des Landes')).toBeVisible();
    await expect(page.getByText('Demo Sachbearbeitung Magdeburg')).toHaveCount(0);
    const feed = await page.request.get('/beschluesse.atom');
    expect(await feed.text()).toContain(decision);
  });

  test('the overdue task stands on the clerk\'s start page', async ({ page }) => {
    await login(page, 'clerk');
    await page.goto('/');
    const tasks = page.getByRole('region', { name: 'Ihre Maßnahmen aus Gremien' });
    await expect(tasks).toContainText(task);
    await expect(tasks).toContainText('überfällig');
    await expectAccessible(page, 'Startseite mit überfälliger Maßnahme');
    await page.goto('/gremien/massnahmen');
    await expect(page.getByRole('table', { name: 'Ihre offenen Maßnahmen' })).toContainText(task);
    await expectAccessible(page, 'Ihre Maßnahmen');
  });

  test('an administrator sets up a partner organisation; a refused key keeps what was typed', async ({ page }) => {
    await login(page, 'admin');
    await page.goto('/verwaltung/partner');
    await expect(page.getByRole('table', { name: 'Partnerorganisationen' })).toContainText('ITDL-DEMO');
    await page.getByLabel('Schlüssel (Pflichtfeld)').fill('?');
    await page.getByLabel('Name (Pflichtfeld)').fill(`Landesamt ${stamp}`);
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.locator('.error-summary')).toContainText('2 bis 20 Zeichen');
    await expect(page.getByLabel('Name (Pflichtfeld)')).toHaveValue(`Landesamt ${stamp}`);
    await expectAccessible(page, 'Partnerorganisationen, abgelehnt');
    await page.getByLabel('Schlüssel (Pflichtfeld)').fill(`LA-${stamp % 100000}`);
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByRole('table', { name: 'Partnerorganisationen' })).toContainText(`Landesamt ${stamp}`);
  });
});
