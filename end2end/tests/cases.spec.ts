import { APIRequestContext, Page, request as playwrightRequest } from '@playwright/test';
import { expect, test } from './fixtures';
import { credentials, expectAccessible, expectAccessibleWithoutJs, login, Role, tabTo, waitForHydration, signOut, openAdminArea } from './helpers';

/** An API client signed in with a demo account (its own cookie jar). */
async function api(role: Role): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000' });
  const res = await ctx.post('/api/v1/session', { data: credentials(role) });
  expect(res.status()).toBe(204);
  return ctx;
}

async function move(advisor: APIRequestContext, id: number, statuses: string[]) {
  for (const status of statuses) {
    const read = await (await advisor.get(`/api/v1/cases/${id}`)).json();
    const res = await advisor.patch(`/api/v1/cases/${id}`, { data: { version: read.case.version, status } });
    expect(res.status(), `${status}`).toBe(200);
  }
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function logout(page: Page) {
  await signOut(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anmelden');
}

test('a clerk files a case with an attachment; an advisor assigns it, notes internally and replies; the clerk sees only the reply', async ({ page }) => {
  const subject = `Anbindung ePayment ${Date.now()}`;
  const note = 'Interne Einschätzung: Rückfrage beim Dienstleister nötig';
  const reply = 'Bitte nutzen Sie den Landesbasisdienst ePayment; Anleitung folgt.';

  await login(page, 'clerk');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Beratungsfälle' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Beratungsfälle meiner Kommune');
  await expectAccessible(page, 'Fallliste der Kommune');
  await page.getByRole('link', { name: 'Neuen Fall anlegen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Neuen Beratungsfall anlegen');
  // The first step asks for the subject to show matching articles: refused without one, on the
  // server too (browser validation off), keeping the Leistung typed.
  await expect(page.getByText('Schritt 1 von 2')).toBeVisible();
  await page.getByLabel('Betroffene OZG-Leistungen (optional)').fill('Elterngeld');
  await page.locator('form[action="/faelle/neu"]').evaluate((f) => f.setAttribute('novalidate', ''));
  await page.getByRole('button', { name: 'Weiter' }).click();
  await expect(page.getByRole('alert')).toContainText('Bitte geben Sie einen Betreff ein');
  await expect(page.getByText('Schritt 1 von 2')).toBeVisible();
  await expect(page.getByLabel('Betroffene OZG-Leistungen (optional)')).toHaveValue('Elterngeld');
  await expectAccessible(page, 'Erster Schritt mit Fehler');
  // Chosen by name, the Leistung comes back as the list writes it.
  await page.getByLabel('Betreff').fill(subject);
  await page.getByRole('button', { name: 'Weiter' }).click();
  await expect(page.getByText('Schritt 2 von 2')).toBeVisible();
  await expect(page.getByLabel('Betroffene OZG-Leistungen (optional)')).toHaveValue('Elterngeld (10000)');
  // A submit without the required fields is refused with messages (browser validation off).
  await page.getByLabel('Betreff (Pflichtfeld)').fill('');
  await page.locator('form.case-form').evaluate((f) => f.setAttribute('novalidate', ''));
  await page.getByRole('button', { name: 'Fall anlegen' }).click();
  await expect(page.getByRole('alert')).toContainText('Bitte geben Sie einen Betreff an.');
  await expectAccessible(page, 'Fallformular mit Fehlern');
  await page.getByLabel('Betreff (Pflichtfeld)').fill(subject);
  await page.getByLabel('Kategorie (Pflichtfeld)').selectOption({ label: 'Technik/Anbindung' });
  await page.getByLabel('Beschreibung (Pflichtfeld)').fill('Wir möchten Gebühren online einnehmen. Wie binden wir ePayment an?');
  await page.getByLabel('Betroffene OZG-Leistungen (optional)').fill('10000');
  await page.getByRole('button', { name: 'Fall anlegen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
  await expect(page.getByRole('status')).toContainText('Der Fall wurde angelegt');
  // The case names its Leistung and links it to the Kommune's register.
  await expect(page.locator('.case-facts').getByRole('link', { name: 'Elterngeld (10000)' })).toHaveAttribute('href', /\/leistungen\/10000$/);
  await page.getByLabel('Datei hinzufügen').setInputFiles({ name: 'Gebuehrenbescheid.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Hochladen' }).click();
  await expect(page.getByRole('status')).toContainText('Der Anhang wurde gespeichert.');
  await expect(page.getByRole('link', { name: 'Gebuehrenbescheid.pdf' })).toBeVisible();
  // A file of a disallowed kind is refused with a German message.
  await page.getByLabel('Datei hinzufügen').setInputFiles({ name: 'skript.html', mimeType: 'text/html', buffer: Buffer.from('<script>alert(1)</script>') });
  await page.getByRole('button', { name: 'Hochladen' }).click();
  // Refused, the upload goes back to the case with its message.
  await expect(page.getByRole('alert')).toContainText('nicht angenommen');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
  await expectAccessible(page, 'Fall der Kommune');
  const id = page.url().match(/\/faelle\/(\d+)/)?.[1];
  expect(id).toBeTruthy();
  await logout(page);

  await login(page, 'advisor');
  await page.goto('/faelle?ansicht=unassigned');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Posteingang Beratungsfälle');
  await expect(page.getByRole('link', { name: 'Unzugewiesen' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page, 'Posteingang Unzugewiesen');
  await page.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
  await expect(page.getByText('Erste Antwort:')).toBeVisible();
  await expectAccessible(page, 'Fall in der Beratung');
  await page.getByLabel('Zuständig', { exact: true }).selectOption({ label: 'Demo Beratung Land' });
  await page.getByLabel('Status', { exact: true }).selectOption({ label: '→ In Prüfung' });
  await page.getByLabel('Priorität', { exact: true }).selectOption({ label: 'hoch' });
  await page.getByRole('button', { name: 'Änderungen speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Die Änderungen wurden gespeichert.');
  await expect(page.locator('.case-facts')).toContainText('In Prüfung');
  await expect(page.locator('.case-facts')).toContainText('Demo Beratung Land');
  await page.getByLabel('Interne Notiz – für die Kommune nicht sichtbar').fill(note);
  await page.getByRole('button', { name: 'Interne Notiz speichern' }).click();
  await expect(page.getByRole('status')).toContainText('Die interne Notiz wurde gespeichert.');
  await expect(page.locator('.message-internal')).toContainText(note);
  await expect(page.locator('.message-internal')).toContainText('Interne Notiz – für die Kommune nicht sichtbar');
  await page.getByLabel('Antwort an die Kommune (für die Kommune sichtbar)').fill(reply);
  await page.getByRole('button', { name: 'Antwort senden' }).click();
  await expect(page.getByRole('status')).toContainText('Ihre Antwort wurde gesendet.');
  await expect(page.locator('.message-land')).toContainText(reply);
  await expect(page.locator('.sla-met, .sla-breached').first()).toBeVisible();
  await expectAccessible(page, 'Fall mit Notiz und Antwort');
  // The advisor finds the case in "Meine Fälle" and by full-text search over the note.
  await page.goto(`/faelle?ansicht=all&suche=${encodeURIComponent('Dienstleister')}`);
  await expect(page.getByRole('link', { name: subject })).toBeVisible();
  await logout(page);

  await login(page, 'clerk');
  await expect(page.locator('details.person-menu > summary .badge-count')).toBeVisible();
  await page.goto(`/faelle/${id}`);
  await expect(page.locator('.message-land')).toContainText(reply);
  await expect(page.getByText(note)).toHaveCount(0);
  expect(await page.content()).not.toContain('Dienstleister nötig');
  await expect(page.getByText('Priorität')).toHaveCount(0);
  await page.goto(`/faelle?ansicht=all&suche=${encodeURIComponent('Dienstleister')}`);
  await expect(page.getByText('Keine Fälle gefunden.')).toBeVisible();
  await page.goto('/benachrichtigungen');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Benachrichtigungen');
  await expect(page.getByRole('link', { name: new RegExp(`Neue Antwort zu Fall ${id}`) })).toBeVisible();
  await expectAccessible(page, 'Benachrichtigungen');
});

test('an advisor bulk-closes two solved cases from the inbox', async ({ page }) => {
  const clerk = await api('clerk');
  const advisor = await api('advisor');
  const tag = `sammel${Date.now()}`;
  const ids: number[] = [];
  for (const subject of ['Sammelfall eins', 'Sammelfall zwei']) {
    const res = await clerk.post('/api/v1/cases', { data: { subject, category: 'sonstiges', description: 'x' } });
    expect(res.status()).toBe(201);
    ids.push((await res.json()).id);
  }
  for (const id of ids) {
    await move(advisor, id, ['triage', 'in_progress', 'solved']);
    const read = await (await advisor.get(`/api/v1/cases/${id}`)).json();
    await advisor.patch(`/api/v1/cases/${id}`, { data: { version: read.case.version, tags: [tag] } });
  }
  await login(page, 'advisor');
  await page.goto(`/faelle?ansicht=all&schlagwort=${tag}`);
  await waitForHydration(page);
  await expect(page.getByText('2 Fälle gefunden')).toBeVisible();
  for (const id of ids) {
    await page.getByLabel(`Fall ${id} auswählen`).check();
  }
  await page.getByLabel('Status setzen').selectOption({ label: 'Geschlossen' });
  await page.getByRole('button', { name: 'Sammelaktion ausführen' }).click();
  await expect(page.getByRole('status').first()).toContainText('Sammelaktion ausgeführt: 2 Fälle geändert.');
  await expectAccessible(page, 'Posteingang nach Sammelaktion');
  for (const id of ids) {
    const read = await (await advisor.get(`/api/v1/cases/${id}`)).json();
    expect(read.case.status).toBe('closed');
  }
  await clerk.dispose();
  await advisor.dispose();
});

test('an advisor works the inbox with the keyboard only', async ({ page }) => {
  const clerk = await api('clerk');
  const subject = `Tastaturfall ${Date.now()}`;
  const res = await clerk.post('/api/v1/cases', { data: { subject, category: 'recht', description: 'Per Tastatur zu öffnen' } });
  expect(res.status()).toBe(201);
  await clerk.dispose();
  await login(page, 'advisor');
  await page.goto('/faelle?ansicht=unassigned&sortierung=created');
  await waitForHydration(page);
  await tabTo(page, subject, 120);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
  // A full page load: the browser announces the case by its title.
  await expect(page).toHaveTitle(new RegExp(`^Fall .*${subject}|${subject}.*OZG-Portal`));
  // Reply by keyboard: focus the field, type, Tab to the button, Enter.
  await page.getByLabel('Antwort an die Kommune (für die Kommune sichtbar)').focus();
  await page.keyboard.type('Wir prüfen das.');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Ihre Antwort wurde gesendet.');
});

test('an administrator sets up teams, categories, targets and working hours', async ({ page }) => {
  await login(page, 'admin');
  await openAdminArea(page, 'Beratung einrichten');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Beratungsfälle einrichten');
  await waitForHydration(page);
  await expectAccessible(page, 'Beratung einrichten');
  const team = `Team Süd ${Date.now()}`;
  await page.getByLabel('Name des neuen Teams').fill(team);
  await page.getByRole('button', { name: 'Team anlegen' }).click();
  await expect(page.getByRole('status')).toContainText('Gespeichert.');
  await page.getByLabel(`Teamleitung (${team})`).selectOption({ label: 'Demo Beratung Land' });
  await page.getByRole('button', { name: `Team »${team}« speichern` }).click();
  await page.waitForLoadState('networkidle');
  // What is shown after a reload comes from the server.
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByLabel(`Teamleitung (${team})`).locator('option:checked')).toHaveText('Demo Beratung Land');
  await page.getByLabel('Erste Antwort (dringend)').fill('2');
  await page.getByLabel('Folgeantwort (dringend)').fill('3');
  await page.getByRole('button', { name: 'Servicezeiten »dringend« speichern' }).click();
  await page.waitForLoadState('networkidle');
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByLabel('Erste Antwort (dringend)')).toHaveValue('2');
  await expect(page.getByLabel('Folgeantwort (dringend)')).toHaveValue('3');
  // A bad value is refused with a German message.
  await page.getByLabel('Ende (HH:MM)').fill('07:00');
  await page.getByRole('button', { name: 'Arbeitszeiten speichern' }).click();
  await expect(page.getByRole('alert')).toContainText('nach ihrem Beginn');
  await expectAccessible(page, 'Beratung einrichten mit Fehler');
});

/** A case the demo clerk files through the REST API; its number. */
async function fileByApi(page: Page, subject: string): Promise<number> {
  await login(page, 'clerk');
  const res = await page.request.post('/api/v1/cases', { data: { subject, category: 'technik', description: 'Wie geht es weiter?' } });
  expect(res.status()).toBe(201);
  return (await res.json()).id;
}

/** The advisor answers and waits for the Kommune; the clerk finds the answer on the start page. */
async function answerAndWait(page: Page, subject: string, check: (page: Page) => Promise<void>) {
  const id = await fileByApi(page, subject);
  await signOut(page);
  await login(page, 'advisor');
  await page.goto(`/faelle/${id}`);
  const facts = page.locator('dl.profile');
  await expect(facts).toContainText('Neu');
  await page.getByLabel('Antwort an die Kommune (für die Kommune sichtbar)').fill('Welches Fachverfahren nutzen Sie?');
  await page.getByRole('button', { name: 'Antworten und auf die Kommune warten' }).click();
  await expect(page.getByRole('status')).toBeVisible();
  await expect(facts).toContainText('Wartet auf Kommune');
  await expect(facts).toContainText('Demo Beratung Land');
  await check(page);
  await signOut(page);
  await login(page, 'clerk');
  const replies = page.getByRole('heading', { name: 'Neue Antworten der Beratung' });
  await expect(replies).toBeVisible();
  await page.getByRole('link', { name: `Fall ${id} »${subject}«` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
  await page.goto('/');
  await expect(page.getByRole('link', { name: `Fall ${id} »${subject}«` })).toHaveCount(0);
}

test('an advisor answers and waits for the Kommune; the clerk finds the answer on the start page', async ({ page }) => {
  await answerAndWait(page, `Antwort mit Warten ${Date.now()}`, (p) => expectAccessible(p, 'Fall nach Antwort mit Warten'));
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('answering and waiting works as a plain form', async ({ page, browser }) => {
    await answerAndWait(page, `Ohne JavaScript warten ${Date.now()}`, (p) => expectAccessibleWithoutJs(p, browser, 'Fall nach Antwort mit Warten ohne JavaScript'));
  });

  test('a clerk files and answers a case, an advisor replies, with plain forms', async ({ page, browser }) => {
    const subject = `Ohne JavaScript ${Date.now()}`;
    await login(page, 'clerk');
    // A first step without a subject comes back with its message and what was typed.
    await page.goto('/faelle/neu?schritt=2&betreff=&ozg=Elterngld');
    await expect(page.getByText('Schritt 1 von 2')).toBeVisible();
    await expect(page.locator('.error-summary')).toContainText('Bitte geben Sie einen Betreff ein');
    await expect(page.locator('.error-summary')).toContainText('»Elterngld« ist keine OZG-Leistung des Katalogs');
    await expect(page.getByLabel('Betroffene OZG-Leistungen (optional)')).toHaveValue('Elterngld');
    await expectAccessibleWithoutJs(page, browser, 'Erster Schritt mit Fehlern ohne JavaScript');
    await page.getByLabel('Betreff').fill(subject);
    await page.getByLabel('Betroffene OZG-Leistungen (optional)').fill('Elterngeld (10000)');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await expect(page.getByText('Schritt 2 von 2')).toBeVisible();
    await expect(page.getByLabel('Betreff (Pflichtfeld)')).toHaveValue(subject);
    await expect(page.getByLabel('Betroffene OZG-Leistungen (optional)')).toHaveValue('Elterngeld (10000)');
    await page.getByLabel('Kategorie (Pflichtfeld)').selectOption({ label: 'Recht' });
    await page.getByLabel('Beschreibung (Pflichtfeld)').fill('Gilt die Schriftform auch online?');
    // A wrong OZG-ID is refused, and the form comes back with everything typed.
    await page.getByLabel('Betroffene OZG-Leistungen (optional)').fill('99999');
    await page.getByRole('button', { name: 'Fall anlegen' }).click();
    await expect(page.locator('.error-summary')).toContainText('99999');
    await expect(page.getByLabel('Betreff (Pflichtfeld)')).toHaveValue(subject);
    await expect(page.getByLabel('Kategorie (Pflichtfeld)').locator('option:checked')).toHaveText('Recht');
    await expect(page.getByLabel('Beschreibung (Pflichtfeld)')).toHaveValue('Gilt die Schriftform auch online?');
    await expect(page.getByLabel('Betroffene OZG-Leistungen (optional)')).toHaveValue('99999');
    await page.getByLabel('Betroffene OZG-Leistungen (optional)').fill('');
    await page.getByRole('button', { name: 'Fall anlegen' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
    await expectAccessibleWithoutJs(page, browser, 'Fall ohne JavaScript');
    await page.getByLabel('Datei hinzufügen').setInputFiles({ name: 'Frage.txt', mimeType: 'text/plain', buffer: Buffer.from('Frage zur Schriftform') });
    await page.getByRole('button', { name: 'Hochladen' }).click();
    await expect(page.getByRole('link', { name: 'Frage.txt' })).toBeVisible();
    const id = page.url().match(/\/faelle\/(\d+)/)?.[1];
    await page.getByLabel('Antwort an die Landesberatung').fill('Ergänzung: es geht um Bauanträge.');
    await page.getByRole('button', { name: 'Antwort senden' }).click();
    await expect(page.locator('.message-kommune')).toContainText('Ergänzung: es geht um Bauanträge.');
    await signOut(page);

    await login(page, 'advisor');
    await page.goto(`/faelle?ansicht=all&suche=${encodeURIComponent('Bauanträge')}`);
    await expect(page.getByRole('link', { name: subject })).toBeVisible();
    await expectAccessibleWithoutJs(page, browser, 'Posteingang ohne JavaScript');
    await page.getByRole('link', { name: subject }).click();
    await page.getByLabel('Status', { exact: true }).selectOption({ label: '→ In Prüfung' });
    await page.getByRole('button', { name: 'Änderungen speichern' }).click();
    await expect(page.locator('.case-facts')).toContainText('In Prüfung');
    await page.getByLabel('Antwort an die Kommune (für die Kommune sichtbar)').fill('Ja, mit eID ersetzt.');
    await page.getByRole('button', { name: 'Antwort senden' }).click();
    await expect(page.locator('.message-land')).toContainText('Ja, mit eID ersetzt.');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(`Fall ${id}`);
    await expectAccessibleWithoutJs(page, browser, 'Fall in der Beratung ohne JavaScript');
  });
});
