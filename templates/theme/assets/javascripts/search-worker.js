/*
 * Paper search worker for Material for MkDocs.
 *
 * Material runs search in a web worker whose URL comes from the theme's
 * config block (templates/theme/main.html points it here). This worker
 * answers the same messages as Material's own (numeric types, pinned in
 * tests/test_search.py):
 *   SETUP  {type: 0, data: {config, docs, options}}  -> READY {type: 1}
 *   QUERY  {type: 2, data: "query"}                   -> RESULT {type: 3, data: {items: [[item]]}}
 * but searches the prebuilt paper index (generator/search_index.py) instead
 * of indexing every page in the browser. The index is split by term: a query
 * reads the manifest, the buckets of its terms (search/t/<k>.js) and the
 * files of the papers it shows (search/d/<folder>/<n>.js), whatever the size
 * of the archive. From the postings of its terms it builds a small lunr index
 * and queries it with lunr.js, exactly as generator/search.py does with the
 * Python lunr package: both give the same papers in the same order.
 * It is READY as soon as lunr.js and the manifest are loaded; a query sent
 * earlier is answered then. Index files are scripts (not JSON) so they load
 * from file:// too, where Material's offline mode runs workers in an iframe.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var MAX_RESULTS = 50, MAX_WORD = 12, WILDCARD_LENGTH = 4, SNIPPET = 64, BEFORE = 16, WINDOW = 80;
var FIELDS = ["id", "name", "title", "keys", "text"];
// No prototype: a query word such as "constructor" is not a stop word.
var STOP_WORDS = Object.create(null);
("a an and are as at be by for from in into is it of on or the to via with without towards toward we our this that")
  .split(" ").forEach(function (w) { STOP_WORDS[w] = true; });
var LATIN_TERM = /[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*/g;
var HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
var HAN_START = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
var ARXIV_ID = /\d{4}\.\d{4,5}/g;
var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
var DIGIT = {};
for (var a = 0; a < ALPHABET.length; a++) DIGIT[ALPHABET.charAt(a)] = a;
var hasOwn = Object.prototype.hasOwnProperty;

var manifest = null;
var buckets = Object.create(null);  // bucket number -> {term: postings}
var papers = Object.create(null);   // paper number -> [id, title, date, fields, tags, parts]
var lastQuery = null;

function scriptBase() {
  // In a real worker the script's own URL; in Material's iframe shim the
  // worker runs inside the page, so find our <script> element instead.
  if (typeof document !== "undefined") {
    var script = document.querySelector("script[src*='search-worker']");
    if (script) return script.src;
  }
  return self.location.href;
}

var ROOT = new URL("../../", scriptBase()).href;

function parseScript(text) {
  // The payload of a generated index script: "(self.NAME=self.NAME||[]).push(JSON);"
  return { name: text.slice(6, text.indexOf("=")), payload: JSON.parse(text.slice(text.indexOf(").push(") + 7, text.lastIndexOf(");"))) };
}

function loadScripts(paths) {
  // All at once: script elements in the offline frame, fetch in a worker
  // (importScripts would fetch one after the other).
  var urls = paths.map(function (path) { return new URL(path, ROOT).href; });
  if (!urls.length) return Promise.resolve();
  if (typeof document !== "undefined") {
    return Promise.all(urls.map(function (url) {
      return new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("cannot load " + url)); };
        document.head.appendChild(script);
      });
    }));
  }
  if (typeof fetch === "function" && /^https?:/.test(ROOT)) {
    return Promise.all(urls.map(function (url) {
      return fetch(url).then(function (response) {
        if (!response.ok) throw new Error("cannot load " + url + ": HTTP " + response.status);
        return response.text();
      }).then(function (text) {
        var script = parseScript(text);
        (self[script.name] = self[script.name] || []).push(script.payload);
      });
    }));
  }
  return Promise.resolve(importScripts.apply(null, urls));
}

function takeLoaded() {
  (self.__paperSearchBucket || []).splice(0).forEach(function (p) { buckets[p.bucket] = p.terms; });
  (self.__paperSearchDoc || []).splice(0).forEach(function (p) { papers[p.n] = p.doc; });
}

function termKey(term) {
  // As generator/tokens.py: term_key.
  if (HAN_START.test(term)) return term.slice(0, 2);
  return /^\d{4}\.\d{4,5}$/.test(term) ? term : term.slice(0, WILDCARD_LENGTH);
}

function termBucket(term, count) {
  // FNV-1a over the UTF-16 code units of the key, as generator/tokens.py: term_bucket.
  var key = termKey(term), hash = 0x811c9dc5;
  for (var i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}

function decodePostings(text) {
  // As generator/search_index.py: decode_postings -> [[paper, field, weight in thousandths], ...]
  var values = [], value = 0, shift = 0;
  for (var i = 0; i < text.length; i++) {
    var digit = DIGIT[text.charAt(i)];
    value += (digit & 31) * Math.pow(2, shift);
    if (digit & 32) shift += 5; else { values.push(value); value = 0; shift = 0; }
  }
  var rows = [], number = 0;
  for (var j = 0; j < values.length; j += 2) {
    number += Math.floor(values[j] / 8);
    rows.push([number, values[j] % 8, values[j + 1]]);
  }
  return rows;
}

function latinTerms(text) {
  var terms = [];
  (text.match(LATIN_TERM) || []).forEach(function (match) {
    var word = match.toLowerCase().replace(/^[-_.]+|[-_.]+$/g, "");
    if (!word || STOP_WORDS[word]) return;
    terms.push(word);
    var parts = word.split(/[-_.]/).filter(Boolean);
    if (parts.length > 1) parts.forEach(function (p) { if (!STOP_WORDS[p]) terms.push(p); });
  });
  return terms;
}

function segment(run, has) {
  // Longest match against the index's words, as generator/search.py: segment.
  var words = [], i = 0;
  while (i < run.length) {
    var matched = false;
    for (var j = Math.min(run.length, i + MAX_WORD); j > i; j--) {
      if (has(run.slice(i, j))) { words.push(run.slice(i, j)); i = j; matched = true; break; }
    }
    if (!matched) i++;
  }
  return words;
}

function parseQuery(query) {
  query = query.normalize("NFKC");
  var ids = query.match(ARXIV_ID) || [];
  var rest = query.replace(ARXIV_ID, " ");
  return { ids: ids, latin: latinTerms(rest), han: rest.match(HAN_RUN) || [], words: [] };
}

function unique(items) {
  return items.filter(function (item, i) { return items.indexOf(item) === i; });
}

function loadBuckets(numbers) {
  var missing = unique(numbers).filter(function (n) { return !(n in buckets); });
  return loadScripts(missing.map(function (n) { return "search/t/" + n + ".js"; })).then(takeLoaded);
}

function hasTerm(term) {
  // Whether the index holds a term; throws the bucket to load when it is not loaded yet.
  var number = termBucket(term, manifest.buckets);
  if (!(number in buckets)) throw { bucket: number };
  return hasOwn.call(buckets[number], term);
}

async function segmentLoading(run) {
  // Segmentation reads the bucket of each position's first two characters:
  // load what it asks for and start again (a query run is a few characters).
  for (;;) {
    try { return segment(run, hasTerm); } catch (missing) {
      if (!missing || missing.bucket === undefined) throw missing;
      await loadBuckets([missing.bucket]);
    }
  }
}

function queryClauses(parsed) {
  // As generator/search.py: query_clauses.
  var clauses = parsed.ids.map(function (id) { return { term: id, boost: 100, fields: ["id"] }; });
  unique(parsed.latin).forEach(function (term) {
    clauses.push({ term: term, boost: 10 });
    if (term.length >= WILDCARD_LENGTH) clauses.push({ term: term, boost: 1, wildcard: true });
  });
  parsed.words.forEach(function (word) { clauses.push({ term: word, boost: 5 }); });
  return clauses;
}

function lunrIndex(postings) {
  // As generator/search_index.py: lunr_index (an index of the query's terms only).
  var terms = Object.keys(postings).sort(), vectors = {}, order = [], inverted = [];
  terms.forEach(function (term, index) {
    var posting = { _index: index };
    FIELDS.forEach(function (field) { posting[field] = {}; });
    postings[term].forEach(function (row) {
      var key = FIELDS[row[1]] + "/" + row[0];
      posting[FIELDS[row[1]]][row[0]] = {};
      if (!vectors[key]) { vectors[key] = []; order.push(key); }
      vectors[key].push(index, row[2] / 1000);
    });
    inverted.push([term, posting]);
  });
  return {
    version: lunr.version, fields: FIELDS, pipeline: [], invertedIndex: inverted,
    fieldVectors: order.map(function (key) { return [key, vectors[key]]; })
  };
}

function rank(clauses) {
  // [{number, score}] best first; equal scores (to 1e-6) newest first, as generator/search.py: rank.
  if (!clauses.length) return [];
  var postings = {};
  clauses.forEach(function (clause) {
    var bucket = buckets[termBucket(clause.term, manifest.buckets)] || {};
    var names = clause.wildcard
      ? Object.keys(bucket).filter(function (term) { return term.lastIndexOf(clause.term, 0) === 0; })
      : hasOwn.call(bucket, clause.term) ? [clause.term] : [];
    names.forEach(function (term) { if (!hasOwn.call(postings, term)) postings[term] = decodePostings(bucket[term]); });
  });
  var index = lunr.Index.load(lunrIndex(postings));
  var results = index.query(function (q) {
    clauses.forEach(function (clause) {
      var options = { boost: clause.boost, wildcard: clause.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE };
      if (clause.fields) options.fields = clause.fields;
      q.term(clause.term, options);
    });
  });
  var rounded = function (score) { return Math.round(score * 1e6) / 1e6; };
  return results.map(function (r) { return { number: +r.ref, score: r.score }; })
    .sort(function (a, b) { return rounded(b.score) - rounded(a.score) || b.number - a.number; });
}

async function ranked(query) {
  // The parsed query and its ranked papers, loading the buckets it needs.
  var parsed = parseQuery(query || "");
  var latin = unique(parsed.latin);
  await loadBuckets(parsed.ids.concat(latin).map(function (term) { return termBucket(term, manifest.buckets); }));
  for (var r = 0; r < parsed.han.length; r++) parsed.words = parsed.words.concat(await segmentLoading(parsed.han[r]));
  return { parsed: parsed, hits: rank(queryClauses(parsed)) };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function queryWords(parsed) {
  var words = parsed.latin.concat(parsed.ids).filter(function (w) { return w.length > 1; });
  return words.concat(parsed.han, parsed.words || []);
}

function highlight(text, parsed) {
  // Words are found in the text itself, then each piece is escaped: a match
  // never cuts through an entity such as "&amp;" that escaping made.
  text = String(text);
  var words = unique(queryWords(parsed));
  if (!words.length) return escapeHtml(text);
  words.sort(function (a, b) { return b.length - a.length; });
  var pattern = new RegExp(words.map(escapeRegExp).join("|"), "gi");
  var html = "", position = 0, match;
  while ((match = pattern.exec(text)) !== null) {
    html += escapeHtml(text.slice(position, match.index)) + "<mark>" + escapeHtml(match[0]) + "</mark>";
    position = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(position));
}

function cut(text, start, end) {
  // text[start:end] without splitting a surrogate pair, with "…" where it was cut.
  if (start > 0 && /[\udc00-\udfff]/.test(text.charAt(start))) start--;
  if (end < text.length && /[\udc00-\udfff]/.test(text.charAt(end))) end++;
  return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
}

function snippet(doc, parsed) {
  // "<part> · …words in context…" from the part holding most of the query's
  // words (the first such part); without any, the start of the contribution.
  var parts = doc[5] || [], words = unique(queryWords(parsed)).map(function (w) { return w.toLowerCase(); });
  var best = null, bestCount = 0, bestAt = 0;
  parts.forEach(function (part) {
    var text = part[1].toLowerCase(), count = 0, at = -1;
    words.forEach(function (word) {
      var i = text.indexOf(word);
      if (i >= 0) { count++; if (at < 0 || i < at) at = i; }
    });
    if (count > bestCount) { best = part; bestCount = count; bestAt = at; }
  });
  if (!best) {
    var lead = parts.filter(function (part) { return part[0] === "核心贡献"; })[0] || parts[0];
    return lead ? highlight(cut(lead[1], 0, SNIPPET), parsed) : "";
  }
  var start = Math.max(0, bestAt - BEFORE);
  return escapeHtml(best[0]) + " · " + highlight(cut(best[1], start, start + WINDOW), parsed);
}

function item(doc, score, parsed) {
  // doc: [arxiv id, title, date, fields, tags, [[part heading, text], ...]]
  return [{
    location: "papers/" + doc[0] + "/",
    title: highlight(doc[1], parsed),
    text: "<p>" + escapeHtml(doc[2]) + " · " + escapeHtml(doc[0]) + " · " + snippet(doc, parsed) + "</p>",
    score: score,
    terms: {}
  }];
}

async function search(query) {
  // A query typed over (each keystroke is a query) fetches no papers: the
  // newest query's are what is shown, and a phone pays for every file.
  if (query !== lastQuery) return null;
  var result = await ranked(query);
  if (query !== lastQuery) return null;
  var top = result.hits.slice(0, MAX_RESULTS);
  var folder = manifest.folder;
  await loadScripts(top.filter(function (hit) { return !(hit.number in papers); }).map(function (hit) {
    return "search/d/" + Math.floor(hit.number / folder) + "/" + hit.number + ".js";
  }));
  takeLoaded();
  return { items: top.map(function (hit) { return item(papers[hit.number], hit.score, result.parsed); }) };
}

async function start() {
  // lunr.js defines a global: importScripts (a promise in the offline frame).
  await importScripts(new URL("assets/javascripts/lunr.js", ROOT).href);
  await loadScripts(["search/manifest.js"]);
  manifest = (self.__paperSearchManifest || []).pop();
  if (!manifest) throw new Error("no search/manifest.js");
}

// Start loading as soon as the worker starts, while the page still fetches
// the theme's own index for the SETUP message.
var started = start();
started.catch(function (error) { console.error("paper search:", error); });

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    started.then(function () { postMessage({ type: READY }); }, function () { postMessage({ type: READY }); });
  } else if (message.type === QUERY) {
    var query = lastQuery = message.data;
    started.then(function () { return search(query); }).then(function (data) {
      // Only the newest query is answered: an older one may finish later.
      if (data && query === lastQuery) postMessage({ type: RESULT, data: data });
    }).catch(function (error) { console.error("paper search:", error); });
  }
});
