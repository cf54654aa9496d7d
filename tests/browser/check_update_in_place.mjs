// Opens pages of a running `ldr serve` in Debian's headless Chromium and edits the site's
// sources on disk, checking that the open tabs are updated in place, not reloaded:
//   1. a roadmap edit, with the tab scrolled to the bottom of a long roadmap, a <details>
//      opened, a link focused and a paragraph selected: the new text appears, the page did
//      not navigate (a marker set on `window` survives), and all of that is kept;
//   2. a tab showing another page is untouched: it fetches nothing and keeps its marker;
//   3. the title of the event a tab shows is edited: the new title (in the page and in its
//      JSON-LD, a data block, not a script) is shown in place;
//   4. the event a tab shows is deleted: that tab reloads, to the 404 page.
// Usage: node check_update_in_place.mjs BASE_URL ROADMAP_MD EVENT_MD
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { launchChromium } from './site.mjs';

const [base, roadmap, event] = process.argv.slice(2);
const context = await launchChromium({ viewport: { width: 1000, height: 700 } });
const step = (name) => console.log(`ok - ${name}`);
const open = async (path) => {
  const page = await context.newPage();
  await page.goto(base + path);
  await page.waitForFunction(() => typeof ldrLive === 'function');
  return page;
};
try {
  const beta = await open('/footprints/beta/');
  const alpha = await open('/footprints/alpha/');
  const asked = [];
  alpha.on('request', (request) => asked.push(request.url()));
  await alpha.evaluate(() => { window.ldrMarker = 'alpha'; });
  // Give the event streams a moment to connect before the first edit.
  await beta.waitForTimeout(300);

  await beta.bringToFront();
  const before = await beta.evaluate(() => {
    window.ldrMarker = 'beta';
    document.querySelector('main details').open = true;
    const link = [...document.querySelectorAll('main a')].find((a) => a.textContent === 'the Alpha roadmap');
    link.ldrFocused = true;
    link.focus();
    const paragraph = [...document.querySelectorAll('main p')].find((p) => p.textContent.startsWith('Paragraph 7 '));
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
    return { scroll: window.scrollY, height: document.documentElement.scrollHeight, selected: getSelection().toString() };
  });
  if (before.scroll < 1000) throw new Error(`the roadmap is too short to scroll: ${JSON.stringify(before)}`);

  writeFileSync(roadmap, readFileSync(roadmap, 'utf8') + '\nAppended while scrolled to the bottom.\n');
  await beta.waitForFunction(() => document.body.innerText.includes('Appended while scrolled to the bottom.'), null, { timeout: 15000 });
  const after = await beta.evaluate(() => ({
    marker: window.ldrMarker,
    scroll: window.scrollY,
    open: document.querySelector('main details').open,
    focused: document.activeElement.ldrFocused === true,
    selected: getSelection().toString(),
  }));
  if (after.marker !== 'beta') throw new Error('the tab navigated: its marker is gone');
  if (Math.abs(after.scroll - before.scroll) > 1) throw new Error(`scrolled from ${before.scroll} to ${after.scroll}`);
  if (!after.open) throw new Error('the <details> was closed');
  if (!after.focused) throw new Error('the focused link lost focus');
  if (after.selected !== before.selected) throw new Error(`the selection was "${before.selected}", now "${after.selected}"`);
  step('a roadmap edit is shown in place, keeping scroll, <details>, focus and selection');

  // The other tab had time to act on the same event; it must not have.
  await alpha.waitForTimeout(300);
  if (await alpha.evaluate(() => window.ldrMarker) !== 'alpha') throw new Error('the other tab navigated');
  if (asked.length) throw new Error(`the other tab asked for ${asked.join(', ')}`);
  step('a tab showing another page is untouched');

  const later = await open('/events/later/');
  await later.evaluate(() => { window.ldrMarker = 'event'; });
  await later.waitForTimeout(300);
  writeFileSync(event, readFileSync(event, 'utf8').replace(/^title = ".*"$/m, 'title = "Renamed while open"'));
  await later.waitForFunction(() => document.querySelector('h1').textContent.includes('Renamed while open'), null, { timeout: 15000 });
  if (await later.evaluate(() => window.ldrMarker) !== 'event') throw new Error('a title edit reloaded the tab');
  step('a title edit (which changes the JSON-LD too) is shown in place');

  const reloaded = later.waitForEvent('load', { timeout: 15000 });
  unlinkSync(event);
  await reloaded;
  if (await later.evaluate(() => window.ldrMarker) !== undefined) throw new Error('the tab was not reloaded');
  const text = await later.evaluate(() => document.body.innerText);
  if (!text.includes('Page not found')) throw new Error(`after the event went, the tab shows: ${text.slice(0, 200)}`);
  step('a page that is gone falls back to a reload');
} finally {
  await context.close();
}
