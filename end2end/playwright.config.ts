import { defineConfig } from '@playwright/test';

// Debian's Chromium; as root it needs --no-sandbox. The network flags keep it from trying to
// reach services outside this machine.
export default defineConfig({
  testDir: './tests',
  // The W3C Nu HTML checker for every page state the tests check (tests/helpers.ts).
  globalSetup: './validator-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One file at a time: with two, a page opened for axe without JavaScript once came back
  // without its document (no title, no language) while another file worked on the same portal.
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    browserName: 'chromium',
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
