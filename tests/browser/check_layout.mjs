// Looks at a built site the way a person does: one page of every kind, every council's
// page, and search in three states, at 320, 375 and 1280 CSS pixels wide, in Debian's
// headless Chromium. For each page at each width it checks what is drawn, not the markup:
//   reflow   the page does not scroll sideways (WCAG 1.4.10)
//   text     no text is drawn below 12 CSS px; SVG text counts at the size it is drawn
//            (its font size times the SVG's scale on screen)
//   clipped  no text is cut off by its box: an element that hides its overflow (or ends it
//            with an ellipsis) holds all of its content, SVG text stays inside its SVG, and a
//            box that scrolls sideways is a named region the keyboard reaches, whose table
//            keeps its first column in view and its caption inside the region
//   align    a column of colours without words has its heading over its middle
//   hidden   nothing with the `hidden` attribute is drawn
//   header   on a phone the header takes at most a quarter of the screen (its links fold
//            into a Menu), and breadcrumbs stand at least 12px clear of it
//   search   "Show more results" adds results, and the status counts what is shown;
//            "No results" links on to the footprints or the A to Z
//   axe      axe-core's WCAG 2.1 A and AA rules, colour contrast included, in that state
// and writes a screenshot of each to OUT_DIR/<width>/<page>.png (the first 4,000 px).
//
// Usage: node check_layout.mjs SITE_DIR OUT_DIR [--only NAME,...] [--no-fail]
// Prints one line per page and width with what failed, and exits 1 if anything did
// (0 with --no-fail, for the screenshot gallery). The site is served from a loopback port.
import { readdirSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveSite, launchChromium, injectAxe } from './site.mjs';

const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? null : args.splice(i, 2)[1]; };
const only = flag('--only')?.split(',');
const noFail = args.includes('--no-fail') && args.splice(args.indexOf('--no-fail'), 1);
const [siteDir, outDir] = args;
const WIDTHS = [320, 375, 1280];
const SHOT_HEIGHT = 4000;

/** The first folder under `dir` (a slug), for "one page of this kind"; `not` names folders
 * that are pages of another kind (the stories' `tags`). */
function first(dir, not = []) {
  const path = join(siteDir, dir);
  if (!existsSync(path)) return null;
  const names = readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory() && !not.includes(e.name)).map((e) => e.name).sort();
  return names.find((n) => !n.includes('example')) ?? names[0] ?? null;
}

/** A minimal CSV reader for the site's own export: quoted fields with doubled quotes. */
function csvRows(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// GSS code prefixes of the kinds of council (see CouncilKind in src/model/organisation.rs).
const COUNCIL_KINDS = { E06: 'unitary', E07: 'district', E08: 'metropolitan', E09: 'london-borough', E10: 'county' };

/** Every page this check looks at, as [name, path, action]: names are the screenshots' file
 * names; an action is what a person does on the page before it is looked at. */
function pagesOf() {
  const pages = [];
  // A page that is two kinds at once (the example footprint has the timeline) is looked at once.
  const add = (name, path, action) => {
    if (path && (action || !pages.some(([, p, a]) => p === path && !a))) pages.push([name, path, action]);
  };
  const isDir = (p) => existsSync(join(siteDir, p));
  if (!isDir('index.html')) {
    // A fixture site: every HTML file at the top, by name.
    for (const f of readdirSync(siteDir).filter((f) => f.endsWith('.html')).sort()) add(f.replace(/\.html$/, ''), `/${f}`);
    return pages;
  }
  add('home', '/');
  // The header's Menu, opened as a person on a phone opens it (it is a <details>).
  add('menu-open', '/', 'open-menu');
  add('footprints', '/footprints/');
  const real = first('footprints');
  if (real) add('footprint', `/footprints/${real}/`);
  if (isDir('footprints/example-footprint')) add('footprint-example', '/footprints/example-footprint/');
  // The footprint with the most drawn plans: the one whose page has a timeline.
  for (const slug of readdirSync(join(siteDir, 'footprints')).sort()) {
    const file = join(siteDir, 'footprints', slug, 'index.html');
    if (existsSync(file) && readFileSync(file, 'utf8').includes('class="timeline-chart"')) {
      add('footprint-timeline', `/footprints/${slug}/`);
      break;
    }
  }
  add('organisations', '/organisations/');
  const register = join(siteDir, 'data/organisations.csv');
  if (existsSync(register)) {
    const [header, ...rows] = csvRows(readFileSync(register, 'utf8'));
    const code = header.indexOf('code'), kind = header.indexOf('kind');
    const seen = new Set();
    for (const row of rows) {
      const k = row[kind];
      if (k === 'local-authority') {
        const council = COUNCIL_KINDS[row[code].slice(0, 3)] ?? 'council';
        add(`organisation-${council}-${row[code]}`, `/organisations/${row[code]}/`);
      } else if (k && !seen.has(k)) {
        seen.add(k);
        add(`organisation-${k}`, `/organisations/${row[code]}/`);
      }
    }
  }
  // A provider's page with its digital maturity chart (in the default content, an example's).
  for (const code of readdirSync(join(siteDir, 'organisations')).sort()) {
    const file = join(siteDir, 'organisations', code, 'index.html');
    if (existsSync(file) && readFileSync(file, 'utf8').includes('class="maturity-chart"')) {
      add('organisation-with-maturity-chart', `/organisations/${code}/`);
      break;
    }
  }
  add('stories', '/stories/');
  // A story, even when every story is an example (the default content's are).
  const story = first('stories', ['tags']);
  if (story) add('story', `/stories/${story}/`);
  const tag = first('stories/tags');
  if (tag) add('tag', `/stories/tags/${tag}/`);
  add('events', '/events/');
  const event = readdirSync(join(siteDir, 'events'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'kind').map((e) => e.name).sort()[0];
  if (event) add('event', `/events/${event}/`);
  for (const [name, path] of [['capabilities', '/capabilities/'], ['digital-maturity', '/digital-maturity/'],
    ['data', '/data/'], ['accessibility', '/accessibility/'], ['privacy', '/privacy/'], ['page', '/about/']]) {
    if (isDir(path.slice(1))) add(name, path);
  }
  add('not-found', '/404.html');
  if (isDir('search')) {
    add('search', '/search/');
    add('search-results', '/search/?q=west+yorkshire');
    add('search-no-results', '/search/?q=qqqzzzxxq');
    add('search-many-results', '/search/?q=nhs');
    add('search-more-results', '/search/?q=nhs', 'show-more');
  }
  return pages;
}

/** Runs in the page: what a person would see wrong, as a list of sentences. */
function lookAtPage(action) {
  const problems = [];
  const root = document.documentElement;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    const cls = el.getAttribute('class');
    if (cls) s += '.' + cls.trim().split(/\s+/).join('.');
    const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
  const drawn = (el) => {
    if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  if (root.scrollWidth > root.clientWidth) {
    // Name the widest culprit: the deepest element reaching past the right edge.
    let culprit = null;
    for (const el of document.body.querySelectorAll('*')) {
      const overflows = el.getBoundingClientRect().right > root.clientWidth + 0.5
        || (getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0);
      if (overflows && drawn(el)) culprit = el;
    }
    problems.push(`reflow: the page scrolls sideways by ${root.scrollWidth - root.clientWidth}px` +
      (culprit ? ` (${describe(culprit)} ends at ${Math.round(culprit.getBoundingClientRect().right)}px)` : ''));
  }
  // Text as drawn: every element with a text node of its own.
  const small = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || small.has(el) || ['SCRIPT', 'STYLE', 'TITLE', 'DESC', 'TEMPLATE', 'NOSCRIPT'].includes(el.tagName.toUpperCase())) continue;
    if (el.closest('title, desc')) continue;
    if (!drawn(el)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      if (m) size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    }
    if (size < 11.95) small.set(el, size);
  }
  for (const [el, size] of [...small].slice(0, 5)) problems.push(`text: ${describe(el)} is drawn at ${size.toFixed(1)}px`);
  if (small.size > 5) problems.push(`text: and ${small.size - 5} more elements below 12px`);
  // Clipped: a box that hides overflowing content, or text leaving its SVG.
  const clipped = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el instanceof SVGElement || !drawn(el)) continue;
    const style = getComputedStyle(el);
    const hides = (v) => v === 'hidden' || v === 'clip';
    const ellipsis = style.textOverflow === 'ellipsis';
    if (!(hides(style.overflowX) || hides(style.overflowY) || ellipsis)) continue;
    if ((hides(style.overflowX) || ellipsis) && el.scrollWidth > el.clientWidth + 1) clipped.push(`${describe(el)} holds ${el.scrollWidth}px in ${el.clientWidth}px`);
    else if (hides(style.overflowY) && el.scrollHeight > el.clientHeight + 1) clipped.push(`${describe(el)} holds ${el.scrollHeight}px in ${el.clientHeight}px high`);
  }
  for (const text of document.querySelectorAll('svg text')) {
    const svg = text.ownerSVGElement;
    if (!svg || !drawn(text) || getComputedStyle(svg).overflow === 'visible') continue;
    const t = text.getBoundingClientRect(), s = svg.getBoundingClientRect();
    if (t.left < s.left - 0.5 || t.right > s.right + 0.5 || t.top < s.top - 0.5 || t.bottom > s.bottom + 0.5) {
      clipped.push(`${describe(text)} runs outside its SVG`);
    }
  }
  // A box that scrolls sideways hides part of what it holds: it must be a named region a
  // keyboard can reach and scroll, and a table in it keeps its first column in view.
  for (const el of document.body.querySelectorAll('*')) {
    if (el instanceof SVGElement || !drawn(el)) continue;
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    const named = el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
    if (!(el.getAttribute('role') === 'region' && el.tabIndex >= 0 && named)) {
      clipped.push(`${describe(el)} scrolls sideways (${el.scrollWidth}px in ${el.clientWidth}px) but is not a named region a keyboard can reach`);
    }
    // What names the table is read before scrolling: a caption runs past the region's edge
    // only if it wraps at the table's width, leaving a phone its line ends.
    const box = el.getBoundingClientRect();
    for (const caption of el.querySelectorAll('caption')) {
      const range = document.createRange();
      range.selectNodeContents(caption);
      const r = range.getBoundingClientRect();
      if (drawn(caption) && (r.right > box.right + 0.5 || r.left < box.left - 0.5)) {
        clipped.push(`${describe(caption)} runs past the edge of the region that scrolls its table`);
      }
    }
    const cell = el.querySelector('table tbody tr > :first-child');
    if (cell && getComputedStyle(cell).position !== 'sticky') {
      clipped.push(`${describe(el)} scrolls its table without keeping the first column in view`);
    }
  }
  // A column of colours without words (the capability matrix) is read by the letter over it:
  // the letter stands over the middle of the column, not off to one side. Words kept for a
  // screen reader in a 1px box are not words a person sees.
  const hasWords = (cell) => [cell, ...cell.querySelectorAll('*')].some((e) =>
    [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()) && e.getBoundingClientRect().width > 2);
  for (const table of document.querySelectorAll('table')) {
    const headings = table.querySelectorAll('thead tr:last-child > th');
    const row = table.querySelector('tbody tr');
    if (!row || !drawn(table)) continue;
    for (const [i, cell] of [...row.children].entries()) {
      const heading = headings[i];
      if (!heading || hasWords(cell) || !heading.innerText.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(heading);
      const text = range.getBoundingClientRect(), box = cell.getBoundingClientRect();
      const off = Math.abs((text.left + text.right) / 2 - (box.left + box.right) / 2);
      if (box.width > 0 && off > box.width / 4) {
        problems.push(`align: ${describe(heading)} stands ${Math.round(off)}px off the middle of its ${Math.round(box.width)}px column`);
      }
    }
  }
  for (const c of clipped.slice(0, 5)) problems.push(`clipped: ${c}`);
  if (clipped.length > 5) problems.push(`clipped: and ${clipped.length - 5} more`);
  // The header on a phone: NHS.UK's folds its links into a menu rather than take the screen,
  // and the breadcrumbs stand clear of it.
  const header = document.querySelector('body > header');
  if (header && innerWidth < 641 && action !== 'open-menu') {
    const height = header.getBoundingClientRect().height;
    if (height > innerHeight / 4) problems.push(`header: takes ${Math.round(height)}px of a ${innerHeight}px screen`);
  }
  const crumb = document.querySelector('nav[aria-label="Breadcrumb"] a');
  if (header && crumb) {
    const gap = crumb.getBoundingClientRect().top - header.getBoundingClientRect().bottom;
    if (gap < 12) problems.push(`spacing: the breadcrumbs are ${Math.round(gap)}px below the header`);
  }
  for (const el of document.querySelectorAll('[hidden]')) {
    if (el.checkVisibility() && el.getClientRects().length > 0) problems.push(`hidden: ${describe(el)} is hidden but drawn`);
  }
  return problems;
}

const pages = pagesOf().filter(([name]) => !only || only.some((o) => name.startsWith(o)));
const { server, base } = await serveSite(siteDir);
// axe-core is added to each page; an auditor's browser lets it past the pages' CSP.
const context = await launchChromium({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
let failures = 0;
try {
  for (const width of WIDTHS) mkdirSync(join(outDir, String(width)), { recursive: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const [name, path, action] of pages) {
    for (const width of WIDTHS) {
      errors.length = 0;
      await page.setViewportSize({ width, height: width < 640 ? 740 : 800 });
      await page.goto(base + path, { waitUntil: 'load' });
      if (path.startsWith('/search/?')) {
        await page.locator('#search-status:not(:empty)').waitFor({ timeout: 10000 }).catch(() => {
          errors.push('search: the status never reported');
        });
      }
      // No results: the page says what to try and where else to look, as NHS.UK's does.
      if (path.startsWith('/search/?') && /^No results/.test(await page.locator('#search-status').textContent())) {
        const onward = page.locator('main a[href$="/organisations/"], main a[href$="/footprints/"]');
        const visible = await onward.evaluateAll((links) => links.filter((a) => a.checkVisibility()).length);
        if (visible === 0) errors.push('search: "No results" leaves the reader with nowhere to go');
      }
      if (action === 'show-more') {
        // "Show more results" adds the next results and says so in the status.
        const before = await page.locator('#search-results > li').count();
        await page.locator('#search-more').click();
        await page.waitForFunction((n) => document.querySelectorAll('#search-results > li').length > n, before, { timeout: 10000 })
          .catch(() => errors.push(`search: "Show more results" added nothing to ${before} results`));
        const status = await page.locator('#search-status').textContent();
        const shown = await page.locator('#search-results > li').count();
        if (/showing the first (\d+)/.test(status) && Number(status.match(/showing the first (\d+)/)[1]) !== shown) {
          errors.push(`search: the status says "${status}" with ${shown} results shown`);
        }
      }
      if (action === 'open-menu') {
        const toggle = page.locator('summary.site-nav__toggle');
        if (await toggle.isVisible()) await toggle.click();
      }
      const problems = await page.evaluate(lookAtPage, action ?? null);
      await injectAxe(page);
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      }));
      if (result.passes.length === 0) problems.push('axe: ran no rule');
      for (const v of result.violations) {
        problems.push(`axe: ${v.id} (${v.help}) at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }
      for (const e of errors) problems.push(e.startsWith('search:') ? e : `script: ${e}`);
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.screenshot({
        path: join(outDir, String(width), `${name}.png`),
        fullPage: true,
        clip: height > SHOT_HEIGHT ? { x: 0, y: 0, width, height: SHOT_HEIGHT } : undefined,
      });
      console.log(`${name} ${path} at ${width}px: ${problems.length ? problems.length + ' problem' + (problems.length === 1 ? '' : 's') : 'ok'}`);
      for (const p of problems) console.log(`  ${p}`);
      failures += problems.length;
    }
  }
  console.log(`${pages.length} page${pages.length === 1 ? '' : 's'} at ${WIDTHS.length} widths; screenshots in ${outDir}`);
} finally {
  await context.close();
  server.close();
}
process.exit(failures === 0 || noFail ? 0 : 1);
