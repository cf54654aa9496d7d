/* The search engine behind /search/: query folding, shard lookup, ranking and highlighting
   over the index that `ldr build` writes to /search/index/ (see src/index/search/bundle.rs
   for the files). No DOM here: search.js draws the page, and tests/js/ runs these
   functions under `node --test`. Works as a classic script (window.ldrSearch) and as a
   CommonJS module. */
(function (exports) {
  'use strict';

  // Folding, as src/index/search/fold.rs does it: lower case, accents and apostrophes
  // dropped, words split at anything that is not a letter or a digit.
  var SEPARATOR = /[^\p{Alphabetic}\p{N}\p{M}'\u2019\u02BC]+/u;
  var DROPPED = /[\p{M}'\u2019\u02BC]/gu;
  var NOT_LETTER_OR_DIGIT = /[^\p{Alphabetic}\p{N}]/gu;
  var WORD = /[\p{Alphabetic}\p{N}\p{M}'\u2019\u02BC]+/gu;

  function foldWord(word) {
    return word.toLowerCase().normalize('NFKD').replace(DROPPED, '').replace(NOT_LETTER_OR_DIGIT, '');
  }

  function terms(text) {
    return String(text).split(SEPARATOR).map(foldWord).filter(Boolean);
  }

  function fold(text) {
    return terms(text).join(' ');
  }

  // Posting weights, as src/index/search/postings.rs writes them.
  var CODE = 15;
  var KEYWORD = 4;
  var TITLE_MIN = 5;

  function isTitle(weight) {
    return weight >= TITLE_MIN && weight < CODE;
  }

  // How many distinct words the title of a posting's record has (10 means ten or more).
  function titleWords(weight) {
    return CODE - weight;
  }

  // What one query word scores in one record: where it matched (the weight) and how (the
  // whole word, a prefix of it, or a near miss).
  function termScore(weight, how) {
    var scale = how === 'exact' ? 1 : how === 'prefix' ? 0.5 : 0.3;
    if (weight === CODE) return how === 'exact' ? 1000 : 30 * scale;
    if (isTitle(weight)) return (100 + (weight - TITLE_MIN) * 5) * scale;
    if (weight === KEYWORD) return 20 * scale;
    return 5 * scale;
  }

  // A term's shard: its first two characters, one more while that key was split and the
  // term is longer. `leaf` is false where the key was split, so only whole words match.
  function shardFor(term, split) {
    var chars = Array.from(term);
    var length = Math.min(2, chars.length);
    var key = chars.slice(0, length).join('');
    while (split.has(key) && chars.length > length) {
      length += 1;
      key = chars.slice(0, length).join('');
    }
    return { key: key, leaf: !split.has(key) };
  }

  function fileName(key) {
    return Array.from(key).map(function (c) {
      return /^[a-z0-9]$/.test(c) ? c : '_' + c.codePointAt(0).toString(16) + '_';
    }).join('');
  }

  // The postings of a list, decoded to [id, weight] pairs.
  function decode(postings) {
    var id = 0;
    return postings.map(function (p) {
      id += Math.floor(p / 16);
      return [id, p % 16];
    });
  }

  // Optimal string alignment distance, giving up past `limit`.
  function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      for (var j = 1; j <= b.length; j++) rows[i].push(i === 0 ? j : 0);
    }
    for (i = 1; i <= a.length; i++) {
      var best = Infinity;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d = Math.min(d, rows[i - 2][j - 2] + 1);
        }
        rows[i][j] = d;
        best = Math.min(best, d);
      }
      if (best > limit) return limit + 1;
    }
    return rows[a.length][b.length];
  }

  // The index terms a query word matches in its shard.
  function matchesOf(term, shard, leaf, typos) {
    var found = [];
    if (Object.prototype.hasOwnProperty.call(shard, term)) {
      found.push({ term: term, how: 'exact', postings: shard[term] });
    }
    if (leaf) {
      Object.keys(shard).forEach(function (other) {
        if (other !== term && other.startsWith(term)) {
          found.push({ term: other, how: 'prefix', postings: shard[other] });
        }
      });
    }
    if (typos && found.length === 0 && term.length >= 4) {
      var limit = term.length >= 7 ? 2 : 1;
      Object.keys(shard).forEach(function (other) {
        var distance = editDistance(term, other, limit);
        if (distance <= limit) {
          found.push({ term: other, how: 'typo', postings: shard[other], distance: distance });
        }
      });
    }
    return found;
  }

  // Words that say what kind of record is wanted, and the kind each names: the id ranges of
  // the manifest's `kinds` (footprint, story, event) or `organisation_kinds` (ccg, trust,
  // local-authority).
  var KIND_WORDS = {
    ccg: 'ccg', ccgs: 'ccg',
    trust: 'trust', trusts: 'trust', hospital: 'trust', hospitals: 'trust',
    council: 'local-authority', councils: 'local-authority',
    footprint: 'footprint', footprints: 'footprint',
    story: 'story', stories: 'story',
    event: 'event', events: 'event'
  };

  // What the query's kind words ask for: {soft: [bool per word], wanted: id test}, or null
  // when it has none. Kind words are soft: they rank the records of their kind first, and
  // a record that lacks the word is still found by the others. A query of kind words
  // only must match them, as any other query.
  function kindPreference(queryTerms, meta) {
    var soft = queryTerms.map(function (t) { return Object.prototype.hasOwnProperty.call(KIND_WORDS, t); });
    if (!soft.some(Boolean)) return null;
    var ranges = (meta.kinds || []).concat(meta.organisation_kinds || []);
    var wanted = [];
    queryTerms.forEach(function (t, i) {
      if (!soft[i]) return;
      ranges.forEach(function (r) { if (r.kind === KIND_WORDS[t]) wanted.push(r); });
    });
    var test = function (id) {
      return wanted.some(function (r) { return id >= r.from && id < r.to; });
    };
    if (soft.every(Boolean)) soft = soft.map(function () { return false; });
    return { soft: soft, wanted: test };
  }

  // Ranks the records every query word matched (every word not soft, when `prefer` says
  // which are: see kindPreference). `matches[i]` are the matches of word i. A title that
  // is the whole query first, then the wanted kind, then an exact code, then an exact
  // title, then the summed scores; ties in id order, which is kind, region, then address.
  function rank(queryTerms, matches, keep, prefer) {
    var soft = prefer ? prefer.soft : queryTerms.map(function () { return false; });
    var required = queryTerms.filter(function (t, i) { return !soft[i]; });
    var distinct = new Set(required).size;
    var distinctAll = new Set(queryTerms).size;
    var perTerm = matches.map(function (list) {
      var best = new Map();
      list.forEach(function (match) {
        decode(match.postings).forEach(function (pair) {
          var id = pair[0];
          var weight = pair[1];
          if (keep && !keep(id)) return;
          var score = termScore(weight, match.how);
          var seen = best.get(id);
          var inTitle = match.how === 'exact' && isTitle(weight);
          var exactTitle = inTitle && titleWords(weight) === distinct;
          var wholeTitle = inTitle && titleWords(weight) === distinctAll;
          if (!seen || score > seen.score) {
            best.set(id, {
              score: score, exactTitle: exactTitle, wholeTitle: wholeTitle,
              code: weight === CODE && match.how === 'exact'
            });
          }
        });
      });
      return best;
    });
    var must = perTerm.filter(function (m, i) { return !soft[i]; });
    var optional = perTerm.filter(function (m, i) { return soft[i]; });
    if (must.length === 0) return [];
    must.sort(function (a, b) { return a.size - b.size; });
    var results = [];
    must[0].forEach(function (first, id) {
      var score = first.score;
      var exactTitle = first.exactTitle;
      var wholeTitle = first.wholeTitle;
      var code = first.code;
      for (var i = 1; i < must.length; i++) {
        var other = must[i].get(id);
        if (!other) return;
        score += other.score;
        exactTitle = exactTitle && other.exactTitle;
        wholeTitle = wholeTitle && other.wholeTitle;
        code = code || other.code;
      }
      optional.forEach(function (m) {
        var other = m.get(id);
        if (other) score += other.score;
        wholeTitle = wholeTitle && Boolean(other && other.wholeTitle);
      });
      if (code && distinct === 1) score += 20000;
      if (exactTitle && distinct < 10) score += 10000;
      if (prefer && prefer.wanted(id)) score += 40000;
      // A title that is the whole query, kind words and all ("Trust Events", or a story
      // titled "… in Footprint 0308 Pendale"), beats the kind the words would ask for.
      if (prefer && wholeTitle && distinctAll < 10) score += 80000;
      results.push({ id: id, score: score });
    });
    results.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    return results;
  }

  function matchesWord(word, queryTerms) {
    var folded = foldWord(word);
    return folded !== '' && queryTerms.some(function (t) { return folded.startsWith(t); });
  }

  // Where a text matches the query: a list of {text, mark} pieces, the words that start
  // with a query word marked. Plain strings: the page puts them in with textContent.
  function highlight(text, queryTerms) {
    text = String(text);
    var pieces = [];
    var at = 0;
    for (var m of text.matchAll(WORD)) {
      if (!matchesWord(m[0], queryTerms)) continue;
      if (m.index > at) pieces.push({ text: text.slice(at, m.index), mark: false });
      pieces.push({ text: m[0], mark: true });
      at = m.index + m[0].length;
    }
    if (at < text.length) pieces.push({ text: text.slice(at), mark: false });
    return pieces;
  }

  // About `length` characters of `text`, from a little before its first match, cut at
  // spaces, highlighted.
  function snippet(text, queryTerms, length) {
    length = length || 160;
    text = String(text).replace(/\s+/g, ' ').trim();
    var first = 0;
    for (var m of text.matchAll(WORD)) {
      if (matchesWord(m[0], queryTerms)) { first = m.index; break; }
    }
    var start = first > length / 2 ? text.lastIndexOf(' ', first - Math.floor(length / 4)) + 1 : 0;
    var end = text.length;
    if (start + length < text.length) {
      var space = text.lastIndexOf(' ', start + length);
      end = space > Math.max(start, first) ? space : start + length;
    }
    var cut = (start > 0 ? '\u2026' : '') + text.slice(start, end) + (end < text.length ? '\u2026' : '');
    return highlight(cut, queryTerms);
  }

  // The index of one site. `load(name)` resolves to the parsed JSON of
  // /search/index/<name>.json.gz (and to {} for a shard that does not exist).
  function Index(load) {
    this.load = load;
    this.files = new Map();
  }

  Index.prototype.file = function (name) {
    var files = this.files;
    if (!files.has(name)) {
      files.set(name, this.load(name).catch(function (error) {
        files.delete(name);
        throw error;
      }));
    }
    return files.get(name);
  };

  // The index format this script reads (FORMAT in src/index/search/bundle.rs).
  var FORMAT = 2;

  Index.prototype.meta = function () {
    return this.file('meta').then(function (meta) {
      if (meta.format !== FORMAT) throw new Error('search index format ' + meta.format + ', expected ' + FORMAT);
      if (!meta.splitSet) meta.splitSet = new Set(meta.split);
      return meta;
    });
  };

  // Runs a query: {terms, results: [{id, score}], typos}, results best first. Options:
  // kind ("organisation", ...) and region (a name from the manifest), both optional.
  Index.prototype.search = async function (query, options) {
    options = options || {};
    var queryTerms = terms(query);
    var meta = await this.meta();
    if (queryTerms.length === 0) return { terms: [], results: [], typos: false };
    var self = this;
    var shards = await Promise.all(queryTerms.map(function (term) {
      var where = shardFor(term, meta.splitSet);
      return self.file('t/' + fileName(where.key)).then(function (shard) {
        return { shard: shard, leaf: where.leaf };
      });
    }));
    var keep = await this.filter(meta, options);
    var prefer = kindPreference(queryTerms, meta);
    var found = queryTerms.map(function (term, i) {
      return matchesOf(term, shards[i].shard, shards[i].leaf, false);
    });
    var results = rank(queryTerms, found, keep, prefer);
    var typos = false;
    if (results.length === 0) {
      // Words that matched nothing may be typos: near misses in their own shard, and in
      // the shards of the words they could have come from (see nearMisses).
      var near = await Promise.all(queryTerms.map(function (term, i) {
        if (found[i].length > 0) return found[i];
        var own = matchesOf(term, shards[i].shard, shards[i].leaf, true);
        return self.nearMisses(term, meta).then(function (others) {
          var seen = new Set(own.map(function (m) { return m.term; }));
          return nearest(own.concat(others.filter(function (m) { return !seen.has(m.term); })));
        });
      }));
      results = rank(queryTerms, near, keep, prefer);
      typos = results.length > 0;
    }
    return { terms: queryTerms, results: results, typos: typos };
  };

  // The near misses at the smallest distance found: "norhythe" (one edit) for "onrhythe",
  // not "corhythe" (two) beside it.
  function nearest(matches) {
    var best = Math.min.apply(null, matches.map(function (m) { return m.distance; }));
    return matches.filter(function (m) { return m.distance === best; });
  }

  // How many near misses of a word are looked up in other shards: the nearest first.
  var NEAR_MISSES = 6;

  // Near misses of `term` with a typo in its first two letters, whose shards are not the
  // term's own: words one edit away (two from a word of seven letters or more) in the
  // word lists of the index (src/index/search/words.rs) that the typed word could have
  // come from: the words starting with its first or its second letter, and those whose
  // second letter is its first or its second.
  Index.prototype.nearMisses = async function (term, meta) {
    var chars = Array.from(term);
    if (chars.length < 4 || !chars.slice(0, 2).every(function (c) { return /\p{Alphabetic}/u.test(c); })) return [];
    var limit = chars.length >= 7 ? 2 : 1;
    var self = this;
    var names = new Set();
    chars.slice(0, 2).forEach(function (c) {
      names.add('w/first-' + fileName(c));
      names.add('w/second-' + fileName(c));
    });
    var lists = await Promise.all(Array.from(names).map(function (name) { return self.file(name); }));
    var candidates = new Map();
    lists.forEach(function (list) {
      if (!Array.isArray(list)) return;
      list.forEach(function (word) {
        if (candidates.has(word) || word === term) return;
        var d = editDistance(term, word, limit);
        if (d <= limit) candidates.set(word, d);
      });
    });
    var nearest = Array.from(candidates.keys()).sort(function (a, b) {
      return candidates.get(a) - candidates.get(b) || (a < b ? -1 : a > b ? 1 : 0);
    }).slice(0, NEAR_MISSES);
    return Promise.all(nearest.map(function (word) {
      var where = shardFor(word, meta.splitSet);
      return self.file('t/' + fileName(where.key)).then(function (shard) {
        return Object.prototype.hasOwnProperty.call(shard, word)
          ? { term: word, how: 'typo', postings: shard[word], distance: candidates.get(word) }
          : null;
      });
    })).then(function (found) { return found.filter(Boolean); });
  };

  // A test of ids for the kind and region options, or null for no filter.
  Index.prototype.filter = async function (meta, options) {
    var tests = [];
    if (options.kind) {
      var range = meta.kinds.find(function (k) { return k.kind === options.kind; });
      var from = range ? range.from : 0;
      var to = range ? range.to : 0;
      tests.push(function (id) { return id >= from && id < to; });
    }
    if (options.region) {
      var i = meta.regions.indexOf(options.region);
      var inside = new Uint8Array(meta.records);
      if (i >= 0) {
        var runs = await this.file('r/' + i);
        for (var k = 0, id = 0; k < runs.length; k += 2) {
          id += runs[k];
          inside.fill(1, id, id + runs[k + 1]);
          id += runs[k + 1];
        }
      }
      tests.push(function (id) { return inside[id] === 1; });
    }
    if (tests.length === 0) return null;
    return function (id) { return tests.every(function (test) { return test(id); }); };
  };

  // The records of `ids`, in that order: {id, kind, title, url, code, detail, excerpt,
  // footprints}.
  Index.prototype.records = async function (ids) {
    var meta = await this.meta();
    var self = this;
    var per = meta.records_per_file;
    var chunks = await Promise.all(ids.map(function (id) {
      return self.file('d/' + Math.floor(id / per));
    }));
    return ids.map(function (id, i) {
      var doc = chunks[i][id % per];
      var kind = meta.kinds.find(function (k) { return id >= k.from && id < k.to; });
      return {
        id: id,
        kind: kind ? kind.kind : 'page',
        title: doc[0],
        url: doc[1],
        code: doc[2],
        detail: doc[3],
        excerpt: doc[4],
        footprints: doc[5]
      };
    });
  };

  exports.fold = fold;
  exports.terms = terms;
  exports.termScore = termScore;
  exports.shardFor = shardFor;
  exports.fileName = fileName;
  exports.decode = decode;
  exports.editDistance = editDistance;
  exports.matchesOf = matchesOf;
  exports.rank = rank;
  exports.kindPreference = kindPreference;
  exports.highlight = highlight;
  exports.snippet = snippet;
  exports.Index = Index;
})(typeof module === 'object' && module.exports ? module.exports : (window.ldrSearch = {}));
