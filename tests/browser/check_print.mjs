// Prints pages of a built site from Debian's headless Chromium, as a reader's "Print" does
// (print styles, the page size from the style sheet's @page).
// Usage: node check_print.mjs SITE_DIR OUT_DIR PATH... ; writes OUT_DIR/<n>.pdf for the n-th
// PATH and prints one JSON object: for each PATH, `overflow`, how far its printed layout
// overflows the width of an A4 page's printable area (0 when it fits), and `grown`, the
// pictures (SVG, images) printed wider than a 1280-pixel screen shows them: paper is
// narrower, so a picture that grows there was let out of its size and takes a page.
import { serveSite, launchChromium } from './site.mjs';
import { join } from 'node:path';

const [siteDir, outDir, ...paths] = process.argv.slice(2);
const { server, base } = await serveSite(siteDir);
const context = await launchChromium();
const report = {};
try {
  const page = await context.newPage();
  for (const [n, path] of paths.entries()) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(base + path);
    // Outermost pictures only (an SVG's own shapes are not pictures of their own), by place.
    const widths = () => page.evaluate(() => [...document.querySelectorAll('main svg, main img')]
      .filter((el) => !el.parentElement.closest('svg'))
      .map((el) => el.getBoundingClientRect().width));
    const onScreen = await widths();
    await page.emulateMedia({ media: 'print' });
    // A4 is 210 mm wide; the style sheet's @page leaves 12 mm either side: 186 mm at 96 CSS px per inch.
    await page.setViewportSize({ width: Math.floor(186 / 25.4 * 96), height: 1000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const grown = await page.evaluate((screen) => [...document.querySelectorAll('main svg, main img')]
      .filter((el) => !el.parentElement.closest('svg'))
      .map((el, i) => [el, el.getBoundingClientRect().width, screen[i]])
      .filter(([, printed, shown]) => shown > 0 && printed > shown + 1)
      .map(([el, printed, shown]) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''} ${Math.round(shown)}px on screen, ${Math.round(printed)}px printed`), onScreen);
    report[path] = { overflow, grown };
    await page.pdf({ path: join(outDir, `${n}.pdf`), preferCSSPageSize: true, printBackground: false });
    await page.emulateMedia({ media: 'screen' });
  }
} finally {
  await context.close();
  server.close();
}
console.log(JSON.stringify(report));
