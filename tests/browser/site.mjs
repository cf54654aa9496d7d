// What the browser checks share: a built site served from a loopback port, and Debian's
// Chromium started headless with the flags this closed network needs.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.xml': 'application/xml', '.gz': 'application/gzip' };

/** Serves `dir` like a static host: folders by their index.html, misses with 404.html. */
export async function serveSite(dir) {
  const server = createServer(async (req, res) => {
    let file = join(dir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end(await readFile(join(dir, '404.html')).catch(() => 'not found'));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

/** Headless Chromium with a fresh profile; without the networking flags it floods the network. */
export function launchChromium(options = {}) {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ldr-chromium-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    ...options,
  });
}

/** Loads axe-core into `page`. Evaluated over the DevTools protocol rather than added as a
 * `<script>`: the pages' Content-Security-Policy blocks inline scripts, a test's included. */
export async function injectAxe(page) {
  const { readFile: read } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  const source = await read(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`${source}\n;window.axe = axe; undefined`);
}
