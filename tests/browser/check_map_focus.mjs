// Tabs through /footprints/ of a built site in headless Chromium and prints, as JSON, the
// footprint links inside the map that received keyboard focus, in order.
// Usage: node check_map_focus.mjs SITE_DIR
import { serveSite, launchChromium } from './site.mjs';

const [siteDir] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
const context = await launchChromium();
try {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(`${base}/footprints/`);
  const focused = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const href = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.closest('svg.footprint-map') ? el.getAttribute('href') : null;
    });
    if (href) focused.push(href);
  }
  console.log(JSON.stringify(focused));
} finally {
  await context.close();
  server.close();
}
