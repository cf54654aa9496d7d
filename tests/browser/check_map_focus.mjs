// Tabs through /footprints/ of a built site in headless Chromium and prints, as JSON, the
// footprint links inside the map that received keyboard focus, in order.
// Usage: node check_map_focus.mjs SITE_DIR
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const [siteDir] = process.argv.slice(2);
const server = createServer(async (req, res) => {
  let file = join(siteDir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8' });
    res.end(await readFile(file));
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ldr-focus-')), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/footprints/`);
  const focused = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const href = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.closest('svg.footprint-map') ? el.getAttribute('href') : null;
    });
    if (href) focused.push(href);
  }
  console.log(JSON.stringify(focused));
} finally {
  await context.close();
  server.close();
}
