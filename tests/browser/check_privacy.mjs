// What a visitor's browser gives away, in Debian's headless Chromium, on a built site served
// from a loopback port. Usage: node check_privacy.mjs SITE_DIR PATH...
// Visits each page (on /search/?q=… it waits for results, so the index is fetched too) and
// prints one JSON object: every URL requested, the cookies the browser holds at the end,
// what pages left in local and session storage, the Content-Security-Policy violations, and
// each page's JSON-LD blocks as Chromium parsed them.
import { serveSite, launchChromium } from './site.mjs';

const [siteDir, ...paths] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
const context = await launchChromium();
const requests = [];
context.on('request', (request) => requests.push(request.url()));
await context.addInitScript(() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
});
const report = { base, requests, pages: {} };
try {
  const page = await context.newPage();
  for (const path of paths) {
    await page.goto(base + path);
    await page.waitForLoadState('load');
    if (path.startsWith('/search/')) {
      await page.locator('#search-results > li h2 a').first().waitFor({ timeout: 10000 });
    }
    await page.waitForTimeout(100);
    report.pages[path] = await page.evaluate(() => ({
      documentCookie: document.cookie,
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      violations: window.__violations,
      jsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')]
        .map((s) => JSON.parse(s.textContent)),
    }));
  }
  report.cookies = await context.cookies();
} finally {
  await context.close();
  server.close();
}
console.log(JSON.stringify(report));
