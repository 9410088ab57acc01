import { expect, test } from './fixtures';
import { expectAccessible, login, loginAs } from './helpers';

// On the portal with the demo data: Magdeburg reports a fault of the first demo EfA service (a
// refused submit first), the demo Verbandsgemeinde joins it, the service's operator answers and
// sets "behoben", and both Kommunen are told; the operator sets "Test" on the Verbandsgemeinde's
// connection and its clerk sees it.
const file = process.env.DEMO_FULL_CREDENTIALS;
const VG = 'demo.verbandsgemeinde@ozg-portal.example';
test.use({ baseURL: process.env.DEMO_URL });

test('a fault is reported, joined, answered and fixed, and both Kommunen are told', async ({ page, browser }) => {
  const title = `Anträge ohne Nachweise ${Date.now()}`;
  await login(page, 'clerk', file);
  // The start page names the service that runs with limitations; its page leads to the reports.
  await page.getByRole('link', { name: /EfA-Dienst A \(Demo\): eingeschränkt/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('EfA-Dienst A (Demo)');
  await expect(page.getByRole('region', { name: 'Betriebszustand' })).toContainText('Anlagen über 10 MB');
  await page.getByRole('link', { name: 'Meldungen der Kommunen zu diesem Dienst' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Betrieb und Meldungen: EfA-Dienst A (Demo)');
  await expect(page.getByRole('table', { name: 'Offene Meldungen zu EfA-Dienst A (Demo)' })).toContainText('Anträge kommen ohne Anlagen');
  const form = page.getByRole('region', { name: 'Störung oder Anforderung melden' });
  await form.getByLabel('Titel').fill(title);
  await form.getByRole('button', { name: 'Meldung absenden' }).click();
  await expect(page.getByRole('alert')).toContainText('Bitte wählen Sie, ob Sie eine Störung oder eine Anforderung melden.');
  await expect(page.getByLabel('Titel')).toHaveValue(title);
  await expectAccessible(page, 'Abgelehnte Meldung einer Störung');
  await page.getByLabel('Störung', { exact: true }).check();
  await page.getByLabel('Beschreibung').fill('Seit heute Morgen kommen die Anträge ohne die hochgeladenen Nachweise an.');
  await page.getByLabel('Wie schwer trifft es Sie?').selectOption('hoch');
  await page.getByLabel('Seit wann?').fill('2026-12-01');
  await page.getByLabel('Andere Kommunen dürfen sehen, dass meine Kommune das gemeldet hat').check();
  await page.getByRole('button', { name: 'Meldung absenden' }).click();
  await expect(page.getByRole('status')).toContainText('Ihre Meldung ist eingegangen.');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Störung: ${title}`);
  const report = new URL(page.url()).pathname;

  // The Verbandsgemeinde is connected too: it reads the report and joins it.
  const vgContext = await browser.newContext();
  const vg = await vgContext.newPage();
  await loginAs(vg, VG, file);
  await vg.goto(report);
  await expect(vg.getByText('Magdeburg, Landeshauptstadt')).toBeVisible();
  await vg.getByRole('button', { name: /^Betrifft uns auch/ }).click();
  await expect(vg.getByRole('status')).toContainText('Ihre Kommune ist als betroffen vermerkt');
  await expect(vg.locator('dl.profile')).toContainText('2 (darunter Ihre)');
  await expectAccessible(vg, 'Meldung, von einer zweiten Kommune mitgezeichnet');

  // The operator answers and sets "behoben".
  const opContext = await browser.newContext();
  const op = await opContext.newPage();
  await login(op, 'partner', file);
  await op.goto(report);
  await op.getByLabel('Status', { exact: true }).selectOption('behoben');
  await op.getByLabel('Öffentliche Antwort').fill('Behoben mit dem Update von heute Mittag.');
  await op.getByRole('button', { name: 'Antwort speichern' }).click();
  await expect(op.getByRole('status')).toContainText('Die Antwort ist gespeichert');
  await expect(op.locator('dl.profile')).toContainText('behoben');
  await expectAccessible(op, 'Meldung mit Antwort des Betreibers');

  // Both Kommunen are told.
  for (const p of [page, vg]) {
    await p.goto('/benachrichtigungen');
    await expect(p.getByText(`Die Meldung »${title}« (Störung) steht jetzt auf »behoben«`)).toBeVisible();
  }
  await vgContext.close();
  await opContext.close();
});

test('the operator sets "Test" on a prepared connection and the Kommune sees it', async ({ page, browser }) => {
  await login(page, 'partner', file);
  await expect(page.getByRole('table', { name: 'Anbindungen der Kommunen an Ihre Dienste' })).toBeVisible();
  await page.getByRole('link', { name: 'EfA-Dienst A (Demo)', exact: true }).click();
  await page.getByRole('table', { name: 'Anbindungen an diesen Dienst' }).getByRole('link', { name: /Beetzendorf-Diesdorf/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Anbindung an EfA-Dienst A (Demo)');
  await expect(page.getByRole('heading', { name: 'Kosten' })).toHaveCount(0);
  await expectAccessible(page, 'Anbindung aus Sicht des Betreibers');
  await page.getByLabel('Trotz offener Punkte weiter zu »Test«').check();
  await page.getByRole('button', { name: 'Weiter: Test' }).click();
  await expect(page.getByRole('status')).toContainText('Der Schritt ist gespeichert.');
  const connection = new URL(page.url()).pathname;

  const vgContext = await browser.newContext();
  const vg = await vgContext.newPage();
  await loginAs(vg, VG, file);
  await vg.goto('/benachrichtigungen');
  await expect(vg.getByText(/Der Betreiber hat die Anbindung von .* an »EfA-Dienst A \(Demo\)« auf »Test« gesetzt\./)).toBeVisible();
  await vg.goto(connection);
  await expect(vg.getByText('Schritt 4 von 5: Test')).toBeVisible();
  await vgContext.close();
});

test('a blocked item goes to the operator, who answers; an administrator is refused an internal webhook address', async ({ page, browser }) => {
  await login(page, 'clerk', file);
  // The demo clerk's connection to the first service: block its first item and give it to the operator.
  await page.getByRole('link', { name: /EfA-Dienst A \(Demo\): eingeschränkt/ }).click();
  await page.getByRole('table', { name: 'Anbindungen an diesen Dienst' }).getByRole('link', { name: /Magdeburg/ }).click();
  await page.locator('#status-1').selectOption('blockiert');
  await page.locator('#notiz-1').fill('Kein Zugang zum Pflegeclient.');
  await page.locator('#punkt-1').getByRole('button', { name: /^Speichern/ }).click();
  await expect(page.locator('#punkt-1').getByRole('status')).toBeVisible();
  await page.locator('#punkt-1').getByRole('button', { name: /^An den Betreiber/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Anbindung EfA-Dienst A (Demo)');
  await expect(page.getByText('Demo IT-Dienstleister des Landes (antwortet in diesem Fall)')).toBeVisible();
  const caseUrl = new URL(page.url()).pathname;

  const opContext = await browser.newContext();
  const op = await opContext.newPage();
  await login(op, 'partner', file);
  await op.goto(caseUrl);
  await op.getByLabel('Antwort an die Kommune (für die Kommune sichtbar)').fill('Der Zugang ist beantragt.');
  await op.getByRole('button', { name: 'Antwort senden' }).click();
  await expect(op.getByRole('status')).toHaveText('Ihre Antwort wurde gesendet.');
  await expectAccessible(op, 'Geteilter Fall aus Sicht des Betreibers');
  await opContext.close();
  await page.goto(caseUrl);
  await expect(page.locator('.conversation')).toContainText('Der Zugang ist beantragt.');
  await expect(page.getByText('Antwort des Betreibers', { exact: true })).toBeVisible();

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, 'admin', file);
  await admin.goto('/verwaltung/webhooks');
  await admin.getByLabel('Organisation').selectOption({ label: 'Demo IT-Dienstleister des Landes' });
  await admin.getByLabel('Adresse (https://…)').fill('https://10.1.2.3/hook');
  await admin.getByLabel('Status eines Beratungsfalls').check();
  await admin.getByRole('button', { name: 'Eintragen' }).click();
  await expect(admin.getByRole('alert').first()).toContainText('interne Adresse 10.1.2.3');
  await expect(admin.getByLabel('Status eines Beratungsfalls')).toBeChecked();
  await expectAccessible(admin, 'Webhooks mit abgelehnter Adresse');
  await adminContext.close();
});
