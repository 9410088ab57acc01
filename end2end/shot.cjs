// temp: node shot.cjs role url... -> /tmp/shots/<name>-<w>.png
const { chromium } = require('@playwright/test');
const fs = require('fs');
(async () => {
  const [role, ...urls] = process.argv.slice(2);
  const creds = fs.readFileSync('/tmp/demo/demo-credentials.csv', 'utf8').split('\n').map(l => l.split(';'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  for (const width of [1280, 390]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 }, baseURL: 'http://127.0.0.1:3900' });
    const page = await ctx.newPage();
    if (role !== 'public') {
      const line = creds.find(p => p[0] === role || p[1] === role);
      await page.goto('/anmelden');
      await page.getByLabel('E-Mail-Adresse').fill(line[1]);
      await page.getByLabel('Passwort', { exact: false }).first().fill(line[2]);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.waitForLoadState('networkidle');
    }
    for (const u of urls) {
      await page.goto(u);
      const name = role + u.replace(/[^a-z0-9]+/gi, '_');
      await page.screenshot({ path: `/tmp/shots/${name}-${width}.png`, fullPage: true });
      console.log(name, width, await page.title());
    }
    await ctx.close();
  }
  await browser.close();
})();
