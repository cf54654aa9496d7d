// Runs axe-core (WCAG 2.1 A and AA) on pages of a built site in Debian's headless Chromium.
// Usage: node check_accessibility.mjs SITE_DIR PATH... ; prints each page's violations and
// exits 1 if there is any. Also checks WCAG 1.4.10 reflow, which axe cannot: at 320 CSS
// pixels wide the page must not scroll sideways (a wide table may scroll inside its box).
// The site is served from a loopback port of this process (site.mjs).
import { serveSite, launchChromium, injectAxe } from './site.mjs';

const [siteDir, ...paths] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
const browser = await launchChromium();
let failures = 0;
try {
  const page = await browser.newPage();
  for (const path of paths) {
    await page.goto(base + path);
    await injectAxe(page);
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
