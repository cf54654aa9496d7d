// Search in Debian's headless Chromium, on a built site served from a loopback port.
// Usage: node check_search.mjs SITE_DIR default|xss
//   default  the default content: the header box and the search page find a footprint, an
//            organisation and ODS codes; the region filter, the URL, Back, the live
//            status and the message without JavaScript.
//   xss      a site with a story titled <img src=x onerror=alert(1)>: it shows as text.
// Prints "ok - ..." per check and exits 1 at the first failure.
import { strict as assert } from 'node:assert';
import { serveSite, launchChromium, injectAxe } from './site.mjs';

const [siteDir, mode = 'default'] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
const launch = (options = {}) => launchChromium(options);

const ok = (name) => console.log(`ok - ${name}`);

// axe-core's WCAG 2.1 A and AA rules on the page as it is, results and all.
async function axe(page) {
  await injectAxe(page);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  assert.ok(result.passes.length > 0, 'axe ran no rule');
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3)}`);
}

// The status once it reports on `query`, and the first result's link.
async function resultsFor(page, query, ...also) {
  let status = page.locator('#search-status').filter({ hasText: `\u201c${query}\u201d` });
  for (const text of also) status = status.filter({ hasText: text });
  await status.waitFor({ timeout: 10000 }).catch(async () => {
    throw new Error(`no status for ${[query, ...also]}: ${await page.locator('#search-status').textContent()}`);
  });
  const links = page.locator('#search-results > li h2 a');
  const count = await links.count();
  return {
    status: await status.textContent(),
    first: count ? new URL(await links.first().getAttribute('href'), base).pathname : null,
    hrefs: await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
  };
}

async function type(page, query) {
  await page.locator('#search-q').fill('');
  await page.locator('#search-q').pressSequentially(query, { delay: 20 });
  return resultsFor(page, query);
}

async function defaultSite(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // The header box is a plain form: it works from any page.
  await page.goto(`${base}/footprints/`);
  await page.locator('#site-search-q').fill('Cheshire and Merseyside');
  await page.locator('#site-search-q').press('Enter');
  await page.waitForURL(/\/search\/\?q=Cheshire\+and\+Merseyside$/);
  let r = await resultsFor(page, 'Cheshire and Merseyside');
  assert.equal(r.first, '/footprints/cheshire-and-merseyside/', r.status);
  ok('header box: a footprint name finds its footprint first');

  await page.goto(`${base}/organisations/`);
  await page.locator('#site-search-q').fill('RBT');
  await page.locator('#site-search-q').press('Enter');
  r = await resultsFor(page, 'RBT');
  assert.equal(r.first, '/organisations/RBT/', r.status);
  ok('header box: an ODS code finds its organisation first');

  // The search page, as you type.
  await page.goto(`${base}/search/`);
  r = await type(page, 'Mid Cheshire Hospitals');
  assert.equal(r.first, '/organisations/RBT/', r.status);
  const title = page.locator('#search-results > li').first().locator('h2 a');
  assert.deepEqual(await title.locator('mark').allTextContents(), ['Mid', 'Cheshire', 'Hospitals']);
  assert.match(await page.locator('#search-results > li').first().textContent(), /Cheshire and Merseyside/);
  assert.match(r.status, /^\d+ results? for “Mid Cheshire Hospitals”/);
  ok('search page: an organisation name finds it first, highlighted, with its footprint');

  r = await type(page, '00c');
  assert.equal(r.first, '/organisations/00C/', r.status);
  ok('search page: an ODS code in lower case finds its organisation first');

  r = await type(page, 'Cheshire and Merseyside');
  assert.equal(r.first, '/footprints/cheshire-and-merseyside/', r.status);
  ok('search page: an exact footprint name comes first');

  r = await type(page, 'chesh');
  assert.ok(r.hrefs.includes('/footprints/cheshire-and-merseyside/'), r.hrefs.join(' '));
  assert.ok(r.hrefs.includes('/organisations/RBT/'), r.hrefs.join(' '));
  ok('search page: a prefix matches');

  assert.deepEqual(await axe(page), []);
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.equal(overflow, 0, 'the page scrolls sideways at 320px');
  ok('with results shown: no axe-core violation, no sideways scroll at 320px');

  r = await type(page, 'Chesire');
  assert.ok(r.hrefs.includes('/footprints/cheshire-and-merseyside/'), r.status);
  ok('search page: a misspelling falls back to words spelled alike');

  // Councils by "council" and their kind, which their GSS code gives.
  const councils = [
    ['warwickshire council', '/organisations/E10000031/'],
    ['warwickshire county council', '/organisations/E10000031/'],
    ['newham borough', '/organisations/E09000025/'],
    ['poole council', '/organisations/E06000029/'],
  ];
  for (const [query, url] of councils) {
    r = await type(page, query);
    assert.equal(r.first, url, `${query}: ${r.status} ${r.hrefs.join(' ')}`);
  }
  assert.match(await page.locator('#search-results > li').first().textContent(), /unitary authority/);
  ok('councils: "warwickshire council", "warwickshire county council", "newham borough", "poole council" find the council first');

  r = await type(page, 'pnnine care');
  assert.equal(r.first, '/organisations/RT2/', r.status);
  r = await type(page, 'hcesire');
  assert.ok(r.hrefs.includes('/footprints/cheshire-and-merseyside/'), r.status);
  ok('a typo in the first two letters is forgiven: "pnnine care", "hcesire"');

  r = await type(page, 'newham ccg');
  assert.equal(r.first, '/organisations/08M/', r.status);
  assert.ok(r.hrefs.includes('/organisations/E09000025/'), r.hrefs.join(' '));
  r = await type(page, 'sandwell trust');
  assert.equal(r.first, '/organisations/RXK/', r.status);
  assert.ok(r.hrefs.includes('/organisations/05L/'), r.hrefs.join(' '));
  ok('a kind word ranks that kind first and hides no other: "newham ccg", "sandwell trust"');

  // The region filter is a real form control, and it is in the URL.
  r = await type(page, 'cheshire');
  assert.ok(r.hrefs.includes('/footprints/cheshire-and-merseyside/'));
  await page.locator('#search-region').selectOption('South of England');
  r = await resultsFor(page, 'cheshire', 'South of England');
  assert.ok(!r.hrefs.includes('/footprints/cheshire-and-merseyside/'), r.hrefs.join(' '));
  assert.match(page.url(), /[?&]region=South\+of\+England/);
  await page.locator('#search-region').selectOption('North of England');
  r = await resultsFor(page, 'cheshire', 'North of England');
  assert.ok(r.hrefs.includes('/footprints/cheshire-and-merseyside/'), r.hrefs.join(' '));
  await page.locator('#search-kind').selectOption('organisation');
  r = await resultsFor(page, 'cheshire', 'organisations, in the North of England');
  assert.ok(r.hrefs.length > 0 && r.hrefs.every((h) => h.startsWith('/organisations/')), r.hrefs.join(' '));
  ok('filters: region and kind exclude the rest, and the URL keeps them');

  // A ?q= link works, and Back returns to the previous search.
  await page.goto(`${base}/search/?q=Devon`);
  r = await resultsFor(page, 'Devon');
  assert.equal(r.first, '/footprints/devon/', r.status);
  await page.locator('#search-q').fill('Darlington');
  await page.locator('#search-q').press('Enter');
  await page.waitForURL(/q=Darlington/);
  r = await resultsFor(page, 'Darlington');
  await page.goBack();
  await page.waitForURL(/q=Devon$/);
  r = await resultsFor(page, 'Devon');
  assert.equal(await page.locator('#search-q').inputValue(), 'Devon');
  assert.equal(r.first, '/footprints/devon/', r.status);
  ok('a ?q= link searches, and Back returns to the previous search');

  // Keyboard: the form's controls, then the results, in reading order; the status is live.
  await page.locator('#search-q').focus();
  const order = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => {
      const e = document.activeElement;
      return e.id || (e.closest('#search-results') ? 'result' : e.tagName.toLowerCase());
    }));
  }
  assert.deepEqual(order, ['button', 'search-kind', 'search-region', 'result', 'result']);
  assert.equal(await page.locator('#search-status').getAttribute('role'), 'status');
  ok('keyboard order: query, button, filters, results; the status is a live region');

  assert.deepEqual(errors, []);
  await page.close();

  const noScript = await launch({ javaScriptEnabled: false });
  try {
    const plain = await noScript.newPage();
    await plain.goto(`${base}/footprints/`);
    await plain.locator('#site-search-q').fill('Devon');
    await plain.locator('#site-search-q').press('Enter');
    await plain.waitForURL(/\/search\/\?q=Devon$/);
    const message = plain.locator('#search-nojs');
    assert.ok(await message.isVisible(), 'the no-JavaScript message is visible');
    assert.match(await message.textContent(), /needs JavaScript/);
    const hrefs = await message.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, ['/footprints/', '/organisations/']);
    ok('without JavaScript: the search page says so and links to the lists');
  } finally {
    await noScript.close();
  }
}

async function xssSite(browser) {
  const page = await browser.newPage();
  const dialogs = [];
  page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  await page.goto(`${base}/search/`);
  for (const query of ['onerror', 'img src']) {
    const r = await type(page, query);
    assert.ok(r.first?.startsWith('/stories/'), r.status);
    const title = page.locator('#search-results > li').first().locator('h2 a');
    assert.equal(await title.textContent(), '<img src=x onerror=alert(1)>');
    assert.equal(await page.locator('#search-results img').count(), 0);
  }
  assert.equal(await page.locator('main img').count(), 0);
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, []);
  ok('a story titled <img src=x onerror=alert(1)> shows as text; no element, no dialog');
}

const browser = await launch();
let failed = false;
try {
  await (mode === 'xss' ? xssSite(browser) : defaultSite(browser));
} catch (error) {
  failed = true;
  console.log(`not ok - ${error.message}`);
  console.log(error.stack);
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
