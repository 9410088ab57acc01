import { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectAccessible, login, Role, sideways } from './helpers';

// The workplace as people meet it: the portal with the demo data (a Kommune with all its
// records, cases in every status), at desktop and phone width.
const file = process.env.DEMO_FULL_CREDENTIALS;
test.use({ baseURL: process.env.DEMO_URL });

const roles: Role[] = ['clerk', 'advisor', 'association', 'admin'];

/** A signed-in page of a context without JavaScript (the same cookies). */
async function withoutJs(page: Page, browser: Browser, width: number): Promise<Page> {
  const storageState = await page.context().storageState();
  const ctx = await browser.newContext({ storageState, locale: 'de-DE', javaScriptEnabled: false, viewport: { width, height: 844 } });
  return ctx.newPage();
}

for (const role of roles) {
  test(`the ${role}'s header fits a phone behind a Menü button that works without JavaScript`, async ({ page, browser }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, role, file);
    const header = page.locator('header.site-header');
    const closed = await header.boundingBox();
    expect(closed!.height, 'closed header on a phone').toBeLessThanOrEqual(120);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await expect(nav).toBeHidden();
    await page.locator('summary.menu-button').click();
    await expect(nav.getByRole('link', { name: 'Lagebild' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
    await expectAccessible(page, `geöffnetes Menü ${role}`);

    const plain = await withoutJs(page, browser, 390);
    await plain.goto(page.url());
    const plainNav = plain.getByRole('navigation', { name: 'Hauptnavigation' });
    await expect(plainNav).toBeHidden();
    await plain.locator('summary.menu-button').click();
    await plainNav.getByRole('link', { name: 'Lagebild' }).click();
    await expect(plain.getByRole('heading', { level: 1 })).toContainText('Lagebild');
    await plain.context().close();

    // At desktop width the navigation is one row and the person menu holds the rest.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/');
    await expect(page.locator('summary.menu-button')).toBeHidden();
    const entries = await nav.getByRole('listitem').count();
    expect(entries, 'entries of the main navigation').toBeLessThanOrEqual(9);
    const tops = await nav.getByRole('link').evaluateAll((links) => new Set(links.map((l) => Math.round(l.getBoundingClientRect().top))).size);
    expect(tops, 'rows of the main navigation').toBe(1);
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(140);
    await expect(page.getByRole('button', { name: 'Abmelden' })).toBeHidden();
    await page.locator('details.person-menu > summary').click();
    await expect(page.getByRole('link', { name: /^Benachrichtigungen/ })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Mein Konto' })).toBeVisible();
    await expectAccessible(page, `Personenmenü ${role}`);
  });
}

test('an administrator reaches every area of the administration from one Verwaltung entry', async ({ page }) => {
  await login(page, 'admin', file);
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Verwaltung' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bereiche der Verwaltung');
  const areas = page.getByRole('navigation', { name: 'Bereiche der Verwaltung' });
  await expect(areas.getByRole('link')).toHaveCount(10);
  await areas.getByRole('link', { name: 'Protokoll' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Protokoll');
  await expect(areas.getByRole('link', { name: 'Protokoll' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Verwaltung' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page, 'Verwaltung mit Unternavigation');
});

test('a Kommune finds its register list within the first screen, the figures below it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await login(page, 'clerk', file);
  await page.goto('/kommunen/15003000/leistungen');
  const table = page.getByRole('table', { name: /^Leistungen, Seite 1/ });
  const top = (await table.boundingBox())!.y;
  expect(top, 'the register table starts within the first screen').toBeLessThan(900);
  const figures = (await page.getByRole('heading', { name: 'Stand der Umsetzung' }).boundingBox())!.y;
  expect(figures).toBeGreaterThan(top);
  // Three filters in view, the others behind "Weitere Filter" (closed until one is set).
  const search = page.getByRole('search', { name: 'Leistungen filtern' });
  await expect(search.getByLabel('Themenfeld')).toBeVisible();
  await expect(search.getByLabel('Lösung')).toBeHidden();
  await search.getByText('Weitere Filter').click();
  await search.getByLabel('Lösung').selectOption({ label: 'EfA-Nachnutzung' });
  await search.getByRole('button', { name: 'Filtern' }).click();
  await expect(page).toHaveURL(/loesung=efa/);
  await expect(search.getByText('Weitere Filter (1 gesetzt)')).toBeVisible();
  await expect(search.getByLabel('Lösung')).toBeVisible();
  await expectAccessible(page, 'Register mit weiteren Filtern');
});

test('the advisors see their inbox table within the first screen, each case with a short deadline badge', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await login(page, 'advisor', file);
  await page.goto('/faelle');
  const table = page.getByRole('table', { name: 'Fälle' });
  expect((await table.boundingBox())!.y, 'the inbox table starts within the first screen').toBeLessThan(900);
  const changed = page.getByRole('columnheader', { name: 'Geändert' });
  const box = (await changed.boundingBox())!;
  expect(box.x + box.width, 'the column "Geändert" is in view').toBeLessThanOrEqual(1280);
  const badge = table.locator('.badge-sla').first();
  await expect(badge).toHaveText(/^(Antwort|Lösung) (fällig in|überfällig seit|angehalten)/);
  // Rows stay short (they were 240–290 px with the service-time text): a typical row is a few
  // lines of its subject, and the badge takes at most two lines.
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.slice(0, 20).map((tr) => tr.getBoundingClientRect().height));
  const median = [...rows].sort((a, b) => a - b)[Math.floor(rows.length / 2)];
  expect(median, 'median row height').toBeLessThan(110);
  expect((await badge.boundingBox())!.height, 'badge height').toBeLessThan(56);
  await expectAccessible(page, 'Posteingang');
});

test('secondary buttons and small controls are recognisable and at least 24 px', async ({ page }) => {
  await login(page, 'clerk', file);
  for (const path of ['/konto', '/kommunen/15003000/leistungen', '/faelle']) {
    await page.goto(path);
    const problems = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll('main button, main .button, main select, main input:not([type=hidden]), main summary'))) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue; // not shown (e.g. in a closed disclosure)
        if (el.closest('.visually-hidden')) continue;
        if (r.width < 24 || r.height < 24) out.push(`${el.tagName} ${(el as HTMLElement).innerText || el.id} ${r.width}×${r.height}`);
        if (el.matches('button:not(.button-link), .button')) {
          const s = getComputedStyle(el);
          const white = (c: string) => c === 'rgb(255, 255, 255)' || c === 'rgba(0, 0, 0, 0)';
          if (white(s.backgroundColor) && white(s.borderTopColor)) out.push(`${(el as HTMLElement).innerText}: white on white`);
        }
      }
      return out;
    });
    expect(problems, `controls on ${path}`).toEqual([]);
  }
});

test('dates, months, amounts, suppressed values, plurals and audit actions are written one way', async ({ page }) => {
  // Public Lagebild: months as "Januar 2026", a withheld value as "•" with its explanation.
  await page.goto('/lagebild');
  const monthHeads = await page.locator('table th[scope=row]').allInnerTexts();
  // Row headings that are months in any form (01/2026, 2026-01, "Januar 2026").
  const months = monthHeads.filter((t) => /^(\d{2}\/\d{2,4}|\d{4}-\d{2}|\S+ \d{4})$/.test(t.trim()));
  expect(months.length, 'month rows in the Lagebild').toBeGreaterThan(0);
  for (const m of months) expect(m).toMatch(/^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$/);
  const body = await page.locator('main').innerText();
  expect(body).not.toContain('< 3');
  await expect(page.getByText(/als »•« angezeigt/)).toBeVisible();

  // Amounts keep "€" on the line of their number; percentages keep "%".
  await page.goto('/lagebild/foerderung');
  const html = await page.locator('main').innerHTML();
  expect(html).not.toMatch(/\d €/);
  expect(html).not.toMatch(/\d %/);

  // A clerk's one Kommune is "1 Kommune"; a case's thread says what it holds.
  await login(page, 'clerk', file);
  await page.goto('/kommunen');
  await expect(page.getByRole('table', { name: '1 Kommune' })).toBeVisible();
  await page.goto('/faelle');
  await page.getByRole('table', { name: 'Fälle' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Nachrichten und Verlauf' })).toBeVisible();

  // The audit log names actions in German, and its filter offers them by name.
  await login(page, 'admin', file);
  await page.goto('/verwaltung/protokoll');
  const table = page.getByRole('table', { name: /Einträge?, Seite/ });
  await expect(table).toContainText('Anmeldung erfolgreich');
  expect(await table.innerText()).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
  await page.getByLabel('Aktion').selectOption({ label: 'Anmeldung erfolgreich' });
  await page.getByRole('button', { name: 'Filtern' }).click();
  await expect(page).toHaveURL(/aktion=login_success/);
  await expect(page.getByLabel('Aktion')).toHaveValue('login_success');
  await expectAccessible(page, 'Protokoll mit deutschen Aktionen');
});

test('the account administration fits a phone: each account a card with its status and actions', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await login(page, 'admin', file);
  await page.goto('/verwaltung/benutzer');
  expect(await sideways(page)).toBeLessThanOrEqual(0);
  const first = page.getByRole('table', { name: /Konten?$/ }).locator('tbody tr').first();
  for (const label of ['Status', 'Aktionen']) {
    const cell = first.locator(`td[data-label="${label}"]`);
    const box = (await cell.boundingBox())!;
    expect(box.x + box.width, `${label} within the screen`).toBeLessThanOrEqual(390);
  }
  await expectAccessible(page, 'Benutzerverwaltung bei 390 px');
});

/** The first number of a figure ("21 von 150 gezählten Leistungen" → 21). */
async function firstNumber(page: Page, term: string): Promise<number> {
  const text = await page.locator('dl.figures > div').filter({ has: page.getByText(term, { exact: true }) }).locator('dd').first().innerText();
  const m = text.replace(/\./g, '').match(/\d+/);
  expect(m, `${term}: ${text}`).not.toBeNull();
  return Number(m![0]);
}

test('an association compares its members, and a Kreis never counts less than a Verbandsgemeinde in it', async ({ page }) => {
  await login(page, 'association', file);
  await page.goto('/lagebild?gebiet=15085');
  const term = 'In mindestens einer Kommune online';
  const kreis = await firstNumber(page, term);
  // What is left out is said, and left out of the Verbandsgemeinden as well.
  await expect(page.locator('#lb-withheld')).toContainText(/Gezählt sind [\d.]+ von [\d.]+ Leistungen/);
  await page.getByRole('table', { name: /Kennzahlen je Verbandsgemeinde/ }).getByRole('link', { name: 'Vorharz' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lagebild: Vorharz' })).toBeVisible();
  const vg = await firstNumber(page, term);
  expect(vg, 'Vorharz within Harz').toBeLessThanOrEqual(kreis);

  await page.getByRole('link', { name: 'Mitglieder im Vergleich' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mitglieder im Vergleich' })).toBeVisible();
  const table = page.getByRole('table', { name: /^Online-Quote der Mitglieder/ });
  const harz = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Harz', exact: true }) });
  await expect(harz.getByRole('cell').nth(2)).toContainText('%');
  await expect(page.getByRole('table', { name: /^Mitglieder je Stufe/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Alle Mitglieder' })).toHaveCount(0);
  await expectAccessible(page, 'Mitglieder im Vergleich');
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await sideways(page)).toBeLessThanOrEqual(0);
});

test('notifications come grouped by case, cut at a word, quoted once, as links, and status changes can be muted', async ({ page, browser }) => {
  await login(page, 'clerk', file);
  await page.goto('/benachrichtigungen');
  const list = page.locator('ul.notifications');
  await expect(list.locator('details.older').first()).toBeVisible();
  await expect(list.locator('details.older summary').first()).toHaveText(/^\d+ ältere zu diesem Fall$/);
  const text = await list.innerText();
  expect(text).not.toMatch(/««|»»/);
  expect(text).not.toContain('http');
  for (const href of await list.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) expect(href).toMatch(/^\//);
  // Every text cut short ends after a word with "…".
  for (const t of await list.locator('a').allInnerTexts()) if (t.endsWith('…')) expect(t).toMatch(/[\p{L}\p{N}.!?»«›‹)]…$/u);
  await expectAccessible(page, 'Benachrichtigungen nach Fall');

  // Muting status-only changes, without JavaScript, and switching it back on with it.
  const plain = await withoutJs(page, browser, 390);
  await plain.goto(page.url());
  expect(await sideways(plain)).toBeLessThanOrEqual(0);
  await plain.getByLabel(/Reine Statusänderungen nicht melden/).check();
  await plain.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(plain.getByRole('status')).toHaveText('Ihre Einstellungen wurden gespeichert.');
  await expect(plain.getByLabel(/Reine Statusänderungen nicht melden/)).toBeChecked();
  await plain.context().close();
  await page.reload();
  await expect(page.getByLabel(/Reine Statusänderungen nicht melden/)).toBeChecked();
  await page.getByLabel(/Reine Statusänderungen nicht melden/).uncheck();
  await page.getByRole('button', { name: 'Speichern', exact: true }).click();
  await expect(page.getByRole('status')).toHaveText('Ihre Einstellungen wurden gespeichert.');
  await expect(page.getByLabel(/Reine Statusänderungen nicht melden/)).not.toBeChecked();
});

test('an announcement is previewed before it goes out, and a refused invitation keeps what was typed', async ({ page, browser }) => {
  await login(page, 'advisor', file);
  await page.goto('/mitteilungen');
  await page.getByLabel('Titel (Pflichtfeld)').fill('Frist verlängert');
  await page.getByLabel('Text (Markdown, Pflichtfeld)').fill('**Wichtig:** die Frist endet\n\n- am 31. Januar\n- für alle Kommunen');
  await page.getByRole('button', { name: 'Vorschau' }).click();
  const preview = page.getByRole('region', { name: 'Vorschau' });
  await expect(preview.locator('strong')).toHaveText('Wichtig:');
  await expect(preview.getByRole('listitem')).toHaveText(['am 31. Januar', 'für alle Kommunen']);
  await expect(page.getByLabel('Titel (Pflichtfeld)')).toHaveValue('Frist verlängert');
  await expect(page.getByLabel('Text (Markdown, Pflichtfeld)')).toHaveValue(/^\*\*Wichtig:\*\*/);
  await expect(page.locator('.error-summary')).toHaveCount(0);
  await expectAccessible(page, 'Mitteilung mit Vorschau');

  await login(page, 'admin', file);
  const plain = await withoutJs(page, browser, 390);
  await plain.goto(new URL('/verwaltung/benutzer', page.url()).toString());
  await plain.getByText('Person einladen').click();
  await plain.locator('form[action="/verwaltung/benutzer/einladen"]').evaluate((f) => f.setAttribute('novalidate', ''));
  await plain.locator('#einladen-name').fill('Erika Muster');
  await plain.locator('#einladen-email').fill('keine-adresse');
  await plain.locator('#einladen-orgs').fill('LAND');
  await plain.getByRole('button', { name: /Einladung senden|Konto anlegen/ }).click();
  await expect(plain.locator('.error-summary')).toBeVisible();
  await expect(plain.locator('#einladen-name')).toHaveValue('Erika Muster');
  await expect(plain.locator('#einladen-email')).toHaveValue('keine-adresse');
  await expect(plain.locator('#einladen-orgs')).toHaveValue('LAND');
  expect(await sideways(plain)).toBeLessThanOrEqual(0);
  await plain.context().close();
});
