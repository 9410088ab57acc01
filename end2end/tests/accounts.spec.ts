import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createHmac } from 'node:crypto';
import { expectAccessible, expectAccessibleWithoutJs, login, mailTo, signOut, expectSignedIn } from './helpers';

/** RFC 6238 TOTP (SHA-1, 30 s, six digits) for a Base32 key, at a Unix time in seconds. */
function totp(base32: string, at: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}

function linkIn(body: string): string {
  const url = body.match(/https?:\/\/\S+/)![0];
  return new URL(url).pathname + new URL(url).search;
}

/** An administrator (the demo account) invites a person; the page confirms the invitation. */
async function invite(page: Page, name: string, email: string, orgs: string, role?: string) {
  await login(page, 'admin');
  await page.goto('/verwaltung/benutzer');
  await page.getByText('Person einladen').click();
  await page.getByLabel('Name (Pflichtfeld)').fill(name);
  await page.getByLabel('E-Mail-Adresse (Pflichtfeld)').fill(email);
  if (role) await page.getByLabel('Rolle').first().selectOption(role);
  await page.getByLabel('Organisationen (Schlüssel, durch Komma getrennt)').first().fill(orgs);
  await page.getByRole('button', { name: 'Einladung senden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Einladung verschickt');
}

async function signOutHere(page: Page) {
  await page.goto('/konto');
  await signOut(page);
  await expect(page.getByText('Sie wurden abgemeldet.')).toBeVisible();
}

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto('/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: false }).first().fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zweiter Faktor');
}

test('an invited advisor sets a password, sets up TOTP and signs in with a code and a recovery code', async ({ page }) => {
  const email = `beratung-${Date.now()}@land.example`;
  const password = 'ein langes Passwort für die Beratung';
  await invite(page, 'Berta Beratung', email, 'LAND', 'advisor');
  await page.goto('/verwaltung/benutzer?status=eingeladen');
  await expect(page.getByRole('row', { name: /Berta Beratung/ })).toContainText('Einladung offen bis');
  await expectAccessible(page, 'Benutzerverwaltung mit Einladung');
  // The audit log names the invitation, filtered by action.
  await page.goto('/verwaltung/protokoll');
  await page.getByLabel('Aktion').selectOption('invitation_sent');
  await page.getByRole('button', { name: 'Filtern' }).click();
  await expect(page.getByRole('table')).toContainText(email);
  await expectAccessible(page, 'Protokoll');
  await page.goto('/verwaltung/postausgang');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unzustellbare E-Mails');
  await expectAccessible(page, 'Unzustellbare E-Mails');
  await signOutHere(page);

  // The mail's link leads to the page where the person sets the password.
  const invitation = await mailTo(email);
  await page.goto(linkIn(invitation));
  await expect(page.getByText('Guten Tag Berta Beratung')).toBeVisible();
  await expectAccessible(page, 'Konto einrichten');
  await page.getByLabel('Neues Passwort', { exact: false }).first().fill(password);
  await page.getByLabel('Neues Passwort wiederholen', { exact: false }).fill(password);
  await page.getByRole('button', { name: 'Passwort festlegen' }).click();
  await expect(page.getByText('Ihr Passwort ist festgelegt.')).toBeVisible();

  // First sign-in: advisors must set up the second factor.
  await passwordStep(page, email, password);
  await expect(page.getByText('ist ein zweiter Faktor vorgeschrieben')).toBeVisible();
  await expect(page.getByRole('img', { name: /QR-Code/ })).toBeVisible();
  await expectAccessible(page, 'Zweiten Faktor einrichten');
  const key = (await page.locator('#totp-schluessel').innerText()).trim();
  const recovery = (await page.getByRole('list', { name: 'Wiederherstellungscodes' }).getByRole('listitem').allInnerTexts()).map((c) => c.trim());
  expect(recovery).toHaveLength(10);
  const now = () => Math.floor(Date.now() / 1000);
  // Each time step counts once and one step either side is accepted: the current step's code
  // first, then the next step's (computed when typed, so always newer and within the window).
  await page.getByRole('textbox', { name: 'Code (Pflichtfeld)' }).fill(totp(key, now()));
  await page.getByRole('button', { name: 'Einrichten und anmelden' }).click();
  await expect(page.getByText('Ihr zweiter Faktor ist eingerichtet.')).toBeVisible();
  await signOutHere(page);

  await passwordStep(page, email, password);
  await page.getByRole('textbox', { name: 'Code (Pflichtfeld)' }).fill(totp(key, now() + 30));
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Zweiter Faktor');
  await expectSignedIn(page);
  await signOutHere(page);

  await passwordStep(page, email, password);
  await page.getByRole('textbox', { name: 'Code (Pflichtfeld)' }).fill(recovery[0]);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByText('Es bleiben 9 Codes.')).toBeVisible();
  await signOutHere(page);
});

test('"Passwort vergessen" mails a link that sets a new password', async ({ page }) => {
  const email = `vergessen-${Date.now()}@magdeburg.example`;
  await invite(page, 'Vera Vergessen', email, '15003000');
  await signOutHere(page);
  await page.goto(linkIn(await mailTo(email)));
  await page.getByLabel('Neues Passwort', { exact: false }).first().fill('das erste lange Passwort');
  await page.getByLabel('Neues Passwort wiederholen', { exact: false }).fill('das erste lange Passwort');
  await page.getByRole('button', { name: 'Passwort festlegen' }).click();
  await expect(page.getByText('Ihr Passwort ist festgelegt.')).toBeVisible();

  await page.getByRole('link', { name: 'Passwort vergessen?' }).click();
  await expectAccessible(page, 'Passwort vergessen');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByRole('button', { name: 'Link anfordern' }).click();
  await expect(page.getByText('Wenn zu dieser Adresse ein Konto besteht')).toBeVisible();
  let reset = '';
  await expect.poll(async () => {
    const body = await mailTo(email);
    reset = body.includes('Passwort zurücksetzen') || body.includes('neues Passwort angefordert') ? body : '';
    return reset;
  }, { timeout: 30_000 }).not.toBe('');
  await page.goto(linkIn(reset));
  await page.getByLabel('Neues Passwort', { exact: false }).first().fill('das zweite lange Passwort');
  await page.getByLabel('Neues Passwort wiederholen', { exact: false }).fill('das zweite lange Passwort');
  await page.getByRole('button', { name: 'Passwort festlegen' }).click();
  await expect(page.getByText('Ihr neues Passwort ist gespeichert')).toBeVisible();
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: false }).first().fill('das zweite lange Passwort');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expectSignedIn(page);
});

test('a clerk signs in through the Land\'s identity provider and out of both', async ({ page }) => {
  const email = `landeskonto-${Date.now()}@magdeburg.example`;
  await invite(page, 'Lara Landeskonto', email, '15003000');
  await signOutHere(page);

  // The address alone binds no account: the invitation opened in this browser does.
  await expectAccessible(page, 'Anmeldung mit Landeskonto');
  await page.goto(linkIn(await mailTo(email)));
  await expectAccessible(page, 'Einladung mit Landeskonto');
  await page.getByRole('link', { name: 'Mit dem Landeskonto anmelden' }).click();
  // The provider's own pages (its development sign-in: any password).
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('beliebig');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectSignedIn(page);
  await page.goto('/konto');
  await expect(page.getByText(email)).toBeVisible();

  await signOut(page);
  await page.getByRole('link', { name: 'Auch beim Landeskonto abmelden' }).click();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page.getByText('Sie wurden abgemeldet.')).toBeVisible();

  // Someone the provider knows but no administrator invited gets no account.
  await page.getByRole('link', { name: 'Mit dem Landeskonto anmelden' }).click();
  await page.locator('input[name="login"]').fill(`fremd-${Date.now()}@land.example`);
  await page.locator('input[name="password"]').fill('beliebig');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('kein Konto im OZG-Portal');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a clerk accepts the invitation, sets up the second factor from Mein Konto and signs in with plain forms', async ({ page, browser }) => {
    const email = `ohne-js-${Date.now()}@magdeburg.example`;
    const password = 'ein langes Passwort ohne Skript';
    await invite(page, 'Olga Ohneskript', email, '15003000');
    await signOutHere(page);

    await page.goto(linkIn(await mailTo(email)));
    await page.getByLabel('Neues Passwort', { exact: false }).first().fill(password);
    await page.getByLabel('Neues Passwort wiederholen', { exact: false }).fill(password);
    await page.getByRole('button', { name: 'Passwort festlegen' }).click();
    await expect(page.getByText('Ihr Passwort ist festgelegt.')).toBeVisible();
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort', { exact: false }).first().fill(password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expectSignedIn(page);

    await page.goto('/konto');
    await page.getByRole('link', { name: 'Zweiten Faktor einrichten' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Zweiten Faktor einrichten');
    await expectAccessibleWithoutJs(page, browser, 'Zweiten Faktor einrichten ohne JavaScript');
    const key = (await page.locator('#totp-schluessel').innerText()).trim();
    const now = () => Math.floor(Date.now() / 1000);
    await page.getByRole('textbox', { name: 'Code (Pflichtfeld)' }).fill(totp(key, now()));
    await page.getByLabel('Aktuelles Passwort').fill(password);
    await page.getByRole('button', { name: 'Einrichten' }).click();
    await expect(page.getByText('Ihr zweiter Faktor ist eingerichtet.')).toBeVisible();
    await signOutHere(page);

    await passwordStep(page, email, password);
    await expectAccessibleWithoutJs(page, browser, 'Zweiter Faktor ohne JavaScript');
    await page.getByRole('textbox', { name: 'Code (Pflichtfeld)' }).fill('000000');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect(page.getByRole('alert')).toContainText('Der Code ist nicht korrekt');
    await page.getByRole('textbox', { name: 'Code (Pflichtfeld)' }).fill(totp(key, now() + 30));
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expectSignedIn(page);
  });
});
