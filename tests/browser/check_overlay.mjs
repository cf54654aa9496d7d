// The preview's error overlay as the editor who made the mistake sees it, in Debian's
// headless Chromium, at 1280, 375 and 320 px, with the site's Content-Security-Policy in force.
//
//   node check_overlay.mjs URL edits BETA_TOML ALPHA_TOML STYLE_CSS SHOTS
//     Breaks two footprints (one of them on a very long line) in an open tab, then checks the
//     overlay: legible (every text's contrast, from getComputedStyle inside the shadow root),
//     the caret under its column, a list of the two mistakes, the long line scrolling inside
//     its box and not the page, axe-core clean, announced once, closed by its button and by
//     Escape; again with a theme whose CSS is hostile to it; and gone once the files are fixed.
//   node check_overlay.mjs URL first SHOTS
//     A site broken from the start (the 500 page): the same overlay, the same checks.
//
// Screenshots go to SHOTS as overlay-*.png. Prints "ok - ..." per check, exits 1 at the first
// failure.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { unlinkSync } from 'node:fs';
import { launchChromium, injectAxe } from './site.mjs';

const [url, mode, ...rest] = process.argv.slice(2);
const ok = (name) => console.log(`ok - ${name}`);
const widths = [1280, 375, 320];

const context = await launchChromium({ viewport: { width: 1280, height: 900 } });
// Runs before the page's scripts: records policy violations and every build-error event the
// page's own event stream receives.
await context.addInitScript(() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  window.__buildErrors = 0;
  const Original = window.EventSource;
  window.EventSource = function (address) {
    const source = new Original(address);
    source.addEventListener('build-error', () => { window.__buildErrors += 1; });
    return source;
  };
  window.EventSource.prototype = Original.prototype;
});

/** What a person sees of the overlay, measured in the page. */
function measure() {
  const host = document.getElementById('ldr-error-overlay');
  if (!host) return { missing: true };
  // Measured as drawn wherever the overlay keeps its parts, so that an overlay in the page's
  // own DOM is held to the same checks.
  const root = host.shadowRoot ?? host;
  const parse = (colour) => {
    const [r, g, b, a = 1] = colour.match(/[\d.]+/g).map(Number);
    return { r, g, b, a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const [R, G, B] = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  // The colour behind `element`: its own and its ancestors' backgrounds, composited, over the
  // page's white when none of them is opaque.
  const behind = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement || (e.parentNode && e.parentNode.host) || null) {
      const colour = parse(getComputedStyle(e).backgroundColor);
      if (colour.a > 0) layers.push(colour);
      if (colour.a === 1) break;
    }
    return layers.reverse().reduce((bottom, top) => over(top, bottom), { r: 255, g: 255, b: 255, a: 1 });
  };
  const texts = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.nodeValue.trim()) continue;
    const element = node.parentElement;
    const style = getComputedStyle(element);
    // Text made invisible on purpose: the caret row's copy of the line and of its number.
    if (style.visibility !== 'visible' || parse(style.color).a === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    const colour = over(parse(style.color), behind(element));
    const [a, b] = [luminance(colour), luminance(behind(element))].sort((x, y) => y - x);
    texts.push({
      text: node.nodeValue.trim().slice(0, 40),
      contrast: (a + 0.05) / (b + 0.05),
      size: parseFloat(style.fontSize),
      drawn: box.width > 0 && box.height > 0,
    });
  }
  // Each quoted line: where the column's character is drawn, and where the caret is.
  const snippets = Array.from(root.querySelectorAll('[role="region"]')).map((box) => {
    const rows = box.querySelectorAll('pre > *');
    const [source, carets] = rows;
    const column = Number(/column (\d+)$/.exec(box.getAttribute('aria-label'))[1]);
    // The line's text after its number: the character at `column` of what the file holds.
    const sourceText = source.lastElementChild;
    let left = Array.from(sourceText.textContent).slice(0, column - 1).join('').length;
    let x = null;
    const texts = document.createTreeWalker(sourceText, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      if (left < node.nodeValue.length) {
        const range = document.createRange();
        range.setStart(node, left);
        range.setEnd(node, left + 1);
        x = range.getBoundingClientRect().left;
        break;
      }
      left -= node.nodeValue.length;
    }
    // A column just past the line's end (a missing value): right after its last character.
    if (x === null) x = sourceText.getBoundingClientRect().right;
    const caret = Array.from(carets.children).find((e) => e.textContent.startsWith('^'));
    const lineHeight = parseFloat(getComputedStyle(source).lineHeight);
    const [caretBox, boxBox] = [caret.getBoundingClientRect(), box.getBoundingClientRect()];
    // The line's number stays at the left as the line scrolls: the text is seen right of it.
    const numberRight = source.firstElementChild.getBoundingClientRect().right;
    return {
      column,
      charX: x,
      caretX: caret.getBoundingClientRect().left,
      caretBelow: caret.getBoundingClientRect().top >= source.getBoundingClientRect().bottom - 1,
      oneLine: source.getBoundingClientRect().height < lineHeight * 1.5,
      scrolls: box.scrollWidth > box.clientWidth,
      // Its start at least, and all of it when it fits beside the number.
      caretInView: caretBox.left >= numberRight && caretBox.left < boxBox.left + box.clientWidth
        && (caretBox.width > boxBox.left + box.clientWidth - numberRight - 16 || caretBox.right <= boxBox.left + box.clientWidth),
      length: source.textContent.length,
      // A long line is quoted as a window around its mistake, an ellipsis where it is cut.
      cut: source.textContent.trimEnd().endsWith('\u2026'),
      wider: box.scrollWidth > box.clientWidth || source.getBoundingClientRect().width > box.clientWidth,
    };
  });
  const scrim = root.firstElementChild;
  const heading = root.querySelector('h2');
  const headingBox = heading.getBoundingClientRect();
  const atHeading = document.elementFromPoint(headingBox.left + 5, headingBox.top + 5);
  const warnings = root.querySelector('details');
  return {
    missing: false,
    warnings: warnings ? { summary: warnings.querySelector('summary').textContent, open: warnings.open } : null,
    heading: heading.textContent,
    alerts: root.querySelectorAll('[role="alert"]').length,
    alertText: root.querySelector('[role="alert"]')?.textContent ?? '',
    text: root.textContent,
    items: root.querySelectorAll('ol.problems > li').length,
    texts,
    snippets,
    onTop: atHeading === host || host.contains(atHeading),
    pageSideways: document.documentElement.scrollWidth > innerWidth,
    overlaySideways: scrim.scrollWidth > scrim.clientWidth,
    violations: window.__violations,
  };
}

async function axe(page) {
  await injectAxe(page);
  return page.evaluate(async () => {
    const wcag = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    // The page in its overlay state, and the overlay itself held to WCAG 2.2 and axe's best
    // practice too (the page under it is other tests' business).
    const page = await window.axe.run(document, { runOnly: { type: 'tag', values: wcag } });
    const overlay = await window.axe.run({ include: [['#ldr-error-overlay']] },
      { runOnly: { type: 'tag', values: [...wcag, 'wcag22aa', 'best-practice'] } });
    // Shadow-root nodes are named by a list of selectors, host first.
    const inOverlay = (node) => Array.isArray(node.target[0]) && node.target[0][0] === '#ldr-error-overlay';
    return {
      violations: [...page.violations, ...overlay.violations]
        .map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(' ')}`),
      contrastChecked: (page.passes.find((p) => p.id === 'color-contrast')?.nodes ?? []).filter(inOverlay).length,
    };
  });
}

/** Every check of a shown overlay, at every width, with screenshots named `overlay-NAME-W.png`. */
async function checkShown(page, name, expect) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: width > 1000 ? 900 : 740 });
    await page.waitForTimeout(100);
    const where = `${name} at ${width} px`;
    const folded = await page.evaluate(measure);
    // Warnings are folded away; opened, they are held to the same checks.
    await page.evaluate(() => {
      const details = document.getElementById('ldr-error-overlay').shadowRoot?.querySelector('details');
      if (details) details.open = true;
    });
    const seen = await page.evaluate(measure);
    assert.equal(seen.missing, false, `${where}: no overlay`);
    assert.ok(seen.onTop, `${where}: the overlay is not what is drawn at its heading`);
    for (const t of seen.texts) {
      assert.ok(t.drawn, `${where}: "${t.text}" is not drawn`);
      assert.ok(t.contrast >= 4.5, `${where}: "${t.text}" has a contrast of ${t.contrast.toFixed(2)}`);
      assert.ok(t.size >= 12, `${where}: "${t.text}" is ${t.size} px`);
    }
    assert.deepEqual(folded.warnings, expect.warnings, `${where}: warnings`);
    assert.match(seen.heading, expect.heading, where);
    assert.equal(seen.alerts, 1, `${where}: one live region`);
    assert.match(seen.alertText, expect.count, where);
    assert.ok(seen.texts.length > 10, `${where}: only ${seen.texts.length} texts`);
    for (const file of expect.files) assert.ok(seen.text.includes(file), `${where}: no ${file} in ${seen.text}`);
    for (const absent of expect.absent) assert.ok(!seen.text.includes(absent), `${where}: ${absent} is shown`);
    assert.equal(seen.items, expect.items, `${where}: ${seen.items} list items`);
    assert.equal(seen.snippets.length, expect.snippets, `${where}: ${seen.snippets.length} quoted lines`);
    for (const s of seen.snippets) {
      assert.ok(s.charX !== null && Math.abs(s.caretX - s.charX) < 0.5,
        `${where}: the caret is at x=${s.caretX}, column ${s.column} at x=${s.charX}`);
      assert.ok(s.caretBelow && s.oneLine, `${where}: the line of column ${s.column} wraps or the caret is not under it`);
      assert.ok(s.caretInView, `${where}: the caret of column ${s.column} is scrolled out of its box`);
      if (s.wider) assert.ok(s.scrolls, `${where}: a line wider than its box does not scroll inside it`);
    }
    if (expect.long) {
      assert.ok(seen.snippets.some((s) => s.cut && s.length < 110), `${where}: the long line is not quoted as a window`);
      if (page.viewportSize().width < 1000) assert.ok(seen.snippets.some((s) => s.cut && s.scrolls), `${where}: no long line scrolls`);
    }
    assert.ok(!seen.pageSideways && !seen.overlaySideways, `${where}: sideways scroll`);
    assert.deepEqual(seen.violations, [], `${where}: Content-Security-Policy violations`);
    const audit = await axe(page);
    assert.deepEqual(audit.violations, [], `${where}: axe-core`);
    assert.ok(audit.contrastChecked > 5, `${where}: axe checked the contrast of ${audit.contrastChecked} overlay nodes`);
    if (expect.warnings) {
      await page.evaluate(() => document.getElementById('ldr-error-overlay').shadowRoot.querySelector('details').scrollIntoView());
      await page.screenshot({ path: join(shots, `overlay-${name}-${width}-warnings.png`) });
    }
    await page.evaluate(() => {
      const host = document.getElementById('ldr-error-overlay');
      const details = host.shadowRoot?.querySelector('details');
      if (details) details.open = false;
      host.shadowRoot?.firstElementChild.scrollTo(0, 0);
    });
    await page.screenshot({ path: join(shots, `overlay-${name}-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

const overlayGone = () => !document.getElementById('ldr-error-overlay');
const bothMistakesShown = () => {
  const host = document.getElementById('ldr-error-overlay');
  const text = host ? (host.shadowRoot ?? host).textContent : '';
  return text.includes('alpha/footprint.toml') && text.includes('beta/footprint.toml');
};
const shadowText = () => document.getElementById('ldr-error-overlay')?.shadowRoot?.textContent ?? '';

let shots;
try {
  const page = context.pages()[0] ?? await context.newPage();
  if (mode === 'first') {
    shots = rest[0];
    mkdirSync(shots, { recursive: true });
    const response = await page.goto(url);
    assert.equal(response.status(), 500);
    await page.waitForFunction(() => !!document.getElementById('ldr-error-overlay'));
    await checkShown(page, 'first-build', {
      heading: /^The site can’t be shown yet: fix the mistake below and save$/,
      count: /1 mistake to fix/, files: ['content/footprints/beta/footprint.toml, line 1, column 1'],
      absent: [], items: 0, snippets: 1, warnings: null,
    });
    // Its own words, for a browser that runs no script, say the same.
    const own = await page.evaluate(() => [document.title, document.querySelector('main h1').textContent]);
    assert.deepEqual(own, ['The site can’t be shown yet', 'The site can’t be shown yet']);
    ok('a site broken from the start shows the same overlay on its 500 page');
  } else {
    const [beta, alpha, css, shotsDir] = rest;
    shots = shotsDir;
    mkdirSync(shots, { recursive: true });
    await page.goto(url);
    await page.waitForFunction(() => typeof ldrLive === 'function');
    await page.waitForTimeout(300);
    const goodBeta = readFileSync(beta, 'utf8');
    const goodAlpha = readFileSync(alpha, 'utf8');
    const goodCss = readFileSync(css, 'utf8');
    // An unknown code in the middle of a line, and an unknown key at the start of a very long one.
    const long = 'The senior responsible owner for the footprint, named here in a sentence that goes on '
      + 'well past the width of any phone and most laptops, as a pasted paragraph does.';
    // And a file that is only worth a warning.
    const stray = join(beta, '../../../stories/draft.txt');
    writeFileSync(stray, 'notes\n');
    writeFileSync(beta, goodBeta.replace('partners = ["07L"]', 'partners = ["07L", 42]'));
    writeFileSync(alpha, goodAlpha.replace('senior_responsible_owner = "A. Person"', `senior_responsibel_owner = "${long}"`));
    await page.waitForFunction(bothMistakesShown, null, { timeout: 20000 });
    const site = beta.slice(0, beta.indexOf('/content/'));
    const expect = {
      heading: /^This page can’t be updated yet: fix the mistakes below and save$/,
      count: /2 mistakes to fix/,
      files: ['content/footprints/beta/footprint.toml, line 4, column 20', 'content/footprints/alpha/footprint.toml',
        'What to do: '],
      absent: [site], items: 2, snippets: 2, long: true,
      warnings: { summary: '1 warning: worth a look, but it does not stop the page updating', open: false },
    };
    assert.ok(await page.evaluate(() => document.body.innerText.includes('Beta')), 'the last good page is gone');
    await checkShown(page, 'default', expect);
    ok('two mistakes are listed, legible, each caret under its column, the long line scrolling in its box, axe clean');

    // The same mistake saved again (as a reconnect sends it again): nothing is re-announced.
    const before = await page.evaluate(() => {
      const alert = document.getElementById('ldr-error-overlay').shadowRoot.querySelector('[role="alert"]');
      alert.dataset.seen = 'yes';
      window.__mutations = 0;
      new MutationObserver((list) => { window.__mutations += list.length; })
        .observe(alert, { childList: true, subtree: true, characterData: true });
      return window.__buildErrors;
    });
    writeFileSync(beta, readFileSync(beta, 'utf8') + '\n');
    await page.waitForFunction((n) => window.__buildErrors > n, before, { timeout: 20000 });
    await page.waitForTimeout(200);
    const again = await page.evaluate(() => ({
      same: document.getElementById('ldr-error-overlay').shadowRoot.querySelector('[role="alert"]').dataset.seen,
      mutations: window.__mutations,
    }));
    assert.deepEqual(again, { same: 'yes', mutations: 0 }, 'the same mistake was announced again');
    ok('the same mistake sent again is not announced again');

    // Closed with the keyboard: the close button is the first Tab stop, and Escape closes too.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.getElementById('ldr-error-overlay')?.shadowRoot?.activeElement?.textContent);
    assert.equal(focused, 'Close', 'the first Tab stop is not the close button');
    await page.keyboard.press('Enter');
    await page.waitForFunction(overlayGone);
    await page.reload();
    await page.waitForFunction(() => !!document.getElementById('ldr-error-overlay'));
    await page.keyboard.press('Escape');
    await page.waitForFunction(overlayGone);
    ok('the close button (first Tab stop) and Escape close the overlay');

    // Fixed: the overlay goes by itself and the page shows the fix.
    await page.reload();
    await page.waitForFunction(() => !!document.getElementById('ldr-error-overlay'));
    writeFileSync(alpha, goodAlpha);
    writeFileSync(beta, goodBeta);
    await page.waitForFunction(overlayGone, null, { timeout: 20000 });
    ok('the fix removes the overlay');

    // A theme hostile to it: white on white, no boxes, wrapping, tiny text, hidden children.
    writeFileSync(css, `${goodCss}
*, *::before, *::after { color: #fff !important; background: #fff !important; font-size: 5px !important;
  white-space: pre-wrap !important; overflow-wrap: anywhere !important; border: 0 !important; }
pre, div, section, h2, h3, p, ol, li, button, code { display: none !important; }
body > *, [id], [role] { visibility: hidden !important; opacity: 0 !important; position: static !important;
  width: 1px !important; height: 1px !important; overflow: hidden !important; z-index: -1 !important; }
`);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('main p') ?? document.body).fontSize === '5px',
      null, { timeout: 20000 });
    writeFileSync(beta, goodBeta.replace('partners = ["07L"]', 'partners = ["07L", 42]'));
    writeFileSync(alpha, goodAlpha.replace('senior_responsible_owner = "A. Person"', `senior_responsibel_owner = "${long}"`));
    await page.waitForFunction(bothMistakesShown, null, { timeout: 20000 });
    await checkShown(page, 'hostile-theme', expect);
    ok('a theme hostile to the overlay does not reach it');

    writeFileSync(css, goodCss);
    writeFileSync(alpha, goodAlpha);
    writeFileSync(beta, goodBeta);
    unlinkSync(stray);
    await page.waitForFunction(overlayGone, null, { timeout: 20000 });

    // A mistake in the theme: the template's line, quoted as the editor wrote it.
    const template = join(css, '../../templates/footprint.html');
    const goodTemplate = readFileSync(template, 'utf8');
    writeFileSync(template, goodTemplate.replace('{{ footprint.name }}', '{{ footprint.name | upper_case }}'));
    await page.waitForFunction(() => !!document.getElementById('ldr-error-overlay'), null, { timeout: 20000 });
    await checkShown(page, 'template', {
      heading: /^This page can’t be updated yet: fix the mistake below and save$/,
      count: /^[^]*1 mistake to fix/, files: ['themes/default/templates/footprint.html, line ', 'upper_case'],
      absent: [site], items: 0, snippets: 1, warnings: null,
    });
    ok('a template mistake is shown with its line');
    writeFileSync(template, goodTemplate);
    await page.waitForFunction(overlayGone, null, { timeout: 20000 });

    // A mistake explained by another place: both lines quoted, each with its caret.
    writeFileSync(beta, goodBeta.replace('members = ["RF4"]', 'members = ["RF4", "RF4"]'));
    await page.waitForFunction(() => !!document.getElementById('ldr-error-overlay'), null, { timeout: 20000 });
    await checkShown(page, 'note', {
      heading: /^This page can’t be updated yet: fix the mistake below and save$/,
      count: /1 mistake to fix/, files: ['content/footprints/beta/footprint.toml, line 5, column ', 'See also: first listed here'],
      absent: [site], items: 0, snippets: 2, warnings: null,
    });
    ok('a mistake with a note quotes both places');
    writeFileSync(beta, goodBeta);
    await page.waitForFunction(overlayGone, null, { timeout: 20000 });
  }
} finally {
  await context.close();
}
