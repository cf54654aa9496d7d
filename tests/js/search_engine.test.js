// Unit tests of the search page's engine (themes/default/static/search-engine.js): folding,
// shards, ranking, highlighting. Run by `cargo test --test search` (node --test).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');

const repo = path.join(__dirname, '..', '..');
const engine = require(path.join(repo, 'themes/default/static/search-engine.js'));

// Postings as src/index/search/postings.rs writes them: [id, weight] pairs to gap*16+weight.
function encode(pairs) {
  let previous = 0;
  return pairs.map(([id, weight]) => {
    const gap = id - previous;
    previous = id;
    return gap * 16 + weight;
  });
}
const title = (words) => 15 - Math.min(Math.max(words, 1), 10);

test('folds queries exactly as the index folds text', () => {
  const cases = JSON.parse(fs.readFileSync(path.join(repo, 'tests/fixtures/search-folding.json'), 'utf8'));
  assert.ok(cases.length >= 5);
  for (const [text, folded] of cases) assert.equal(engine.fold(text), folded, text);
});

test('shard keys lengthen while split, and file names match the index', () => {
  const split = new Set(['ch', 'e5', 'e54']);
  assert.deepEqual(engine.shardFor('cheshire', split), { key: 'che', leaf: true });
  assert.deepEqual(engine.shardFor('ch', split), { key: 'ch', leaf: false });
  assert.deepEqual(engine.shardFor('rbt', split), { key: 'rb', leaf: true });
  assert.deepEqual(engine.shardFor('e54000123', split), { key: 'e540', leaf: true });
  assert.deepEqual(engine.shardFor('x', split), { key: 'x', leaf: true });
  assert.equal(engine.fileName('øs'), '_f8_s');
  assert.equal(engine.fileName('0c'), '0c');
});

test('postings decode to ids and weights', () => {
  assert.deepEqual(engine.decode(encode([[0, 1], [3, 15], [4, 9]])), [[0, 1], [3, 15], [4, 9]]);
});

// A small index: 0 "Cheshire and Merseyside" (footprint), 1 "Cheshire East" (council),
// 2 "Mid Cheshire Hospitals NHS Foundation Trust" with code RBT, 3 a story that mentions
// RBT and Cheshire in its text, 4 a page titled just "RBT".
const shards = {
  cheshire: encode([[0, title(3)], [1, title(2)], [2, title(6)], [3, 1]]),
  and: encode([[0, title(3)]]),
  merseyside: encode([[0, title(3)], [1, 4], [2, 4]]),
  east: encode([[1, title(2)]]),
  rbt: encode([[2, 15], [3, 1], [4, title(1)]]),
  rbtx: encode([[3, 1]]),
};
const ranked = (query, keep) => {
  const terms = engine.terms(query);
  return engine.rank(terms, terms.map((t) => engine.matchesOf(t, shards, true, false)), keep).map((r) => r.id);
};

test('an exact ODS code ranks first, whatever the case, even above an exact title', () => {
  assert.deepEqual(ranked('RBT'), [2, 4, 3]);
  assert.deepEqual(ranked('rbt'), [2, 4, 3]);
});

test('an exact title ranks above longer titles with the same words', () => {
  assert.equal(ranked('Cheshire East')[0], 1);
  assert.equal(ranked('cheshire and merseyside')[0], 0);
  // Titles before text.
  assert.deepEqual(ranked('cheshire').slice(-1), [3]);
});

test('a prefix matches, below a whole word', () => {
  assert.deepEqual(ranked('ches').sort(), [0, 1, 2, 3]);
  assert.deepEqual(ranked('rb'), [4, 2, 3]);
  const whole = engine.termScore(title(2), 'exact');
  assert.ok(engine.termScore(title(2), 'prefix') < whole);
  assert.ok(engine.termScore(15, 'prefix') < whole, 'a code prefix does not beat a title word');
});

test('every word must match', () => {
  assert.deepEqual(ranked('cheshire east'), [1]);
  assert.deepEqual(ranked('cheshire nowhere'), []);
});

test('a filter excludes records', () => {
  assert.deepEqual(ranked('cheshire', (id) => id !== 1), [0, 2, 3]);
});

test('near misses match only when nothing else does', () => {
  const terms = ['chesire'];
  assert.deepEqual(engine.matchesOf('chesire', shards, true, false), []);
  const fallback = engine.matchesOf('chesire', shards, true, true);
  assert.deepEqual(fallback.map((m) => m.term), ['cheshire']);
  assert.equal(engine.rank(terms, [fallback])[0].id, 1);
  assert.equal(engine.editDistance('cheshire', 'chesihre', 1), 1);
  assert.equal(engine.editDistance('cheshire', 'cornwall', 2), 3);
});

test('highlighting gives plain text pieces, markup and all', () => {
  assert.deepEqual(engine.highlight('NHS Eastern Cheshire CCG', ['chesh']), [
    { text: 'NHS Eastern ', mark: false },
    { text: 'Cheshire', mark: true },
    { text: ' CCG', mark: false },
  ]);
  const pieces = engine.highlight('<img src=x onerror=alert(1)>', ['onerror']);
  assert.equal(pieces.map((p) => p.text).join(''), '<img src=x onerror=alert(1)>');
  assert.deepEqual(pieces.filter((p) => p.mark).map((p) => p.text), ['onerror']);
});

test('a snippet starts near the first match and is cut at spaces', () => {
  const text = 'word '.repeat(100) + 'Cheshire is here ' + 'more '.repeat(100);
  const snippet = engine.snippet(text, ['cheshire'], 80).map((p) => p.text).join('');
  assert.ok(snippet.startsWith('\u2026word'), snippet);
  assert.ok(snippet.includes('Cheshire is here'), snippet);
  assert.ok(snippet.endsWith('more\u2026'), snippet);
  assert.ok(snippet.length <= 84, snippet);
  assert.equal(engine.snippet('Short text', ['x'], 80).map((p) => p.text).join(''), 'Short text');
});

// A small index as the files `ldr build` writes, for Index.search: the terms of each
// record's title (weighted by its length), keywords and code, in shards of two letters,
// with the word lists of src/index/search/words.rs.
function filesOf(records, kinds, organisationKinds) {
  const postings = new Map();
  records.forEach((r, id) => {
    const weights = new Map();
    const put = (term, weight) => weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    (r.keywords ?? []).forEach((k) => engine.terms(k).forEach((t) => put(t, 4)));
    const words = [...new Set(engine.terms(r.title))];
    words.forEach((t) => put(t, title(words.length)));
    if (r.code) put(engine.fold(r.code), 15);
    for (const [term, weight] of weights) {
      if (!postings.has(term)) postings.set(term, []);
      postings.get(term).push([id, weight]);
    }
  });
  const files = {
    meta: { format: 2, records: records.length, records_per_file: 16, kinds, organisation_kinds: organisationKinds, regions: [], split: [] },
    'd/0': records.map((r) => [r.title, r.url, r.code ?? '', '', '', []]),
  };
  for (const [term, pairs] of postings) {
    const key = `t/${engine.fileName(Array.from(term).slice(0, 2).join(''))}`;
    (files[key] ??= {})[term] = encode(pairs);
    if (term.length >= 3 && /^\p{Alphabetic}+$/u.test(term)) {
      const [first, second] = Array.from(term);
      (files[`w/first-${engine.fileName(first)}`] ??= []).push(term);
      (files[`w/second-${engine.fileName(second)}`] ??= []).push(term);
    }
  }
  const fetched = [];
  const index = new engine.Index(async (name) => {
    fetched.push(name);
    return files[name] ?? {};
  });
  return { index, fetched };
}

const organisations = [
  { title: 'Coventry and Warwickshire', url: '/footprints/coventry-and-warwickshire/', keywords: ['Midlands'] },
  { title: 'NHS Newham CCG', url: '/organisations/08F/', code: '08F', keywords: ['Clinical commissioning group'] },
  { title: 'Pennine Care NHS Foundation Trust', url: '/organisations/RT2/', code: 'RT2', keywords: ['NHS trust'] },
  { title: 'Poole Hospital NHS Foundation Trust', url: '/organisations/RD3/', code: 'RD3', keywords: ['NHS trust'] },
  { title: 'Newham', url: '/organisations/E09000025/', code: 'E09000025', keywords: ['Local authority', 'council', 'London borough'] },
  { title: 'Poole', url: '/organisations/E06000029/', code: 'E06000029', keywords: ['Local authority', 'council', 'unitary authority'] },
  { title: 'Warwickshire', url: '/organisations/E10000031/', code: 'E10000031', keywords: ['Local authority', 'council', 'county council'] },
];
const small = () => filesOf(organisations,
  [{ kind: 'footprint', from: 0, to: 1 }, { kind: 'organisation', from: 1, to: 7 }],
  [{ kind: 'ccg', from: 1, to: 2 }, { kind: 'trust', from: 2, to: 4 }, { kind: 'local-authority', from: 4, to: 7 }]);

async function found(query) {
  const { index } = small();
  const result = await index.search(query);
  const records = await index.records(result.results.map((r) => r.id));
  return { urls: records.map((r) => r.url), typos: result.typos };
}

test('a council is found by its area and "council" or the kind of council', async () => {
  assert.equal((await found('warwickshire council')).urls[0], '/organisations/E10000031/');
  assert.equal((await found('warwickshire county council')).urls[0], '/organisations/E10000031/');
  assert.equal((await found('newham borough')).urls[0], '/organisations/E09000025/');
  assert.equal((await found('poole council')).urls[0], '/organisations/E06000029/');
});

test('a kind word puts that kind first and hides no other', async () => {
  let r = await found('newham ccg');
  assert.deepEqual(r.urls, ['/organisations/08F/', '/organisations/E09000025/']);
  r = await found('newham council');
  assert.deepEqual(r.urls, ['/organisations/E09000025/', '/organisations/08F/']);
  r = await found('poole trust');
  assert.deepEqual(r.urls, ['/organisations/RD3/', '/organisations/E06000029/']);
  r = await found('poole hospital');
  assert.equal(r.urls[0], '/organisations/RD3/');
  r = await found('warwickshire footprint');
  assert.equal(r.urls[0], '/footprints/coventry-and-warwickshire/');
  // A query of kind words only must match them, as any query.
  assert.deepEqual((await found('trust')).urls, ['/organisations/RT2/', '/organisations/RD3/']);
  assert.equal(engine.kindPreference(['newham'], { kinds: [] }), null);
});

test('a typo in the first two letters is forgiven from the word lists', async () => {
  let r = await found('pnnine care');
  assert.deepEqual(r, { urls: ['/organisations/RT2/'], typos: true });
  r = await found('ewham borough');
  assert.equal(r.urls[0], '/organisations/E09000025/');
  r = await found('awrwickshire council');
  assert.equal(r.urls[0], '/organisations/E10000031/');
  r = await found('opole');
  assert.equal(r.urls[0], '/organisations/E06000029/');
  // Only when nothing matches, and only the lists and shards needed.
  let { index, fetched } = small();
  await index.search('pennine care');
  assert.ok(!fetched.some((f) => f.startsWith('w/')), fetched.join(' '));
  ({ index, fetched } = small());
  await index.search('pnnine');
  assert.deepEqual(fetched.filter((f) => f.startsWith('w/')).sort(),
    ['w/first-n', 'w/first-p', 'w/second-n', 'w/second-p']);
  assert.ok(fetched.includes('t/pe'), fetched.join(' '));
});
