// Bytes a browser downloads to search a built site, for a first and a second query, with
// ldr's own index (the real /search/ page) and with Pagefind's (its JS API on the same
// records, as bench/pagefind-baseline writes them to SITE/pagefind/).
//
//   node bench/search_transfer.mjs SITE_DIR "FIRST QUERY" "SECOND QUERY" [EXPECTED_URL_1 EXPECTED_URL_2]
//
// The site is served from a loopback port the way a static host serves it: HTML, CSS, JS
// and JSON gzip-compressed on the fly, files that are compressed already (ldr's .json.gz,
// Pagefind's index, fragments and wasm) as they are. Each engine gets a fresh browser
// profile, so nothing is cached. Counted: every response of the search (ldr: the two
// scripts and /search/index/; Pagefind: /pagefind/), by its size on the wire (body, as
// Chromium reports it); not the HTML page and stylesheet around it. A query is done when
// its first 20 results have their titles, as on the page. Prints one JSON line per engine.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join, extname, normalize } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tests/browser/', import.meta.url));
const { chromium } = require('playwright-core');
const [siteDir, first, second, expectFirst, expectSecond] = process.argv.slice(2);

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml' };
const harness = `<!DOCTYPE html><html lang="en"><title>Pagefind</title><script>
window.run = async (query) => {
  window.pagefind ??= await import('/pagefind/pagefind.js');
  const search = await window.pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  return { count: search.results.length, top: data[0]?.url ?? null };
};
</script></html>`;

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let body;
  let type;
  if (path === '/__pagefind.html') {
    body = Buffer.from(harness);
    type = types['.html'];
  } else {
    let file = join(siteDir, normalize(path));
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      body = await readFile(file);
      type = types[extname(file)] ?? 'application/octet-stream';
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
  }
  const headers = { 'content-type': type, 'cache-control': 'max-age=3600' };
  if (type !== 'application/octet-stream' && /gzip/.test(req.headers['accept-encoding'] ?? '')) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  res.writeHead(200, headers);
  res.end(body);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

async function measure(engine, counted, start, query) {
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ldr-transfer-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    let tally = { bytes: 0, requests: 0 };
    const pending = [];
    page.on('requestfinished', (request) => {
      if (!counted(new URL(request.url()).pathname)) return;
      pending.push(request.sizes().then((sizes) => {
        tally.bytes += sizes.responseBodySize;
        tally.requests += 1;
      }));
    });
    await start(page);
    const results = {};
    for (const [name, text] of [['first', first], ['second', second]]) {
      const top = await query(page, text);
      await Promise.all(pending.splice(0));
      results[name] = { query: text, ...tally, top };
      tally = { bytes: 0, requests: 0 };
    }
    return { engine, ...results };
  } finally {
    await browser.close();
  }
}

const ldr = await measure('ldr',
  (path) => path.startsWith('/search/index/') || path.startsWith('/static/search'),
  (page) => page.goto(`${base}/search/`),
  async (page, text) => {
    await page.locator('#search-q').fill(text);
    await page.locator('#search-q').press('Enter');
    await page.locator('#search-status').filter({ hasText: `\u201c${text}\u201d` }).waitFor({ timeout: 60000 });
    const link = page.locator('#search-results > li h2 a').first();
    return (await link.count()) ? new URL(await link.getAttribute('href'), base).pathname : null;
  });
console.log(JSON.stringify(ldr));

try {
  await stat(join(siteDir, 'pagefind/pagefind.js'));
  const pagefind = await measure('pagefind',
    (path) => path.startsWith('/pagefind/'),
    (page) => page.goto(`${base}/__pagefind.html`),
    async (page, text) => (await page.evaluate((q) => window.run(q), text)).top);
  console.log(JSON.stringify(pagefind));
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
server.close();
const wrong = [[ldr.first.top, expectFirst], [ldr.second.top, expectSecond]].filter(([top, want]) => want && top !== want);
process.exit(wrong.length ? 1 : 0);
