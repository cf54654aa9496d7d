// Ranking and filters on a real index: the small fixture site, built by
// `cargo test --test search`, which passes its output folder in LDR_SEARCH_SITE.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const zlib = require('node:zlib');

const repo = path.join(__dirname, '..', '..');
const engine = require(path.join(repo, 'themes/default/static/search-engine.js'));
const site = process.env.LDR_SEARCH_SITE;

function open() {
  return new engine.Index(async (name) => {
    const file = path.join(site, 'search/index', `${name}.json.gz`);
    if (/^[tw]\//.test(name) && !fs.existsSync(file)) return {};
    return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
  });
}

async function urls(query, options) {
  const index = open();
  const found = await index.search(query, options);
  const records = await index.records(found.results.map((r) => r.id));
  return records.map((r) => r.url);
}

const needsSite = { skip: site ? false : 'LDR_SEARCH_SITE is not set (cargo test --test search sets it)' };

test('an exact ODS code ranks first', needsSite, async () => {
  assert.equal((await urls('02W'))[0], '/organisations/02W/');
  assert.equal((await urls('e08000032'))[0], '/organisations/E08000032/');
});

test('an exact organisation name ranks above longer names', needsSite, async () => {
  const found = await urls('Bradford');
  assert.equal(found[0], '/organisations/E08000032/');
  assert.ok(found.includes('/organisations/02W/'), found.join(' '));
});

test('a prefix matches', needsSite, async () => {
  const found = await urls('brad');
  assert.ok(found.includes('/organisations/E08000032/') && found.includes('/organisations/02W/'), found.join(' '));
  assert.equal((await urls('barking hav'))[0], '/organisations/RF4/');
});

test('footprints, stories, events and pages are all found', needsSite, async () => {
  assert.equal((await urls('alpha'))[0], '/footprints/alpha/');
  assert.ok((await urls('alpha')).includes('/stories/shared/'));
  assert.equal((await urls('national day'))[0], '/events/national-day/');
  assert.equal((await urls('about'))[0], '/about/');
});

test('a filter excludes', needsSite, async () => {
  const london = await urls('nhs', { region: 'London' });
  assert.deepEqual(london.sort(), ['/organisations/07L/', '/organisations/RF4/']);
  assert.deepEqual(await urls('alpha', { kind: 'story' }), ['/stories/shared/']);
  assert.deepEqual(await urls('body', { region: 'London' }), []);
  assert.deepEqual(await urls('body'), ['/organisations/X99/']);
});

test('a misspelling falls back to similar words', needsSite, async () => {
  const index = open();
  const found = await index.search('Bradfrod');
  assert.ok(found.typos);
  const records = await index.records(found.results.map((r) => r.id));
  assert.equal(records[0].url, '/organisations/E08000032/');
});

test('records come back with what a result shows', needsSite, async () => {
  const index = open();
  const found = await index.search('RXF');
  const [record] = await index.records([found.results[0].id]);
  assert.equal(record.kind, 'organisation');
  assert.equal(record.code, 'RXF');
  assert.deepEqual(record.footprints, ['Alpha']);
  assert.equal(record.detail, 'NHS trust');
});
