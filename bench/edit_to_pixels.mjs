// Edit-to-pixels latency of a preview server, as an editor sees it: the time from saving a
// file to the new text (or style) being in the open tab, measured in headless Chromium.
//
//   node bench/edit_to_pixels.mjs ldr  CONTENT_DIR THEMES_DIR --edit roadmap [--edits 20] [--ldr target/release/ldr]
//   node bench/edit_to_pixels.mjs hugo HUGO_SITE_DIR           --edit roadmap [--edits 20]
//
// The site is copied to a temporary folder and served (`ldr serve`, or `hugo server` with
// its defaults: in memory, fast render, LiveReload). The footprint in the middle of the A-Z
// list is opened in one tab and edited again and again, a pause between saves:
//   roadmap     a paragraph appended to its roadmap (roadmap.md; Hugo: the page's body)
//   governance  its CCIO changed ([governance] ccio in footprint.toml; Hugo: front matter)
//   css         a custom property changed at the end of the stylesheet
//   members     its last member dropped, then put back (a full build in ldr)
// A save is timed from just before the write to the moment a check run in the tab on
// every animation frame (`page.waitForFunction`, polling 'raf') sees the change: the new
// text in the page, the new value in the computed style, or a different number of links
// to organisations. Whether the tab morphs, swaps a stylesheet or reloads does not matter.
// The first saves warm up and are not counted. Prints one JSON line.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../tests/browser/', import.meta.url));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const edit = option('edit', 'roadmap');
const edits = Number(option('edits', '20'));
const ldr = resolve(option('ldr', 'target/release/ldr'));
const warmUp = 2;
const [server, source, themes] = args;
if (!['ldr', 'hugo'].includes(server) || !source || (server === 'ldr' && !themes)) {
  console.error('usage: edit_to_pixels.mjs ldr CONTENT THEMES | hugo SITE  --edit roadmap|governance|css|members');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'ldr-pixels-'));
const port = await freePort();
let site; // paths of the copied site
if (server === 'ldr') {
  cpSync(source, join(work, 'content'), { recursive: true });
  cpSync(themes, join(work, 'themes'), { recursive: true });
  const slugs = readdirSync(join(work, 'content/footprints')).sort();
  const slug = slugs[Math.floor(slugs.length / 2)];
  const folder = join(work, 'content/footprints', slug);
  site = { slug, footprints: slugs.length, roadmap: join(folder, 'roadmap.md'), toml: join(folder, 'footprint.toml'),
    css: join(work, 'themes/default/static/style.css') };
} else {
  cpSync(source, join(work, 'site'), { recursive: true });
  const files = readdirSync(join(work, 'site/content/footprints')).filter((f) => f !== '_index.md').sort();
  const file = join(work, 'site/content/footprints', files[Math.floor(files.length / 2)]);
  site = { slug: files[Math.floor(files.length / 2)].replace(/\.md$/, ''), footprints: files.length,
    roadmap: file, toml: file, css: join(work, 'site/static/static/style.css') };
}

const child = server === 'ldr'
  ? spawn(ldr, ['serve', '--port', String(port), '--content', join(work, 'content'), '--themes', join(work, 'themes')])
  : spawn('hugo', ['server', '--port', String(port), '--bind', '127.0.0.1', '--baseURL', 'http://127.0.0.1/'], { cwd: join(work, 'site') });
let log = '';
const ready = new Promise((ok, fail) => {
  const look = (chunk) => {
    log += chunk;
    if (/Serving the site|Web Server is available/.test(log)) ok();
  };
  child.stdout.on('data', look);
  child.stderr.on('data', look);
  child.on('exit', (code) => fail(new Error(`${server} exited with ${code}:\n${log}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  await ready;
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/footprints/${site.slug}/`, { timeout: 120000 });
  // Let the live-reload connection (Server-Sent Events, or Hugo's WebSocket) open.
  await page.waitForTimeout(1000);

  const roadmap = readFileSync(site.roadmap, 'utf8');
  const toml = readFileSync(site.toml, 'utf8');
  const css = readFileSync(site.css, 'utf8');
  const organisationLinks = () => document.querySelectorAll('main a[href*="/organisations/"]').length;
  const save = {
    roadmap: (n) => {
      writeFileSync(site.roadmap, readFileSync(site.roadmap, 'utf8') + `\nSaved edit number ${n} of the roadmap.\n`);
      return [(text) => document.body.textContent.includes(text), `Saved edit number ${n} of the roadmap.`];
    },
    governance: (n) => {
      if (!/^ccio = /m.test(toml)) throw new Error('this footprint records no CCIO');
      writeFileSync(site.toml, toml.replace(/^ccio = .*$/m, `ccio = "Governance edit ${n}"`));
      return [(text) => document.body.textContent.includes(text), `Governance edit ${n}`];
    },
    css: (n) => {
      writeFileSync(site.css, `${css}\n:root { --bench-edit: ${n}; }\n`);
      return [(value) => getComputedStyle(document.documentElement).getPropertyValue('--bench-edit').trim() === value, String(n)];
    },
    members: (n, before) => {
      // Drop the last code of `members` (and of Hugo's `organisations` taxonomy), or put it back.
      const dropLast = (line) => line.replace(/,\s*"[^"]*"\]$/, ']');
      const text = n % 2 === 0
        ? toml.replace(/^(members|organisations) = .*$/gm, dropLast)
        : toml;
      writeFileSync(site.toml, text);
      return [({ count, links }) => document.querySelectorAll(links).length !== count,
        { count: before, links: 'main a[href*="/organisations/"]' }];
    },
  }[edit];
  if (!save) throw new Error(`unknown edit ${edit}`);

  const times = [];
  for (let n = 0; n < edits + warmUp; n++) {
    const before = edit === 'members' ? await page.evaluate(organisationLinks) : 0;
    const started = performance.now();
    const [check, arg] = save(n, before);
    await seen(page, check, arg);
    const ms = performance.now() - started;
    if (n >= warmUp) times.push(ms);
    await page.waitForTimeout(edit === 'members' ? 500 : 250);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.round(q * (times.length - 1)))];
  console.log(JSON.stringify({ server, footprints: site.footprints, edit, saves: times.length,
    median_ms: +at(0.5).toFixed(1), p95_ms: +at(0.95).toFixed(1), min_ms: +times[0].toFixed(1) }));
} finally {
  await browser.close();
  child.kill();
  rmSync(work, { recursive: true, force: true });
}

/** Waits until `check(arg)` holds in the tab, across a reload if the server asks for one. */
async function seen(page, check, arg) {
  const deadline = performance.now() + 120000;
  for (;;) {
    try {
      await page.waitForFunction(check, arg, { polling: 'raf', timeout: Math.max(1, deadline - performance.now()) });
      return;
    } catch (error) {
      if (!/destroyed|navigat|closed/i.test(error.message) || performance.now() > deadline) throw error;
    }
  }
}

function freePort() {
  return new Promise((ok) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => { const { port } = probe.address(); probe.close(() => ok(port)); });
  });
}
