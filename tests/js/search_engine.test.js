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
