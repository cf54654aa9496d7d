// Opens a page of a running `ldr serve` in Debian's headless Chromium and edits the site's
// sources on disk, checking that the open tab follows without anyone pressing reload:
//   1. a Markdown edit: the new text appears;
//   2. a CSS edit: the style changes and the page is not reloaded;
//   3. a broken footprint.toml: the error overlay appears over the old page;
//   4. the fix: the overlay goes away by itself.
// Usage: node check_live_reload.mjs URL ROADMAP_MD STYLE_CSS FOOTPRINT_TOML
import { readFileSync, writeFileSync } from 'node:fs';
import { launchChromium } from './site.mjs';

const [url, roadmap, css, footprint] = process.argv.slice(2);
const context = await launchChromium();
const step = (name) => console.log(`ok - ${name}`);
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => typeof ldrLive === 'function');
  // Give the event stream a moment to connect before the first edit.
  await page.waitForTimeout(300);

  writeFileSync(roadmap, '## Vision\n\nWritten while the tab was open.\n');
  await page.waitForFunction(() => document.body.innerText.includes('Written while the tab was open.'), null, { timeout: 15000 });
  step('a Markdown edit shows in the open tab');

  await page.evaluate(() => { window.ldrSameDocument = true; });
  writeFileSync(css, readFileSync(css, 'utf8') + '\n.site-header { border-top: 7px solid rgb(1, 2, 3); }\n');
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.site-header')).borderTopColor === 'rgb(1, 2, 3)', null, { timeout: 15000 });
  if (!(await page.evaluate(() => window.ldrSameDocument === true))) throw new Error('the CSS change reloaded the page');
  step('a CSS edit is swapped in without a reload');

  const good = readFileSync(footprint, 'utf8');
  writeFileSync(footprint, good.replace('region = ', 'regoin = '));
  await page.waitForSelector('#ldr-error-overlay', { timeout: 15000 });
  const overlay = await page.evaluate(() => document.getElementById('ldr-error-overlay').shadowRoot.textContent);
  if (!overlay.includes('unknown key regoin') || !overlay.includes('content/footprints/beta/footprint.toml, line ')) throw new Error(`overlay says: ${overlay}`);
  if (!(await page.evaluate(() => document.body.innerText.includes('Written while the tab was open.')))) throw new Error('the old page is gone');
  step('a broken file shows the error overlay over the last good page');

  writeFileSync(footprint, good);
  await page.waitForSelector('#ldr-error-overlay', { state: 'detached', timeout: 15000 });
  step('the fix removes the overlay');
} finally {
  await context.close();
}
