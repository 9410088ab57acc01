import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * The W3C Nu HTML checker (vnu-jar from npm, offline on Java) as a local service for the whole
 * run: one JVM, started once, that `expectValidHtml` sends each page's HTML to.
 */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  const port = await freePort();
  const jar = join(__dirname, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
  const vnu = spawn(
    'java',
    ['-Xss8m', '-XX:TieredStopAtLevel=1', '-Dnu.validator.servlet.bind-address=127.0.0.1', '-cp', jar, 'nu.validator.servlet.Main', String(port)],
    { stdio: 'ignore' },
  );
  let exited = false;
  vnu.once('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}/`;
  // Ready when it answers; a start that fails ends the run with that reason.
  for (let i = 0; ; i++) {
    if (exited) throw new Error('Der HTML-Prüfer (vnu) hat sich beim Start beendet (ist Java installiert?).');
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('Der HTML-Prüfer (vnu) ist nach 60 s nicht bereit.');
    await new Promise((r) => setTimeout(r, 100));
  }
  process.env.VNU_URL = url;
  return async () => {
    vnu.kill();
  };
}
