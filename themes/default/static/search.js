/* The /search/ page: results as you type, from the static index in /search/index/, with
   the ranking of search-engine.js. Progressive enhancement: without this script the form
   still submits to /search/?q=..., where a <noscript> message links to the lists. Every
   piece of content goes in as text (textContent), never as markup. */
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  var engine = window.ldrSearch;
  if (!form || !engine) return;
  var input = document.getElementById('search-q');
  var kind = document.getElementById('search-kind');
  var region = document.getElementById('search-region');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  // What to try next when nothing is found (a theme may leave it out).
  var none = document.getElementById('search-none');
  function showNone(shown) { if (none) none.hidden = !shown; }
  var PAGE = 20;
  var KINDS = { footprint: 'Footprint', organisation: 'Organisation', story: 'Story', event: 'Event', page: 'Page' };

  if (!window.fetch || !window.DecompressionStream) {
    status.textContent = 'Search needs a newer browser. Every footprint is in the list of footprints, and every organisation in the organisations A to Z.';
    return;
  }

  var base = form.getAttribute('data-index');
  var prefix = form.getAttribute('data-prefix');
  var version = '';
  var index = new engine.Index(load);
  var shown = { all: [], results: [], terms: [] };
  var latest = 0;
  var typing = 0;

  async function load(name) {
    var url = base + name + '.json.gz' + (version ? '?v=' + version : '');
    var response = await fetch(url, name === 'meta' ? { cache: 'no-cache' } : {});
    if (response.status === 404 && /^[tw]\//.test(name)) return {};
    if (!response.ok) throw new Error(url + ': ' + response.status);
    var bytes = new Uint8Array(await response.arrayBuffer());
    // A host that serves the file with Content-Encoding: gzip has inflated it already.
    var stream = new Blob([bytes]).stream();
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) stream = stream.pipeThrough(new DecompressionStream('gzip'));
    var value = JSON.parse(await new Response(stream).text());
    if (name === 'meta') version = value.version;
    return value;
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get('q') || '';
    kind.value = params.get('kind') || '';
    region.value = params.get('region') || '';
    if (kind.value !== (params.get('kind') || '')) kind.value = '';
    if (region.value !== (params.get('region') || '')) region.value = '';
  }

  function urlOf() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set('q', input.value.trim());
    if (kind.value) params.set('kind', kind.value);
    if (region.value) params.set('region', region.value);
    var query = params.toString();
    return location.pathname + (query ? '?' + query : '');
  }

  // Typing replaces the history entry; a submitted search adds one, so Back returns to it.
  function remember(push) {
    var url = urlOf();
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
  }

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function appendPieces(parent, pieces) {
    pieces.forEach(function (piece) {
      parent.appendChild(piece.mark ? el('mark', '', piece.text) : document.createTextNode(piece.text));
    });
  }

  function codeLabel(record) {
    if (record.kind === 'footprint') return 'Code ';
    return /^[EWSN]\d{8}$/.test(record.code) ? 'GSS code ' : 'ODS code ';
  }

  function item(record, terms) {
    var li = el('li', 'search-result');
    li.appendChild(el('p', 'search-result__kind', KINDS[record.kind] || record.kind));
    var heading = el('h2', 'search-result__title');
    var link = el('a');
    link.href = prefix + (record.url.charAt(0) === '/' ? record.url : '/');
    appendPieces(link, engine.highlight(record.title, terms));
    heading.appendChild(link);
    li.appendChild(heading);
    if (record.excerpt) {
      var excerpt = el('p', 'search-result__excerpt');
      appendPieces(excerpt, engine.snippet(record.excerpt, terms, 180));
      li.appendChild(excerpt);
    }
    var facts = el('p', 'search-result__meta');
    if (record.code) {
      facts.appendChild(document.createTextNode(codeLabel(record)));
      appendPieces(facts.appendChild(el('code', 'ods-code')), engine.highlight(record.code, terms));
    }
    var rest = [];
    if (record.detail) rest.push(record.detail);
    if (record.footprints.length) {
      rest.push((record.footprints.length > 1 ? 'Footprints: ' : 'Footprint: ') + record.footprints.join(', '));
    }
    if (rest.length) {
      var text = rest.join(' · ');
      facts.appendChild(document.createTextNode(record.code ? ' · ' + text : text));
    }
    if (facts.firstChild) li.appendChild(facts);
    return li;
  }

  function describe(count, query, typos) {
    var what = count === 1 ? '1 result' : count.toLocaleString('en-GB') + ' results';
    var text = (count === 0 ? 'No results' : what) + ' for \u201c' + query + '\u201d';
    var filters = [];
    if (kind.value) filters.push(kind.options[kind.selectedIndex].text.toLowerCase());
    // "in the North of England": the page gives each region's phrase (words::region_phrase).
    if (region.value) filters.push('in ' + (region.options[region.selectedIndex].getAttribute('data-phrase') || region.value));
    if (filters.length) text += ' (' + filters.join(', ') + ')';
    if (typos) text += ', from words that are spelled alike';
    if (count > shown.results.length && shown.results.length > 0) text += '; showing the first ' + shown.results.length;
    return text + '.';
  }

  async function showMore(focusFirst) {
    var from = shown.results.length;
    var ids = shown.all.slice(from, from + PAGE).map(function (r) { return r.id; });
    var records = await index.records(ids);
    var first = null;
    records.forEach(function (record) {
      var li = item(record, shown.terms);
      first = first || li;
      list.appendChild(li);
      shown.results.push(record);
    });
    more.hidden = shown.results.length >= shown.all.length;
    // The status says how many are shown: after "Show more results" it counts them again.
    if (shown.query !== undefined) status.textContent = describe(shown.all.length, shown.query, shown.typos);
    if (focusFirst && first) first.querySelector('a').focus();
  }

  async function run(push) {
    var query = input.value.trim();
    var ticket = ++latest;
    remember(push);
    if (engine.fold(query).replace(/ /g, '').length < 2) {
      list.replaceChildren();
      more.hidden = true;
      showNone(false);
      status.textContent = query ? 'Type at least two letters or digits.' : '';
      return;
    }
    try {
      var found = await index.search(query, { kind: kind.value, region: region.value });
      if (ticket !== latest) return;
      shown = { all: found.results, results: [], terms: found.terms };
      list.replaceChildren();
      await showMore(false);
      if (ticket !== latest) return;
      shown.query = query;
      shown.typos = found.typos;
      status.textContent = describe(found.results.length, query, found.typos);
      showNone(found.results.length === 0);
    } catch (error) {
      if (ticket !== latest) return;
      showNone(false);
      status.textContent = 'Search is not available just now. Every footprint is in the list of footprints, and every organisation in the organisations A to Z.';
      throw error;
    }
  }

  input.addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(function () { run(false); }, 150);
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(typing);
    run(true);
  });
  kind.addEventListener('change', function () { run(false); });
  region.addEventListener('change', function () { run(false); });
  more.addEventListener('click', function () { showMore(true); });
  window.addEventListener('popstate', function () {
    fromUrl();
    run(false);
  });
  fromUrl();
  if (input.value) run(false);
})();
