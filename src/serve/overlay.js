// The preview's error overlay, served with the live-reload script (before it, in one file:
// see `SCRIPT` in live_reload.rs). Preview only, never in the published site.
//
// The overlay a failed build shows, for the content editor who made the mistake: what is
// wrong, where (file from the site folder, line, column, the line itself with a caret under
// the place), and what to do. It lives in a shadow root with its own complete stylesheet,
// so no theme's CSS reaches it (the page's `!important` rules lose to the shadow root's own
// `!important` ones on the host); the sheet is a constructed one (`adoptedStyleSheets`),
// which `style-src 'self'` allows where a `<style>` element would be blocked.
// `show` takes the payload as JSON text (`overlay::payload` in the server); showing the
// same payload again (a reconnect, the same mistake saved twice) changes nothing, so a
// screen reader hears it once, and a payload the editor closed stays closed.
function ldrOverlay() {
  var host = null, shownText = null, closedText = null;
  var sheet = null;

  function make(name, className, text) {
    var made = document.createElement(name);
    if (className) made.className = className;
    if (text) shown(made, text);
    return made;
  }
  // Characters a file can hold that are drawn as nothing or that change how the text
  // around them is drawn: controls, bidirectional overrides and isolates (which would turn
  // the quoted line round, as "Trojan Source" does, and part the caret from its column),
  // line and paragraph separators, zero-width spaces, byte order marks. Each is shown as
  // its code point in a box, so the editor sees what the file holds.
  var HIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B\u200E\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/g;
  function codePoint(c) {
    return 'U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  }
  // `text` added to `into` as text, its hidden characters made visible.
  function shown(into, text) {
    text = String(text);
    var at = 0;
    text.replace(HIDDEN, function (c, index) {
      if (index > at) into.appendChild(document.createTextNode(text.slice(at, index)));
      var mark = document.createElement('span');
      mark.className = 'hidden-char';
      mark.textContent = codePoint(c);
      into.appendChild(mark);
      at = index + 1;
      return c;
    });
    if (at < text.length) into.appendChild(document.createTextNode(text.slice(at)));
    return into;
  }
  // How many characters `text` is drawn as, once its hidden characters are shown.
  function drawnLength(text) {
    return Array.from(String(text).replace(HIDDEN, function (c) { return codePoint(c); })).length;
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  // `code` in messages is shown as code.
  function words(into, text) {
    String(text).split('`').forEach(function (part, i) {
      if (!part) return;
      into.appendChild(i % 2 ? make('code', '', part) : shown(document.createDocumentFragment(), part));
    });
    return into;
  }
  // A path breaks after its slashes on a narrow screen, not inside a name.
  function path(file) {
    var span = make('span', 'file');
    String(file).split('/').forEach(function (part, i, parts) {
      shown(span, part + (i < parts.length - 1 ? '/' : ''));
      if (i < parts.length - 1) span.appendChild(document.createElement('wbr'));
    });
    return span;
  }
  function place(problem) {
    var at = [];
    if (problem.line) at.push('line ' + problem.line);
    if (problem.column) at.push('column ' + problem.column);
    return at.join(', ');
  }
  // The source line, then the caret row under it. The caret row starts with an invisible
  // copy of the text before the column, in the same font and box, so the caret stays under
  // its character whatever the characters' widths (tabs, wide letters); the box scrolls
  // sideways and never wraps, which would part the caret from its column.
  function snippet(problem) {
    // A long line comes as a window around the column: `skipped` characters are left out
    // before it, shown as an ellipsis (and one after it when the line is `cut`).
    var skipped = problem.skipped || 0;
    var chars = Array.from((skipped ? '\u2026' : '') + problem.source + (problem.cut ? '\u2026' : ''));
    var column = Math.max(1, Math.min(problem.column - skipped + (skipped ? 1 : 0), chars.length + 1));
    var width = Math.max(1, problem.width || 1);
    var before = chars.slice(0, column - 1).join('');
    var marked = chars.slice(column - 1, column - 1 + width).join('');
    var after = chars.slice(column - 1 + width).join('');
    var gutter = String(problem.line);
    var box = make('div', 'code');
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', problem.file + ', ' + place(problem));
    var pre = make('pre');
    var line = make('span', 'row source');
    line.appendChild(make('span', 'gutter', gutter));
    var text = make('span', 'text');
    if (before) shown(text, before);
    if (marked) text.appendChild(make('span', 'marked', marked));
    if (after) shown(text, after);
    line.appendChild(text);
    var carets = make('span', 'row carets');
    // Its number is there for its width only: not read out twice.
    var hidden = make('span', 'gutter pad', gutter);
    hidden.setAttribute('aria-hidden', 'true');
    carets.appendChild(hidden);
    carets.appendChild(make('span', 'pad', before));
    var caret = make('span', 'caret', '^'.repeat(Math.max(1, drawnLength(marked))));
    caret.setAttribute('aria-hidden', 'true');
    carets.appendChild(caret);
    if (problem.label) words(carets.appendChild(make('span', 'label')), ' ' + problem.label);
    pre.appendChild(line);
    pre.appendChild(carets);
    box.appendChild(pre);
    return box;
  }
  function item(name, problem) {
    var li = make(name, 'problem');
    // Where, as a heading; a mistake of no one file (an internal error) has none.
    if (problem.file) {
      var where = make('h3', 'where');
      where.appendChild(path(problem.file));
      var at = place(problem);
      if (at) where.appendChild(make('span', 'at', ', ' + at));
      li.appendChild(where);
    }
    li.appendChild(words(make('p', 'what'), problem.message));
    if (problem.source !== undefined && problem.line) li.appendChild(snippet(problem));
    (problem.notes || []).forEach(function (note) {
      var p = make('p', 'note');
      p.appendChild(make('strong', '', 'See also: '));
      words(p, note.message + ' (' + note.file + ', ' + place(note) + ')');
      li.appendChild(p);
      if (note.source !== undefined) li.appendChild(snippet(note));
    });
    if (problem.help) {
      var help = make('p', 'help');
      help.appendChild(make('strong', '', 'What to do: '));
      li.appendChild(words(help, problem.help));
    }
    return li;
  }
  // One problem is a paragraph of its own; several are a numbered list.
  function problems(list) {
    if (list.length === 1) return item('div', list[0]);
    var ol = make('ol', 'problems');
    list.forEach(function (problem) { ol.appendChild(item('li', problem)); });
    return ol;
  }
  function parse(text) {
    try {
      var payload = JSON.parse(text);
      if (payload && Array.isArray(payload.errors)) return payload;
      text = typeof payload === 'string' ? payload : text;
    } catch (e) { /* not JSON: shown as it came */ }
    return { kept: true, errors: [{ message: String(text) }], warnings: [] };
  }

  function build(payload) {
    var errors = payload.errors.length ? payload.errors : [{ message: 'The build failed.' }];
    var n = Math.max(errors.length, payload.total_errors || 0);
    var panel = make('section', 'panel');
    panel.setAttribute('aria-labelledby', 'ldr-overlay-heading');
    var top = make('div', 'top');
    // Announced when it appears, and only then: the rest is read on request.
    var alert = make('div', 'summary');
    alert.setAttribute('role', 'alert');
    var heading = make('h2', '', (payload.kept ? 'This page can\u2019t be updated yet' : 'The site can\u2019t be shown yet')
      + ': fix the ' + (n === 1 ? 'mistake' : 'mistakes') + ' below and save');
    heading.id = 'ldr-overlay-heading';
    alert.appendChild(heading);
    alert.appendChild(make('p', 'count', plural(n, 'mistake', 'mistakes') + ' to fix.'));
    top.appendChild(alert);
    var close = make('button', 'close', 'Close');
    close.type = 'button';
    close.addEventListener('click', dismiss);
    top.appendChild(close);
    panel.appendChild(top);
    panel.appendChild(make('p', 'kept', payload.kept
      ? 'You are looking at the last version that worked. When you save the fix, this message goes away and the page updates by itself.'
      : 'When you save the fix, the site appears here by itself.'));
    panel.appendChild(problems(errors));
    if (n > errors.length) {
      panel.appendChild(make('p', 'kept', 'The first ' + errors.length + ' are shown here; the terminal lists all '
        + n + '.'));
    }
    var warnings = payload.warnings || [];
    var w = Math.max(warnings.length, payload.total_warnings || 0);
    if (warnings.length) {
      var more = make('details', 'warnings');
      more.appendChild(make('summary', '', plural(w, 'warning', 'warnings')
        + ': worth a look, but ' + (w === 1 ? 'it does' : 'they do') + ' not stop the page updating'));
      more.appendChild(problems(warnings));
      if (w > warnings.length) {
        more.appendChild(make('p', 'kept', 'The first ' + warnings.length + ' are shown here; the terminal lists all ' + w + '.'));
      }
      panel.appendChild(more);
    }
    return panel;
  }

  function styles() {
    if (sheet) return sheet;
    sheet = new CSSStyleSheet();
    sheet.replaceSync(OVERLAY_CSS);
    return sheet;
  }

  function show(text) {
    if (text === shownText && host && host.isConnected) return;
    shownText = text;
    if (text === closedText) { remove(); return; }
    closedText = null;
    var fresh = !host || !host.isConnected;
    if (fresh) {
      host = document.createElement('ldr-error-overlay');
      host.id = 'ldr-error-overlay';
      var root = host.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [styles()];
      root.appendChild(make('div', 'scrim'));
      // First in the page, so the close button is the first stop for the Tab key.
      document.body.insertBefore(host, document.body.firstChild);
    }
    host.shadowRoot.firstChild.replaceChildren(build(parse(text)));
    reveal();
  }
  // A line longer than its box is scrolled so that its caret is in view, a third of the way
  // in, with the text before it still leading there.
  function reveal() {
    if (!host) return;
    host.shadowRoot.querySelectorAll('.code').forEach(function (box) {
      // From the box's left edge (the box is the caret's offset parent), whatever its scroll.
      // The line number is stuck at the left, so the text is seen right of its width.
      var caret = box.querySelector('.caret'), gutter = box.querySelector('.gutter');
      var start = caret.offsetLeft, end = start + caret.offsetWidth;
      var shade = gutter.offsetWidth + parseFloat(getComputedStyle(gutter).marginRight);
      var room = box.clientWidth - 16 - shade;
      var fits = end - start <= room;
      var to = 0;
      if ((fits ? end : start + 16) > box.clientWidth - 16) {
        to = start - shade - room / 3;
        if (fits) to = Math.max(to, end - box.clientWidth + 16);
      }
      box.scrollLeft = Math.max(0, Math.min(to, start - shade));
    });
  }
  window.addEventListener('resize', reveal);
  function remove() {
    if (host) host.remove();
    host = null;
  }
  function dismiss() {
    closedText = shownText;
    remove();
  }
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && host && host.isConnected) dismiss();
  });
  return {
    show: show,
    // The build is good again.
    hide: function () { shownText = closedText = null; remove(); },
    failing: function () { return shownText !== null; },
  };
}

// The overlay's whole style: every property a theme could set on its parts is set here, and
// the host's own box is held with `!important`, which beats the page's from inside.
// NHS.UK colours: text #212b32 on white (15.4:1), secondary text #4c6272 (6.2:1), the error
// red #d5281b (5.4:1 on the code box's #f0f4f5); focus is NHS.UK's yellow with a black line.
var OVERLAY_CSS = [
  ':host { all: initial !important; display: block !important; position: fixed !important; inset: 0 !important;',
  '  z-index: 2147483647 !important; visibility: visible !important; opacity: 1 !important;',
  '  transform: none !important; filter: none !important; clip-path: none !important; }',
  '* { all: revert; box-sizing: border-box; }',
  '.scrim { display: block; position: absolute; inset: 0; overflow: auto; overscroll-behavior: contain;',
  '  background: rgba(33, 43, 50, 0.85); padding: 16px; }',
  '.panel { display: block; max-width: 960px; margin: 0 auto; padding: 16px; background: #fff; color: #212b32;',
  '  border: 0; border-top: 8px solid #d5281b; font: 400 16px/1.5 Frutiger, "Frutiger Linotype", Arial, "Helvetica Neue", Helvetica, sans-serif;',
  '  text-align: left; letter-spacing: normal; word-spacing: normal; text-transform: none; text-shadow: none; }',
  '.top { display: flex; align-items: flex-start; gap: 16px; }',
  '.summary { display: block; flex: 1 1 auto; min-width: 0; }',
  'h2 { display: block; margin: 0 0 8px; font-family: inherit; font-size: 24px; font-weight: 700; line-height: 1.25; color: #212b32; }',
  'h3 { display: block; margin: 0 0 4px; font-family: inherit; font-size: 17px; font-weight: 700; line-height: 1.4; color: #212b32; overflow-wrap: anywhere; }',
  'p { display: block; margin: 0 0 12px; color: inherit; font: inherit; overflow-wrap: break-word; }',
  '.count { font-weight: 700; color: #d5281b; }',
  '.at { font-weight: 400; color: #4c6272; }',
  'strong { font-weight: 700; color: inherit; }',
  'code { font: 400 0.9em/1.4 ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; color: #212b32; background: #f0f4f5;',
  '  padding: 0 3px; border-radius: 2px; overflow-wrap: anywhere; }',
  'ol.problems { display: block; list-style: decimal outside; margin: 0 0 16px; padding: 0 0 0 24px; }',
  'ol.problems > li { display: list-item; margin: 0 0 16px; padding: 0 0 16px; border-bottom: 1px solid #d8dde0; color: inherit; }',
  'ol.problems > li:last-child { border-bottom: 0; padding-bottom: 0; }',
  'ol.problems > li::marker { font-weight: 700; color: #212b32; }',
  'div.problem { display: block; margin: 0 0 16px; }',
  '.problem, .what, .help, .note { min-width: 0; }',
  '.code { display: block; position: relative; overflow-x: auto; overflow-y: hidden; max-width: 100%; margin: 0 0 12px; padding: 8px 12px 8px 0;',
  '  background: #f0f4f5; color: #212b32; border: 1px solid #aeb7bd; border-left: 4px solid #d5281b; }',
  '.code:focus { outline: 3px solid #ffeb3b; outline-offset: 0; box-shadow: 0 0 0 6px #212b32; }',
  'pre { display: block; margin: 0; padding: 0; background: transparent; color: #212b32; border: 0;',
  '  font: 400 15px/1.5 ui-monospace, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;',
  '  white-space: pre; overflow-wrap: normal; word-break: normal; tab-size: 4; -moz-tab-size: 4; }',
  '.row { display: block; white-space: pre; }',
  // The line number stays in view while a long line scrolls under it; the caret row's copy
  // of it is there for its width (and to cover the carets), its digits transparent.
  '.gutter { display: inline-block; position: sticky; left: 0; z-index: 1; background: #f0f4f5; color: #4c6272;',
  '  padding: 0 12px; margin-right: 12px; border-right: 1px solid #aeb7bd; user-select: none; }',
  '.pad { visibility: hidden; }',
  '.gutter.pad { visibility: visible; color: transparent; }',
  '.marked { background: #fde6e4; color: #212b32; }',
  '.hidden-char { border: 1px solid currentColor; border-radius: 2px; padding: 0 1px; margin: 0 1px; }',
  '.caret, .label { color: #b3200f; font-weight: 700; }',
  '.label code { color: #b3200f; background: transparent; padding: 0; }',
  '.kept { color: #4c6272; }',
  '.close { flex: 0 0 auto; display: inline-block; min-width: 44px; min-height: 44px; margin: 0; padding: 8px 16px;',
  '  font-family: inherit; font-size: 16px; font-weight: 700; line-height: 1.5; color: #fff; background: #005eb8; border: 0; border-radius: 4px;',
  '  box-shadow: 0 4px 0 #003087; cursor: pointer; }',
  '.close:hover { background: #004b93; }',
  '.close:focus-visible, summary:focus-visible { outline: 4px solid transparent; background: #ffeb3b; color: #212b32; box-shadow: 0 -2px #ffeb3b, 0 4px #212b32; }',
  'details.warnings { display: block; margin: 16px 0 0; padding: 12px 16px; border-left: 4px solid #4c6272; background: #fff; color: #212b32; }',
  'summary { display: list-item; cursor: pointer; font-weight: 700; color: #005eb8; text-decoration: underline; }',
  'details.warnings[open] > summary { margin-bottom: 12px; }',
  '@media (min-width: 641px) { .scrim { padding: 32px; } .panel { padding: 32px; } h2 { font-size: 32px; } }',
  '@media (max-width: 400px) { .scrim { padding: 8px; } .panel { padding: 12px; } h2 { font-size: 20px; } .code { padding: 8px 8px 8px 0; } .gutter { padding: 0 8px; margin-right: 8px; } pre { font-size: 14px; } }',
  '@media (forced-colors: active) { .panel, .code, .close { border: 2px solid CanvasText; }',
  '  .gutter, .gutter.pad { forced-color-adjust: none; background: Canvas; } .gutter { color: CanvasText; } .gutter.pad { color: Canvas; } }',
].join('\n');
