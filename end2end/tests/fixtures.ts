import { test as base, BrowserContext, Page, Response } from '@playwright/test';

export { expect } from '@playwright/test';

/** The last document each page received: what `expectValidHtml` checks, as the portal sent it. */
const documents = new WeakMap<Page, Response>();

/** Keeps the last document (not a redirect) each page of the context receives. */
export function trackDocuments(context: BrowserContext) {
  context.on('response', (r) => {
    const frame = r.frame();
    if (!r.request().isNavigationRequest() || frame.parentFrame() !== null) return;
    if (r.status() >= 300 && r.status() < 400) return;
    documents.set(frame.page(), r);
  });
}

/** The last document the page received, if its context is tracked. */
export function lastDocument(page: Page): Response | undefined {
  return documents.get(page);
}

/**
 * Playwright's `test` with the documents of every context tracked: the test's own, and those a
 * test or helper opens with `browser.newContext`.
 */
export const test = base.extend<{ tracked: void }, { trackedBrowser: void }>({
  trackedBrowser: [
    async ({ browser }, use) => {
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const context = await newContext(options);
        trackDocuments(context);
        return context;
      };
      await use();
    },
    { scope: 'worker', auto: true },
  ],
  tracked: [
    async ({ context }, use) => {
      trackDocuments(context);
      await use();
    },
    { auto: true },
  ],
});
