import { Browser, expect, Page } from '@playwright/test';
import { lastDocument } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Role = 'clerk' | 'advisor' | 'association' | 'admin' | 'partner';

/**
 * Demo accounts written by `server demo --reset --credentials-file`: those of the portal the
 * tests work in (DEMO_CREDENTIALS), or of another one (the portal filled with the demo data).
 */
export function credentials(role: Role, file = process.env.DEMO_CREDENTIALS): { email: string; password: string } {
  if (!file) throw new Error('no credentials file is set');
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(';'))
    .find((parts) => parts[0] === role);
  if (!line) throw new Error(`no demo account for ${role}`);
  return { email: line[1], password: line[2] };
}

/**
 * The page's HTML as the portal sent it through the W3C Nu checker: no error. The document is
 * the one the page received (tests/fixtures.ts); a page of a context made inside a test is
 * fetched again with its cookies.
 */
export async function expectValidHtml(page: Page, what: string) {
  const service = process.env.VNU_URL;
  if (!service) throw new Error('the HTML checker is not running (globalSetup)');
  const received = lastDocument(page);
  const bare = (u: string) => u.split('#')[0];
  const source = received && bare(received.url()) === bare(page.url()) ? received : await page.request.get(page.url(), { maxRedirects: 0 });
  if (!(source.headers()['content-type'] ?? '').startsWith('text/html')) return;
  const answer = await fetch(`${service}?out=json`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    body: await source.body(),
  });
  const { messages } = (await answer.json()) as { messages: { type: string; message: string; extract?: string; lastLine?: number }[] };
  const errors = messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((m) => `${m.message} (Zeile ${m.lastLine ?? '?'}: ${m.extract ?? ''})`);
  expect(errors, `HTML errors on ${what} (${page.url()})`).toEqual([]);
}

/**
 * axe with the WCAG 2.1 A/AA rules and the 2.2 AA ones: zero violations; and the page's HTML
 * valid for the W3C Nu checker.
 */
export async function expectAccessible(page: Page, what: string) {
  await expectValidHtml(page, what);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** How far the page scrolls sideways (0 when it fits). */
export async function sideways(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Collects console errors and CSP violations for the hydration check. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(String(err)));
  return problems;
}

/** Waits until the WebAssembly bundle has hydrated the page. */
export async function waitForHydration(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 20_000 });
}

export async function login(page: Page, role: Role, file?: string) {
  const { email, password } = credentials(role, file);
  await page.goto('/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: false }).first().fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Anmelden');
}

/** The person menu in the header (name, notifications, account, sign-out): opened if closed. */
export async function openPersonMenu(page: Page) {
  const menu = page.locator('details.person-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
}

/** Signs out through the person menu. */
export async function signOut(page: Page) {
  await openPersonMenu(page);
  await page.getByRole('button', { name: 'Abmelden' }).click();
}

/** Whether someone is signed in: the header shows their person menu. */
export async function expectSignedIn(page: Page) {
  await expect(page.locator('details.person-menu > summary')).toBeVisible();
}

/** Opens an area of the administration through "Verwaltung" and its sub-navigation. */
export async function openAdminArea(page: Page, area: string) {
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Verwaltung' }).click();
  await page.getByRole('navigation', { name: 'Bereiche der Verwaltung' }).getByRole('link', { name: area }).click();
}

/** Presses Tab until the focused element has the given accessible text (keyboard only). */
export async function tabTo(page: Page, text: string | RegExp, max = 30) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
    if (typeof text === 'string' ? focused === text : text.test(focused)) return;
  }
  throw new Error(`could not reach "${text}" with the Tab key`);
}

/**
 * axe for a page opened with JavaScript disabled: axe itself needs JavaScript, so the same URL
 * (with the same cookies) is opened in a context whose page scripts are blocked — the page stays
 * exactly as it is without JavaScript, and axe can still run.
 */
export async function expectAccessibleWithoutJs(page: Page, browser: Browser, what: string) {
  const storageState = await page.context().storageState();
  const ctx = await browser.newContext({ storageState, locale: 'de-DE', javaScriptEnabled: true });
  await ctx.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
  const copy = await ctx.newPage();
  await copy.goto(page.url());
  await expectAccessible(copy, what);
  await ctx.close();
}

/** Waits until the sink on loopback received a mail to `to`; returns its decoded text. */
export async function mailTo(to: string): Promise<string> {
  return mailWith(to, '');
}

/** Signs in with the demo account of that e-mail address (when a role has two). */
export async function loginAs(page: Page, email: string, file = process.env.DEMO_CREDENTIALS) {
  if (!file) throw new Error('no credentials file is set');
  const line = readFileSync(file, 'utf8').split('\n').map((l) => l.split(';')).find((parts) => parts[1] === email);
  if (!line) throw new Error(`no demo account ${email}`);
  await page.goto('/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort', { exact: false }).first().fill(line[2]);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Anmelden');
}

/** The text of a MIME mail: every part decoded (base64 or quoted-printable) and joined. */
function decodeMail(raw: string): string {
  const text = raw.replace(/\r\n/g, '\n');
  const boundary = /boundary="?([^";\n]+)"?/.exec(text)?.[1];
  const parts = boundary ? text.split(`--${boundary}`).slice(1) : [text];
  return parts
    .map((part) => {
      const [head, ...rest] = part.split('\n\n');
      const body = rest.join('\n\n');
      if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
        return Buffer.from(body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
      }
      return body;
    })
    .join('\n');
}

/** Waits for a mail to `to` whose decoded text (attachments included) contains `marker`. */
export async function mailWith(to: string, marker: string): Promise<string> {
  const dir = process.env.MAIL_DIR;
  if (!dir) throw new Error('MAIL_DIR is not set');
  let found = '';
  await expect
    .poll(
      () => {
        if (!existsSync(dir)) return '';
        for (const f of readdirSync(dir).sort()) {
          const raw = readFileSync(join(dir, f), 'utf8');
          const head = raw.split(/\r?\n\r?\n/)[0].split(/\r?\n/);
          if (!head.some((l) => l.startsWith('To: ') && l.replace(/^To: <?([^>]*)>?$/, '$1') === to)) continue;
          const text = decodeMail(raw);
          if (text.includes(marker)) found = text;
        }
        return found;
      },
      { timeout: 30_000, message: `a mail to ${to} with ${marker}` },
    )
    .not.toBe('');
  return found;
}
