// Search quality: does the first result (or one of the first three) give the record a
// person meant, for queries typed the way people type them? Runs the real engine
// (themes/default/static/search-engine.js) on a built site's index, read from disk.
//
//   node bench/search_quality.mjs SITE_DIR [--per-kind N] [--seed S] [--misses] [--engine FILE]
//
// (--engine runs another search-engine.js, an earlier version's, on a site it built.)
//
// It draws records from the site's registers (organisations, footprints, stories, events;
// the records of the index, so the same script serves the default site and a generated
// corpus), N of them (default 100) for each kind of query, with a seeded generator:
//
//   name    the title in lower case                           "pennine care nhs foundation trust"
//   words   its most distinctive title words, then a kind     "pennine care trust", "poole council"
//           word (ccg, trust, council, footprint, story,
//           event): the fewest rare words that, with the
//           kind, no other title of that kind holds
//   code    an ODS, GSS or footprint code in lower case       "rt2", "e06000029"
//   typo    a `words` query with one letter changed, dropped, "pennine cae trust", "pnnine care trust"
//           doubled or swapped with the next, at any
//           position of its longest word
//
// `--show` prints every query with the title of the record meant.
//
// A result counts as the one meant when it is that record, or a record with the same title
// (a name query cannot tell "Devon" the footprint from "Devon" the council). Prints a
// Markdown table: per kind of query, the share found first and in the top three;
// `--misses` lists the queries that missed the top three.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const siteDir = args[0];
const perKind = Number(option('--per-kind', 100));
const seed = Number(option('--seed', 1));
const showMisses = args.includes('--misses');
const showQueries = args.includes('--show');
const engine = require(option('--engine', '../themes/default/static/search-engine.js'));
if (!siteDir) {
  console.error('usage: node bench/search_quality.mjs SITE_DIR [--per-kind N] [--seed S] [--misses]');
  process.exit(2);
}

const files = new Map();
function load(name) {
  const file = join(siteDir, 'search/index', `${name}.json.gz`);
  if (!existsSync(file)) return {};
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
}
// One index for every query, as one browser tab: files are read once.
const index = new engine.Index(async (name) => {
  if (!files.has(name)) files.set(name, load(name));
  return files.get(name);
});

// Mulberry32: small, seeded, the same draws on every machine.
function random(seedValue) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = random(seed);
const pick = (list) => list[Math.floor(rng() * list.length)];

// The kind word a person would add for a record's kind.
const KIND_WORD = { ccg: 'ccg', trust: 'trust', 'local-authority': 'council', footprint: 'footprint', story: 'story', event: 'event' };
// Words that say nothing about which record is meant.
const COMMON = new Set(['nhs', 'and', 'of', 'the', 'ccg', 'trust', 'foundation', 'council', 'a', 'in', 'for', 'on', 'to', 'with']);

const meta = await index.meta();
// An organisation's kind from the line under its title, which every version of the index has.
const ORGANISATION_KIND = { 'Clinical commissioning group': 'ccg', 'NHS trust': 'trust', 'Local authority': 'local-authority' };
const kindOf = (r) => (r.kind === 'organisation' ? ORGANISATION_KIND[r.detail.split(':')[0]] ?? 'other' : r.kind);
const all = await index.records(Array.from({ length: meta.records }, (_, id) => id));
const records = all.map((r) => ({ ...r, kind: kindOf(r), words: [...new Set(engine.terms(r.title))] }))
  .filter((r) => KIND_WORD[r.kind]);

// How many titles hold each word, and which titles each kind has.
const titlesWith = new Map();
for (const r of records) for (const w of r.words) titlesWith.set(w, (titlesWith.get(w) ?? 0) + 1);

// The fewest rare title words that, with the kind word, pick this record out of its kind.
// Words with digits (a generated corpus's "Footprint 0023 Ingstead") come last: people type
// a number only when nothing else tells. A record that no three words pick out is skipped.
function distinctive(record) {
  const rarity = (a, b) => titlesWith.get(a) - titlesWith.get(b) || record.words.indexOf(a) - record.words.indexOf(b);
  const usable = record.words.filter((w) => !COMMON.has(w) && w !== KIND_WORD[record.kind]);
  const candidates = usable.filter((w) => !/\d/.test(w)).sort(rarity)
    .concat(usable.filter((w) => /\d/.test(w)).sort(rarity));
  const sameKind = records.filter((r) => r.kind === record.kind && r.id !== record.id);
  const picksOut = (words) => !sameKind.some((r) => words.every((w) => r.words.includes(w)));
  const chosen = [];
  for (const word of candidates) {
    chosen.push(word);
    if (picksOut(chosen) || chosen.length === 3) break;
  }
  if (chosen.length === 0 || !picksOut(chosen)) return null;
  // In the order of the title, as a person says them.
  chosen.sort((a, b) => record.words.indexOf(a) - record.words.indexOf(b));
  return `${chosen.join(' ')} ${KIND_WORD[record.kind]}`;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
// One typo at a random position of the longest word of the query (not the kind word).
function typo(query) {
  const words = query.split(' ');
  const at = words.slice(0, -1).reduce((best, w, i) => (w.length > words[best].length ? i : best), 0);
  const word = words[at];
  if (word.length < 4) return null;
  const i = Math.floor(rng() * word.length);
  const how = Math.floor(rng() * 4);
  let typed;
  if (how === 0) {
    const other = LETTERS.replace(word[i], '');
    typed = word.slice(0, i) + pick(other) + word.slice(i + 1);
  } else if (how === 1) {
    typed = word.slice(0, i) + word.slice(i + 1);
  } else if (how === 2) {
    typed = word.slice(0, i) + word[i] + word.slice(i);
  } else {
    const j = Math.min(i, word.length - 2);
    typed = word.slice(0, j) + word[j + 1] + word[j] + word.slice(j + 2);
  }
  if (typed === word) return null;
  words[at] = typed;
  return words.join(' ');
}

const makers = {
  name: (r) => r.title.toLowerCase(),
  words: (r) => distinctive(r),
  code: (r) => (r.code ? r.code.toLowerCase() : null),
  typo: (r) => {
    const words = distinctive(r);
    return words && typo(words);
  },
};

const foldedTitle = (r) => engine.fold(r.title);
const rows = [];
const misses = [];
for (const [kind, make] of Object.entries(makers)) {
  let first = 0;
  let top3 = 0;
  let asked = 0;
  let tries = 0;
  while (asked < perKind && tries < perKind * 20) {
    tries += 1;
    const record = pick(records);
    const query = make(record);
    if (!query) continue;
    asked += 1;
    if (showQueries) console.log(`${kind}: "${query}" for ${record.title}`);
    const found = await index.search(query);
    const top = await index.records(found.results.slice(0, 3).map((r) => r.id));
    const meant = top.map((r) => r.id === record.id || foldedTitle(r) === foldedTitle(record));
    if (meant[0]) first += 1;
    if (meant.some(Boolean)) top3 += 1;
    else misses.push(`${kind}: "${query}" for ${record.title} (${record.kind}); got ${top.map((r) => r.title).join(' | ') || 'nothing'}`);
  }
  rows.push({ kind, asked, first, top3 });
}

const share = (n, d) => `${((100 * n) / d).toFixed(1)}%`;
console.log(`Site: ${meta.records} records; ${records.length} drawn from; seed ${seed}`);
console.log('| queries | asked | first | top three |');
console.log('|---|---|---|---|');
let asked = 0;
let first = 0;
let top3 = 0;
for (const r of rows) {
  console.log(`| ${r.kind} | ${r.asked} | ${share(r.first, r.asked)} | ${share(r.top3, r.asked)} |`);
  asked += r.asked;
  first += r.first;
  top3 += r.top3;
}
console.log(`| all | ${asked} | ${share(first, asked)} | ${share(top3, asked)} |`);
if (showMisses) for (const m of misses) console.log(`- ${m}`);
