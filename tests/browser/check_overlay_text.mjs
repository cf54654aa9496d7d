// The error overlay shows what content holds as text, whatever it holds: markup, a closing
// script tag, characters that turn text round or are drawn as nothing, a line of a megabyte.
//
//   node check_overlay_text.mjs URL FOOTPRINT_TOML
//     Writes a footprint whose partner codes are each such a text into an open tab's site,
//     then checks, in Debian's headless Chromium, that nothing of it ran or became an
//     element, that each is shown as written, that no hidden character is drawn as nothing
//     or reorders the quoted line (each is shown as its code point), and that each caret is
//     under its mistake. Prints "ok - ..." per check, exits 1 at the first failure.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { launchChromium } from './site.mjs';

const [url, footprint] = process.argv.slice(2);
const ok = (name) => console.log(`ok - ${name}`);

const codes = [
  '<img src=x onerror=window.__ran=1>',
  '</script><script>window.__ran=2</script>',
  '\u202Eevil',
  'a\u2028b\u2029c',
  '\u2066x\u200By\uFEFFz',
];
const good = readFileSync(footprint, 'utf8');
const broken = '\uFEFF' + good.replace(/^partners = .*$/m,
  `partners = [${codes.map((c) => JSON.stringify(c)).join(', ')}] # ${'x'.repeat(1 << 20)}`);
assert.notEqual(broken, good);

const context = await launchChromium({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
const dialogs = [];
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
await page.goto(url);
writeFileSync(footprint, broken);
await page.waitForFunction(() => document.getElementById('ldr-error-overlay')
  ?.shadowRoot?.querySelectorAll('[role="region"]').length === 5, null, { timeout: 20000 });

const seen = await page.evaluate(() => {
  const root = document.getElementById('ldr-error-overlay').shadowRoot;
  const elements = Array.from(root.querySelectorAll('*')).map((e) => e.localName);
  const messages = Array.from(root.querySelectorAll('.what')).map((e) => e.textContent);
  const carets = Array.from(root.querySelectorAll('[role="region"]')).map((box) => {
    const marked = box.querySelector('.marked').getBoundingClientRect();
    const caret = box.querySelector('.caret').getBoundingClientRect();
    return { marked: marked.left, caret: caret.left };
  });
  return { ran: window.__ran ?? null, elements, messages, text: root.textContent, carets };
});
assert.equal(seen.ran, null, 'content ran as script');
assert.deepEqual(dialogs, []);
for (const name of ['img', 'script', 'iframe', 'object']) {
  assert.ok(!seen.elements.includes(name), `a <${name}> element was made from content`);
}
ok('no content ran or became an element');

assert.ok(seen.messages[0].includes(codes[0]), seen.messages[0]);
assert.ok(seen.messages[1].includes(codes[1]), seen.messages[1]);
ok('markup in content is shown as written');

const hidden = /[\u061C\u200B\u200E\u200F\u2028-\u202E\u2066-\u2069\uFEFF]/;
assert.ok(!hidden.test(seen.text), `a hidden character is drawn as nothing: ${JSON.stringify(seen.text.match(hidden))}`);
assert.ok(seen.messages[2].includes('U+202Eevil'), seen.messages[2]);
assert.ok(seen.messages[3].includes('aU+2028bU+2029c'), seen.messages[3]);
assert.ok(seen.messages[4].includes('U+2066xU+200ByU+FEFFz'), seen.messages[4]);
ok('hidden characters are shown as their code points');

seen.carets.forEach((at, n) => {
  assert.ok(Math.abs(at.marked - at.caret) < 2, `mistake ${n + 1}: its caret is at ${at.caret} px, its text at ${at.marked} px`);
});
ok('each caret is under its mistake');

writeFileSync(footprint, good);
await page.waitForFunction(() => !document.getElementById('ldr-error-overlay'), null, { timeout: 20000 });
ok('the overlay goes once the file is fixed');
await context.close();
