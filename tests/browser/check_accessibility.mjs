// Runs axe-core (WCAG 2.1 A and AA) on pages of a built site in Debian's headless Chromium.
// Usage: node check_accessibility.mjs SITE_DIR PATH... ; prints each page's violations and
// exits 1 if there is any. Also checks WCAG 1.4.10 reflow, which axe cannot: at 320 CSS
// pixels wide the page must not scroll sideways (a wide table may scroll inside its box). The site is served from a loopback port of this process.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const [siteDir, ...paths] = process.argv.slice(2);
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.xml': 'application/xml' };

const server = createServer(async (req, res) => {
  let file = join(siteDir, normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(await readFile(file));
  } catch {
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(await readFile(join(siteDir, '404.html')).catch(() => 'not found'));
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ldr-axe-')), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failures = 0;
try {
  const page = await browser.newPage();
  for (const path of paths) {
    await page.goto(base + path);
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(() => axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }));
    const violations = result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    await page.setViewportSize({ width: 320, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) violations.push({ id: 'reflow', help: `page scrolls sideways by ${overflow}px at 320px wide` });
    await page.setViewportSize({ width: 1280, height: 800 });
    console.log(`${path}: ${violations.length} violations, ${result.passes.length} rules passed`);
    for (const v of violations) console.log('  ' + JSON.stringify(v));
    if (result.passes.length === 0) { console.log('  axe ran no rule'); failures++; }
    failures += violations.length;
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(failures === 0 ? 0 : 1);
