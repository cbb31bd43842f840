/*
 * Paper search worker for Material for MkDocs.
 *
 * Material runs search in a web worker whose URL comes from the theme's
 * config block (templates/theme/main.html points it here). This worker
 * answers the same messages as Material's own (numeric types, pinned in
 * tests/test_search_worker.py):
 *   SETUP  {type: 0, data: {config, docs, options}}  -> READY {type: 1}
 *   QUERY  {type: 2, data: "query"}                   -> RESULT {type: 3, data: {items: [[item]]}}
 * but searches the prebuilt paper index (search/manifest.js and one
 * search/shard-<month>.js per month, newest first) instead of indexing
 * every page in the browser. It is READY once the newest shard is loaded;
 * older shards load afterwards and the last query is answered again.
 * Shards are scripts (not JSON) so they load from file:// too, where
 * Material's offline mode runs workers in an iframe.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var MAX_RESULTS = 50;
var K1 = 1.2, B = 0.75;
// No prototype: a query word such as "constructor" is not a stop word.
var STOP_WORDS = Object.create(null);
("a an and are as at be by for from in into is it of on or the to via with without towards toward we our this that")
  .split(" ").forEach(function (w) { STOP_WORDS[w] = true; });
var LATIN_TERM = /[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*/g;
var HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
var ARXIV_ID = /\d{4}\.\d{4,5}/g;

var shards = [];       // [{docs, index}] newest first
var htmlUrls = false;  // offline builds use "papers/<id>.html"
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

function load(path) {
  // importScripts is synchronous in a worker and returns a promise in the shim.
  return Promise.resolve(importScripts(new URL(path, ROOT).href));
}

function expandIndex(compact) {
  // Mirrors generator/search.py: expand_index (lunr's BM25 with tf = 1).
  var fields = compact.fields, boosts = compact.boosts, lengths = compact.lengths;
  var count = lengths.length, average = [];
  for (var f = 0; f < fields.length; f++) {
    var total = 0;
    for (var d = 0; d < count; d++) total += lengths[d][f];
    average.push(count ? total / count : 0);
  }
  var vectors = {};
  var inverted = compact.terms.map(function (row, termIndex) {
    var posting = { _index: termIndex }, frequency = 0;
    for (var f = 0; f < fields.length; f++) if (row[f + 1]) frequency += row[f + 1].length;
    var idf = Math.log(1 + Math.abs((count - frequency + 0.5) / (frequency + 0.5)));
    for (var f = 0; f < fields.length; f++) {
      var refs = row[f + 1] || [], field = {};
      for (var r = 0; r < refs.length; r++) {
        var ref = refs[r], key = fields[f] + "/" + ref;
        field[ref] = {};
        var norm = K1 * (1 - B + B * (lengths[ref][f] / average[f])) + 1;
        (vectors[key] = vectors[key] || []).push(termIndex, Math.round(idf * (K1 + 1) / norm * boosts[f] * 1000) / 1000);
      }
      posting[fields[f]] = field;
    }
    return [row[0], posting];
  });
  var fieldVectors = [];
  for (var d = 0; d < count; d++)
    for (var f = 0; f < fields.length; f++) fieldVectors.push([fields[f] + "/" + d, vectors[fields[f] + "/" + d] || []]);
  return lunr.Index.load({ version: lunr.version, fields: fields, fieldVectors: fieldVectors, invertedIndex: inverted, pipeline: [] });
}

function takeShards() {
  var loaded = self.__paperSearchShard || [];
  self.__paperSearchShard = [];
  loaded.forEach(function (payload) {
    shards.push({ docs: payload.docs, index: expandIndex(payload.index) });
  });
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

function segment(run, vocabulary) {
  // Longest match against the index's words, as generator/search.py: segment.
  var words = [], i = 0;
  while (i < run.length) {
    var matched = false;
    for (var j = Math.min(run.length, i + 12); j > i; j--) {
      if (Object.prototype.hasOwnProperty.call(vocabulary, run.slice(i, j))) {
        words.push(run.slice(i, j)); i = j; matched = true; break;
      }
    }
    if (!matched) i++;
  }
  return words;
}

function parseQuery(query) {
  query = query.normalize("NFKC");
  var ids = query.match(ARXIV_ID) || [];
  var rest = query.replace(ARXIV_ID, " ");
  return { ids: ids, latin: latinTerms(rest), han: rest.match(HAN_RUN) || [] };
}

function searchShard(shard, parsed) {
  var vocabulary = shard.index.invertedIndex, clauses = 0;
  var results = shard.index.query(function (q) {
    parsed.ids.forEach(function (id) { q.term(id, { fields: ["id"], boost: 100 }); clauses++; });
    Array.from(new Set(parsed.latin)).forEach(function (term) {
      q.term(term, { boost: 10 }); clauses++;
      if (term.length >= 3) q.term(term, { wildcard: lunr.Query.wildcard.TRAILING, boost: 1 });
    });
    parsed.han.forEach(function (run) {
      segment(run, vocabulary).forEach(function (word) { q.term(word, { boost: 5 }); clauses++; });
    });
  });
  return clauses ? results : [];
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function highlight(text, parsed) {
  // Words are found in the text itself, then each piece is escaped: a match
  // never cuts through an entity such as "&amp;" that escaping made.
  text = String(text);
  var words = parsed.latin.concat(parsed.ids).filter(function (w) { return w.length > 1; });
  parsed.han.forEach(function (run) { words.push(run); });
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

function search(query) {
  var parsed = parseQuery(query || "");
  var hits = [];
  shards.forEach(function (shard) {
    searchShard(shard, parsed).forEach(function (result) {
      hits.push({ doc: shard.docs[+result.ref], score: result.score });
    });
  });
  hits.sort(function (a, b) { return b.score - a.score || (a.doc[3] < b.doc[3] ? 1 : a.doc[3] > b.doc[3] ? -1 : 0); });
  return {
    items: hits.slice(0, MAX_RESULTS).map(function (hit) {
      var doc = hit.doc; // [arxiv id, title, snippet, date, fields, tags]
      return [{
        location: "papers/" + doc[0] + (htmlUrls ? ".html" : "/"),
        title: highlight(doc[1], parsed),
        text: "<p>" + escapeHtml(doc[3]) + " · " + escapeHtml(doc[0]) + " · " + highlight(doc[2], parsed) + "</p>",
        score: hit.score,
        terms: {}
      }];
    })
  };
}

var manifest = null;

async function loadNewest() {
  await load("assets/javascripts/lunr.js");
  await load("search/manifest.js");
  manifest = (self.__paperSearchManifest || []).pop() || { shards: [] };
  if (manifest.shards.length) {
    await load("search/" + manifest.shards[0].file);
    takeShards();
  }
}

// Start loading as soon as the worker starts, while the page still fetches
// the theme's own index for the SETUP message.
var newest = loadNewest();

async function setup(data) {
  var docs = (data && data.docs) || [];
  htmlUrls = docs.some(function (doc) { return /\.html(#|$)/.test(doc.location); });
  await newest;
  postMessage({ type: READY });
  for (var i = 1; i < manifest.shards.length; i++) {
    // Let queued queries through between shards: importScripts blocks the
    // worker, and awaiting a resolved promise alone would not yield to them.
    await new Promise(function (resolve) { setTimeout(resolve, 0); });
    await load("search/" + manifest.shards[i].file);
    takeShards();
    if (lastQuery !== null) postMessage({ type: RESULT, data: search(lastQuery) });
  }
}

addEventListener("message", function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    setup(message.data).catch(function (error) { console.error("paper search:", error); postMessage({ type: READY }); });
  } else if (message.type === QUERY) {
    lastQuery = message.data;
    postMessage({ type: RESULT, data: search(message.data) });
  }
});
