import { expect, test } from './fixtures';
import { credentials, expectAccessible, expectAccessibleWithoutJs, login, tabTo, waitForHydration, watchConsole, Role, signOut, openAdminArea, openPersonMenu, sideways } from './helpers';

const startHeadings: Record<Role, string> = {
  clerk: 'Meine Kommune',
  advisor: 'Beratung des Landes',
  association: 'Übersicht für den Verband',
  admin: 'Verwaltung',
};

test('public pages are German, accessible and load no WebAssembly', async ({ page }) => {
  const problems = watchConsole(page);
  const code: string[] = [];
  page.on('request', (r) => {
    if (/\.(wasm|js)(\?|$)/.test(r.url())) code.push(r.url());
  });
  for (const [path, heading] of [
    ['/', 'OZG-Portal Sachsen-Anhalt'],
    ['/anmelden', 'Anmelden'],
    ['/impressum', 'Impressum'],
    ['/datenschutz', 'Datenschutzerklärung'],
    ['/barrierefreiheit', 'Erklärung zur Barrierefreiheit'],
    ['/leichte-sprache', 'Informationen in Leichter Sprache'],
    ['/gebaerdensprache', 'Informationen in Deutscher Gebärdensprache'],
  ]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'nonce-");
    await expect(page.locator('html')).toHaveAttribute('lang', 'de');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(page).toHaveTitle(new RegExp(`OZG-Portal`));
    await expectAccessible(page, path);
  }
  const res = await page.goto('/gibt-es-nicht');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Seite nicht gefunden');
  await expectAccessible(page, '404');
  // No script or WebAssembly for visitors without a session, and nothing failed.
  expect(code, 'code loaded by public pages').toEqual([]);
  expect(problems.filter((p) => /Content Security Policy|panicked|hydration/i.test(p))).toEqual([]);
});

test('a wrong password shows a German error that is accessible', async ({ page }) => {
  await page.goto('/anmelden');
  await page.getByLabel('E-Mail-Adresse').fill(credentials('clerk').email);
  await page.getByLabel('Passwort').fill('ganz sicher falsch');
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expect(page.getByRole('alert')).toContainText('E-Mail-Adresse oder Passwort ist falsch.');
  // The page comes back with the summary focused, so it is read first.
  await expect(page.locator('.error-summary')).toBeFocused();
  await expectAccessible(page, 'Anmeldung mit Fehler');
});

for (const role of ['clerk', 'advisor', 'association', 'admin'] as Role[]) {
  test(`${role}: login, start page, keyboard navigation to a new page with its title, logout`, async ({ page }) => {
    const problems = watchConsole(page);
    await page.goto('/anmelden');
    const { email, password } = credentials(role);
    // Keyboard only: skip link, then the form.
    await page.keyboard.press('Tab');
    await expect(page.locator('.skip-link')).toBeFocused();
    await page.getByLabel('E-Mail-Adresse').focus();
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(startHeadings[role]);
    await expect(page.getByText('Demo', { exact: true }).first()).toBeVisible();
    await expectAccessible(page, `Start ${role}`);

    // Signed-in pages load the islands (the session warning).
    await waitForHydration(page);
    // Navigation by keyboard is a full page load: the browser announces the new page by its
    // specific title, and the page has one <h1>.
    // The person menu opens from the keyboard (a disclosure: Enter), then its link.
    await tabTo(page, /^Angemeldet als\s/);
    await page.keyboard.press('Enter');
    await tabTo(page, 'Mein Konto');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mein Konto');
    await expect(page).toHaveTitle('Mein Konto – OZG-Portal Sachsen-Anhalt');
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.getByText(email)).toBeVisible();
    await expectAccessible(page, `Konto ${role}`);

    if (role === 'admin') {
      await page.goto('/verwaltung/benutzer');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Benutzerverwaltung');
      await expect(page.getByRole('table')).toContainText('demo.kommune@ozg-portal.example');
      await expectAccessible(page, 'Benutzerverwaltung');
    } else {
      const res = await page.goto('/verwaltung/benutzer');
      expect(res?.status()).toBe(403);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Kein Zugriff');
      await expectAccessible(page, `Kein Zugriff ${role}`);
    }

    await waitForHydration(page);
    await signOut(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anmelden');
    await expect(page.getByRole('status')).toContainText('Sie wurden abgemeldet.');
    const me = await page.request.get('/api/v1/me');
    expect(me.status()).toBe(401);
    expect(problems.filter((p) => /Content Security Policy|panicked/i.test(p))).toEqual([]);
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('login, start page, password form errors and logout work as plain forms', async ({ page, browser }) => {
    const { email, password } = credentials('advisor');
    await page.goto('/anmelden');
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort').fill('falsch falsch falsch');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect(page.getByRole('alert')).toContainText('E-Mail-Adresse oder Passwort ist falsch.');
    await expectAccessibleWithoutJs(page, browser, 'Anmeldefehler ohne JavaScript');
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort').fill(password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Beratung des Landes');
    await openPersonMenu(page);
    await page.getByRole('link', { name: 'Mein Konto' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mein Konto');
    await page.getByLabel('Aktuelles Passwort (Pflichtfeld)').fill('nicht mein Passwort');
    await page.getByLabel('Neues Passwort (Pflichtfeld)', { exact: true }).fill('zu kurz');
    await page.getByLabel('Neues Passwort wiederholen').fill('zu kurz');
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await expect(page.getByRole('alert')).toContainText('Das aktuelle Passwort ist nicht korrekt.');
    await expect(page.getByRole('alert')).toContainText('mindestens 12 Zeichen');
    await expectAccessibleWithoutJs(page, browser, 'Passwortfehler ohne JavaScript');
    await signOut(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anmelden');
    await expect(page.getByRole('status')).toContainText('Sie wurden abgemeldet.');
  });
});

test('the layout reflows at 320 px without horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await login(page, 'clerk');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meine Kommune');
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  await expectAccessible(page, 'Start bei 320 px');
});

test('an administrator marks a Fokusleistung in the catalogue', async ({ page }) => {
  await login(page, 'admin');
  await openAdminArea(page, 'OZG-Katalog');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('OZG-Katalog und Fokusleistungen');
  await page.getByLabel('Suche (Name oder OZG-ID)').fill('10001');
  await page.getByRole('button', { name: 'Suchen' }).click();
  const row = page.getByRole('row', { name: /10001/ });
  await expect(row).toContainText('nein');
  await expectAccessible(page, 'OZG-Katalog');
  await row.getByRole('button', { name: /Als Fokusleistung markieren/ }).click();
  await expect(page.getByRole('row', { name: /10001/ })).toContainText('ja');
  await expect(page.getByRole('row', { name: /10001/ }).getByRole('button')).toContainText('Markierung entfernen');
});

test('an administrator keeps the list of EfA services that public figures may name', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/verwaltung/katalog');
  await expect(page.getByRole('heading', { level: 2, name: 'EfA-Dienste für veröffentlichte Zahlen' })).toBeVisible();
  await page.getByLabel('Name des EfA-Dienstes').fill('Wohngeld-Onlinedienst E2E');
  await page.getByLabel('Bereitstellendes Land (optional)').fill('Schleswig-Holstein');
  await page.getByRole('button', { name: 'In die Liste aufnehmen' }).click();
  const row = page.getByRole('row', { name: /Wohngeld-Onlinedienst E2E/ });
  await expect(row).toContainText('Schleswig-Holstein');
  await expect(row).toContainText('ja');
  await expectAccessible(page, 'EfA-Liste');
  await row.getByRole('button', { name: /Nicht mehr veröffentlichen/ }).click();
  await expect(page.getByRole('row', { name: /Wohngeld-Onlinedienst E2E/ })).toContainText('nein');
  // The same name twice is refused with a German message.
  await page.getByLabel('Name des EfA-Dienstes').fill('wohngeld-onlinedienst e2e');
  await page.getByRole('button', { name: 'In die Liste aufnehmen' }).click();
  await expect(page.locator('.error-summary')).toContainText('bereits in der Liste');
  await expectAccessible(page, 'EfA-Liste mit Fehler');
});

test('the session warning appears before the idle timeout, extends the session and says when it ended', async ({ browser }) => {
  // A second server on the same database with a one-minute idle timeout: the warning comes
  // after 30 seconds, the end after 60 (waited for as states, with room for a busy machine).
  test.setTimeout(240_000);
  const base = process.env.SHORT_IDLE_URL;
  expect(base, 'SHORT_IDLE_URL names the server with the short idle timeout').toBeTruthy();
  const ctx = await browser.newContext({ baseURL: base, locale: 'de-DE', timezoneId: 'Europe/Berlin' });
  const page = await ctx.newPage();
  await login(page, 'clerk');
  await waitForHydration(page);
  const warning = page.locator('.session-warning');
  await expect(warning).toBeHidden();
  await expect(warning.getByText('Ihre Sitzung endet in wenigen Minuten')).toBeVisible({ timeout: 90_000 });
  await expectAccessible(page, 'Sitzungswarnung');
  await page.getByRole('button', { name: 'Sitzung verlängern' }).click();
  await expect(warning).toBeHidden();
  expect((await page.request.get('/api/v1/me')).status(), 'still signed in after extending').toBe(200);
  await expect(warning.getByText('Ihre Sitzung ist wegen Inaktivität abgelaufen')).toBeVisible({ timeout: 150_000 });
  await expect(page.getByRole('button', { name: 'Sitzung verlängern' })).toBeHidden();
  await expect(page.getByRole('link', { name: 'Zur Anmeldung' })).toBeVisible();
  expect((await page.request.get('/api/v1/me')).status(), 'the server ended the session too').toBe(401);
  await ctx.close();
});

test('signed-in pages load content-hashed assets once: a second page view takes them from the browser cache', async ({ page }) => {
  const firstView: { url: string; cacheControl: string }[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/pkg/')) firstView.push({ url: r.url(), cacheControl: r.headers()['cache-control'] ?? '' });
  });
  await login(page, 'clerk');
  await waitForHydration(page);
  // The login page brings the stylesheet, the start page the same stylesheet and the islands' code.
  const kinds = [...new Set(firstView.map((a) => new URL(a.url).pathname))].map((p) => p.split('.').pop()).sort();
  expect(kinds).toEqual(['css', 'js', 'wasm']);
  for (const a of firstView) {
    expect(new URL(a.url).pathname).toMatch(/^\/pkg\/ozg-portal\.[A-Za-z0-9_-]{16,}\.(css|js|wasm)$/);
    expect(a.cacheControl).toContain('immutable');
  }
  // The preload links carry a valid crossorigin value (not the CSP nonce).
  const crossorigin = await page.locator('head link[rel="modulepreload"], head link[rel="preload"]').evaluateAll((ls) => ls.map((l) => l.getAttribute('crossorigin')));
  expect(crossorigin.length).toBeGreaterThan(0);
  expect(crossorigin.every((c) => c === 'anonymous')).toBe(true);

  // The second page view: every asset request is answered by the browser's cache.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const asked = new Map<string, string>();
  const cached = new Set<string>();
  const fromNetwork: string[] = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    if (new URL(e.request.url).pathname.startsWith('/pkg/')) asked.set(e.requestId, e.request.url);
  });
  cdp.on('Network.requestServedFromCache', (e) => cached.add(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    if (asked.has(e.requestId) && !e.response.fromDiskCache && !e.response.fromPrefetchCache && !cached.has(e.requestId)) fromNetwork.push(e.response.url);
  });
  await page.goto('/konto');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mein Konto');
  await waitForHydration(page);
  expect(asked.size, 'the second view uses the same assets').toBeGreaterThanOrEqual(3);
  expect(fromNetwork).toEqual([]);
});
