// The Content-Security-Policy in Debian's headless Chromium, on a built site served from a
// loopback port.
// Usage: node check_csp.mjs SITE_DIR PROBE_PATH PAGE...
//   PROBE_PATH  a copy of a built page with an inline script, an inline event handler and
//               a style attribute added: none may take effect, and each is reported as a
//               violation of the policy.
//   PAGE...     pages as built: they carry the policy and break none of it; on /search/
//               the site's own scripts still find results.
// Prints "ok - ..." per check and exits 1 at the first failure.
import { strict as assert } from 'node:assert';
import { serveSite, launchChromium } from './site.mjs';

const [siteDir, probe, ...pages] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
const context = await launchChromium();
const ok = (name) => console.log(`ok - ${name}`);
// Runs before any script of the page, and is not itself held to the page's policy.
await context.addInitScript(() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
});

try {
  const page = await context.newPage();
  await page.goto(base + probe);
  await page.waitForFunction(() => window.__violations.length >= 3, null, { timeout: 10000 })
    .catch(async () => { throw new Error(`violations: ${await page.evaluate(() => window.__violations)}`); });
  const seen = await page.evaluate(() => ({
    ran: window.__ran, handler: window.__handler, title: document.title,
    colour: getComputedStyle(document.getElementById('csp-probe-style')).color,
    header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
    violations: window.__violations,
  }));
  assert.equal(seen.ran, undefined, 'the inline script ran');
  assert.notEqual(seen.title, 'ran', 'the inline script ran');
  assert.equal(seen.handler, undefined, 'the inline event handler ran');
  assert.notEqual(seen.colour, 'rgb(255, 0, 0)', 'the style attribute applied');
  assert.notEqual(seen.header, 'rgba(0, 0, 0, 0)', 'the site\'s own stylesheet did not apply');
  assert.equal(seen.violations.filter((v) => v.startsWith('script-src')).length, 2, `${seen.violations}`);
  assert.equal(seen.violations.filter((v) => v.startsWith('style-src')).length, 1, `${seen.violations}`);
  ok('an inline script, event handler and style attribute added to a page are blocked and reported');

  for (const path of pages) {
    await page.goto(base + path);
    await page.waitForLoadState('load');
    if (path.startsWith('/search/')) {
      await page.locator('#search-results > li h2 a').first().waitFor({ timeout: 10000 });
    }
    await page.waitForTimeout(100);
    const { policy, violations } = await page.evaluate(() => ({
      policy: document.querySelector('head meta[http-equiv="Content-Security-Policy"]')?.content,
      violations: window.__violations,
    }));
    assert.match(policy ?? '', /script-src 'self'; style-src 'self'/, `${path} has no policy`);
    assert.deepEqual(violations, [], `${path} breaks its own policy`);
    ok(`${path} has the policy and breaks none of it`);
  }
} catch (error) {
  console.log(`not ok - ${error.message}`);
  process.exitCode = 1;
} finally {
  await context.close();
  server.close();
}
