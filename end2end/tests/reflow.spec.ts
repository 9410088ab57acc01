import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { login, Role, sideways } from './helpers';

// WCAG 1.4.10 (Reflow): at 320 CSS px no page scrolls sideways. One page of every kind (list,
// table, form, detail, figures, editor) for every role, in the portal with the demo data, so the
// lists, tables and figures are full.
const file = process.env.DEMO_FULL_CREDENTIALS;
test.use({ baseURL: process.env.DEMO_URL, viewport: { width: 320, height: 640 } });

type Kind = 'Liste' | 'Tabelle' | 'Formular' | 'Detail' | 'Zahlen' | 'Editor';
/** A path, or where to find one: the first link on a page whose address matches. */
type Where = string | { on: string; link: RegExp };

const pages: Record<Role, [Kind, Where][]> = {
  clerk: [
    ['Liste', '/faelle'],
    ['Tabelle', '/kommunen/15003000/leistungen'],
    ['Formular', '/foerderung/antrag/neu'],
    ['Detail', { on: '/faelle', link: /^\/faelle\/\d+$/ }],
    ['Zahlen', '/lagebild'],
    ['Editor', '/faelle/neu'],
  ],
  advisor: [
    ['Liste', '/faelle'],
    ['Tabelle', '/nachnutzung'],
    ['Formular', '/termine/neu'],
    ['Detail', { on: '/faelle', link: /^\/faelle\/\d+$/ }],
    ['Zahlen', '/lagebild/nachnutzung'],
    ['Editor', '/wissen/neu'],
  ],
  association: [
    ['Liste', '/gremien'],
    ['Tabelle', '/lagebild/mitglieder'],
    ['Formular', '/konto'],
    ['Detail', { on: '/beschluesse', link: /^\/beschluesse\/\d+$/ }],
    ['Zahlen', '/lagebild'],
    ['Editor', '/barriere-melden'],
  ],
  admin: [
    ['Liste', '/verwaltung/benutzer'],
    ['Tabelle', '/verwaltung/protokoll'],
    ['Formular', '/verwaltung/partner'],
    ['Detail', { on: '/gremien', link: /^\/gremien\/\d+$/ }],
    ['Zahlen', '/lagebild/foerderung'],
    ['Editor', '/verwaltung/rechtstexte/impressum'],
  ],
  partner: [
    ['Liste', '/gremien'],
    ['Tabelle', '/gremien/massnahmen'],
    ['Formular', '/konto'],
    ['Detail', { on: '/gremien', link: /^\/gremien\/\d+$/ }],
    ['Zahlen', '/lagebild'],
    ['Editor', '/barriere-melden'],
  ],
};

async function open(page: Page, where: Where) {
  if (typeof where === 'string') {
    await page.goto(where);
    return;
  }
  await page.goto(where.on);
  const hrefs = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => where.link.test(h));
  expect(href, `a link ${where.link} on ${where.on}`).toBeTruthy();
  await page.goto(href!);
}

for (const [role, list] of Object.entries(pages) as [Role, [Kind, Where][]][]) {
  test(`every kind of page reflows at 320 px for the ${role}`, async ({ page }) => {
    await login(page, role, file);
    const wide: string[] = [];
    for (const [kind, where] of list) {
      await open(page, where);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await sideways(page);
      if (overflow > 0) wide.push(`${kind} ${new URL(page.url()).pathname}: ${overflow} px`);
    }
    expect(wide, 'pages that scroll sideways at 320 px').toEqual([]);
  });
}
