import { expect, test } from './fixtures';
import { expectAccessible, expectAccessibleWithoutJs, login } from './helpers';

const stamp = Date.now();
const efa = `EfA-Testdienst ${stamp}`;
const programme = `Digitalprogramm ${stamp}`;
const project = `E-Akte im Bürgeramt ${stamp}`;
const ozg = '10010';

function isoDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test.describe.serial('Nachnutzung und Förderung', () => {
  test('an administrator lists an EfA service and opens a funding programme', async ({ page }) => {
    await login(page, 'admin');
    await page.goto('/verwaltung/katalog');
    await page.getByLabel('Name des EfA-Dienstes').fill(efa);
    await page.getByLabel('Bereitstellendes Land (optional)').fill('Hessen');
    await page.getByLabel('Betreiber (optional)').fill('ekom21');
    await page.getByLabel('Link zum Angebot auf dem Marktplatz für EfA-Leistungen (optional)').fill('https://marktplatz.example/efa/test');
    await page.getByRole('button', { name: 'In die Liste aufnehmen' }).click();
    await expect(page.getByRole('rowheader', { name: efa })).toBeVisible();
    await page.goto('/foerderung');
    await page.getByRole('link', { name: 'Neues Programm' }).click();
    await page.getByLabel('Name (Pflichtfeld)').fill(programme);
    await page.getByLabel('Budget in Euro (Pflichtfeld)').fill('1.000.000,00');
    await page.getByLabel('Förderquote in Prozent (Pflichtfeld)').fill('80');
    await page.getByLabel('Höchstbetrag je Vorhaben in Euro (Pflichtfeld)').fill('50.000,00');
    await page.getByLabel('Antragsfrist von (Pflichtfeld)').fill(isoDay(-10));
    await page.getByLabel('Antragsfrist bis (Pflichtfeld)').fill(isoDay(30));
    await expectAccessible(page, 'Förderprogramm anlegen');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByRole('status')).toHaveText('Das Programm ist gespeichert.');
    await expect(page.getByRole('heading', { level: 2, name: programme })).toBeVisible();
  });

  test('an advisor assigns the EfA service to an OZG-Leistung in the overview', async ({ page }) => {
    await login(page, 'advisor');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Nachnutzung', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nachnutzungsübersicht');
    await page.getByLabel('Suche (OZG-ID, Leistung, EfA-Dienst)').fill(ozg);
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await page.getByRole('link', { name: /^Bearbeiten/ }).first().click();
    await page.getByLabel('Umsetzungsmodell').selectOption({ label: 'EfA-Nachnutzung' });
    await page.getByLabel('EfA-Dienst').selectOption({ label: `${efa} (Hessen)` });
    await page.getByLabel('Priorität des Landes').selectOption({ label: '1 – hoch' });
    await page.getByLabel('Phase').selectOption({ label: 'Roll-out' });
    await expectAccessible(page, 'Zeile der Übersicht bearbeiten');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect(page.getByRole('status').first()).toHaveText(`Die Zeile zu ${ozg} ist gespeichert.`);
    await expect(page.getByRole('link', { name: efa, exact: true })).toBeVisible();
    await expectAccessible(page, 'Nachnutzungsübersicht');
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('a clerk declares interest, takes the next step and opens a case from a blocked item', async ({ page, browser }) => {
      await login(page, 'clerk');
      await page.goto(`/nachnutzung?q=${ozg}`);
      await page.getByRole('link', { name: efa, exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(efa);
      await page.getByRole('button', { name: /^Interesse bekunden für/ }).first().click();
      await expect(page.getByRole('status')).toContainText('Ihr Interesse ist erfasst');
      await expect(page.getByRole('heading', { level: 1 })).toContainText(`Anbindung an ${efa}`);
      // Where it stands, how much of the checklist is done, and a confirmation before moving on
      // with open items; pausing sits behind a disclosure.
      await expect(page.getByText('Schritt 1 von 5: Interesse bekundet')).toBeVisible();
      await expect(page.getByRole('list', { name: 'Schritte der Anbindung' }).locator('[aria-current="step"]')).toContainText('Interesse bekundet');
      await expect(page.getByText(/^0 von \d+ erledigt – noch \d+ offen$/)).toBeVisible();
      await expect(page.getByRole('button', { name: 'Zurückstellen' })).toBeHidden();
      await expect(page.getByText('Anbindung zurückstellen')).toBeVisible();
      await page.getByRole('button', { name: 'Weiter: Nutzungsvereinbarung unterzeichnet' }).click();
      await expect(page.locator('.error-summary')).toContainText(/Noch \d+ von \d+ Punkten der Checkliste sind offen/);
      await expect(page.getByText('Schritt 1 von 5: Interesse bekundet')).toBeVisible();
      await page.getByLabel('Trotz offener Punkte weiter zu »Nutzungsvereinbarung unterzeichnet«').check();
      await page.getByRole('button', { name: 'Weiter: Nutzungsvereinbarung unterzeichnet' }).click();
      await expect(page.getByRole('status')).toHaveText('Der Schritt ist gespeichert.');
      await expect(page.getByText('Schritt 2 von 5: Nutzungsvereinbarung unterzeichnet')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Weiter: Anbindung in Vorbereitung' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Weiter: Live' })).toHaveCount(0);
      await page.locator('#status-3').selectOption('blockiert');
      await page.locator('#notiz-3').fill('Das Zertifikat für den DVDV-Eintrag fehlt noch.');
      await page.getByRole('button', { name: /^Speichern\s*: DVDV-Eintrag mit Zertifikat$/ }).click();
      // The confirmation stands at the item saved, where the page opens.
      await expect(page.locator('#punkt-3').getByRole('status')).toHaveText('Der Punkt der Checkliste ist gespeichert.');
      await expect(page).toHaveURL(/#punkt-3$/);
      // The register and the Nachnutzung link to each other.
      await page.getByRole('link', { name: /\(10010\)$/ }).click();
      await expect(page.locator('#nachnutzung')).toContainText(efa);
      await page.locator('#nachnutzung').getByRole('link', { name: 'Zur Anbindung (Schritt: Nutzungsvereinbarung unterzeichnet)' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(`Anbindung an ${efa}`);
      await expectAccessibleWithoutJs(page, browser, 'Anbindung mit blockiertem Punkt');
      await page.getByRole('button', { name: /^Beratungsfall an das Land\s*: DVDV-Eintrag mit Zertifikat$/ }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(`Anbindung ${efa}: DVDV-Eintrag mit Zertifikat`);
    });
  });

  test('an advisor confirms the connection live and enters its costs', async ({ page }) => {
    await login(page, 'advisor');
    await page.goto(`/nachnutzung?q=${ozg}`);
    await page.getByRole('link', { name: efa, exact: true }).click();
    await expect(page.getByRole('cell', { name: 'Nutzungsvereinbarung unterzeichnet' })).toBeVisible();
    await expectAccessible(page, 'EfA-Dienst mit Anbindungen');
    await page.getByRole('table', { name: 'Anbindungen an diesen Dienst' }).getByRole('link').first().click();
    await page.getByLabel('Trotz offener Punkte weiter zu »Live«').check();
    await page.getByRole('button', { name: 'Weiter: Live' }).click();
    await expect(page.getByRole('status')).toHaveText('Der Schritt ist gespeichert.');
    await expect(page.getByText('Schritt 5 von 5: Live')).toBeVisible();
    await page.getByLabel('Jahr').fill('2027');
    await page.getByLabel('Betrag in Euro').fill('1.250,00');
    await page.getByLabel('Wer trägt die Kosten?').selectOption({ label: 'Land' });
    await page.getByRole('button', { name: 'Kosten hinzufügen' }).click();
    await expect(page.getByRole('table', { name: /einmalig 1\.250,00\s€/ })).toBeVisible();
    await expectAccessible(page, 'Anbindung live mit Kosten');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Nachnutzung' }).click();
    await page.getByRole('link', { name: 'Kosten der Nachnutzung' }).click();
    await expect(page.getByRole('table', { name: 'Kosten je EfA-Dienst' })).toContainText(efa);
    await expectAccessible(page, 'Kosten der Nachnutzung');
    await page.goto('/lagebild/nachnutzung');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Roll-out der EfA-Dienste');
    await expect(page.getByRole('rowheader', { name: efa })).toBeVisible();
    await expectAccessible(page, 'Roll-out im Lagebild (Land)');
  });

  test('a clerk applies for funding within the rate, and an advisor approves', async ({ page }) => {
    await login(page, 'clerk');
    await page.goto('/foerderung');
    await page.getByRole('link', { name: `Antrag stellen: ${programme}` }).click();
    await page.getByLabel('Titel des Vorhabens (Pflichtfeld)').fill(project);
    await page.getByLabel('Beschreibung des Vorhabens (Pflichtfeld)').fill('Einführung der E-Akte mit Anbindung an das Landesportal.');
    // The cost plan is rows of fields: a Bezeichnung and a Betrag each.
    await page.getByLabel('Position 1', { exact: true }).fill('Software');
    await page.getByLabel('Betrag 1 in Euro').fill('8.000,00');
    await page.getByLabel('Position 2', { exact: true }).fill('Schulung');
    await page.getByLabel('Betrag 2 in Euro').fill('2.000,00');
    await page.getByLabel('Beantragte Förderung in Euro (Pflichtfeld)').fill('9.000,00');
    await page.getByRole('button', { name: 'Antrag stellen' }).click();
    await expect(page.getByRole('alert')).toContainText(/Höchstens 8\.000,00\s€ sind möglich/);
    await expectAccessible(page, 'Förderantrag mit Fehler');
    // Refused, the form keeps what was typed, the rows included.
    await expect(page.getByLabel('Titel des Vorhabens (Pflichtfeld)')).toHaveValue(project);
    await expect(page.getByLabel('Position 2', { exact: true })).toHaveValue('Schulung');
    await expect(page.getByLabel('Betrag 2 in Euro')).toHaveValue('2.000,00');
    await page.getByLabel('Beantragte Förderung in Euro (Pflichtfeld)').fill('8.000,00');
    await page.getByRole('button', { name: 'Antrag stellen' }).click();
    await expect(page.getByRole('status')).toHaveText('Ihr Antrag ist eingegangen.');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(project);
    await expectAccessible(page, 'Förderantrag der Kommune');

    await page.context().clearCookies();
    await login(page, 'advisor');
    await page.goto('/foerderung?stand=eingegangen');
    await expect(page.getByRole('table', { name: 'Anträge, neueste zuerst' })).toContainText(project);
    await expectAccessible(page, 'Förderprogramme mit Anträgen');
    await page.getByRole('link', { name: project }).click();
    await page.getByRole('button', { name: 'Prüfung beginnen' }).click();
    await expect(page.getByRole('status')).toHaveText('Neuer Stand: in Prüfung.');
    await page.getByLabel('Bewilligter Betrag in Euro').fill('8.000');
    await page.getByRole('button', { name: 'Bewilligen' }).click();
    await expect(page.getByRole('status')).toHaveText('Neuer Stand: bewilligt.');
    await expectAccessible(page, 'Förderantrag bewilligt');
  });

  test('the public sees the figures without any wasm and without the money of a single Kommune', async ({ page }) => {
    const code: string[] = [];
    page.on('request', (r) => {
      if (/\.(wasm|js)(\?|$)/.test(r.url())) code.push(r.url());
    });
    await page.goto('/lagebild/foerderung');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Förderung der Kommunen');
    await expect(page.getByRole('rowheader', { name: programme })).toBeVisible();
    await expect(page.getByRole('row', { name: new RegExp(programme) })).toContainText('•');
    await expectAccessible(page, 'Förderung im Lagebild (öffentlich)');
    await page.goto('/lagebild/nachnutzung');
    await expectAccessible(page, 'Roll-out im Lagebild (öffentlich)');
    await page.goto('/nachnutzung');
    await expect(page.getByRole('columnheader', { name: 'Land trägt Nachnutzungskosten' })).toHaveCount(0);
    await expectAccessible(page, 'Nachnutzungsübersicht (öffentlich)');
    expect(code).toEqual([]);
  });
});
