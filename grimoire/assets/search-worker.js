// Grimoire's search worker: answers Material for MkDocs' search UI from Pagefind.
//
// Material's main script starts the worker named by `search` in the page's
// <script id="__config"> (the build points it here) and speaks a small
// protocol to it: SETUP (0, the stub search_index.json, which holds no
// documents) is answered READY (1); each QUERY (2, the text of the search
// box) is answered RESULT (3) with groups of items, one group per page: the
// page itself, then its sections, each {location, title, text, score, terms}.
// Titles and texts are HTML (Material inserts them as such): every piece of
// page text is escaped here, and only the <mark> elements around matched
// words, the <p> around an excerpt, are markup.
//
// Pagefind's script, WebAssembly and index fragments are fetched on the first
// query only, then only the fragments each query needs. Pagefind's own
// excerpts are not used: it escapes < and > but not &, so its excerpt of
// "&lt;" would show "<"; excerpts are cut here from the page text instead.
// Suggestions (Material's search.suggest) are not given: Pagefind has none.
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var MAX_RESULTS = 20;      // pages whose fragments a query loads (Material shows 10, then more on scroll)
var MAX_NAMED = 3;         // pages looked up by name (a name belongs to one page: more is a clash)
var KEY_START = "zqn", KEY_END = "zqx";  // as page_markup.KEY_START, KEY_END
var EXCERPT_WORDS = 30;    // Pagefind's default excerpt length
var CONTEXT_WORDS = 6;     // words kept before the first match
// A term's names (title, aliases) rank it first for its name or abbreviation;
// a page title outranks mere mentions in the text.
var RANKING = { metaWeights: { names: 40.0, title: 10.0 } };

var pagefindUrl = new URL("../pagefind/", self.location.href).href;
var pagefind = null;
var latest = 0;

function loadPagefind() {
  if (!pagefind) {
    pagefind = import(pagefindUrl + "pagefind.js").then(function (module) {
      return module.options({ basePath: pagefindUrl, baseUrl: "/", ranking: RANKING }).then(function () {
        return module.init();
      }).then(function () { return module; });
    });
    pagefind.catch(function () { pagefind = null; });  // a failed load (offline) is tried again
  }
  return pagefind;
}

function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// A matched word marked without the punctuation around it: "(<mark>MoE</mark>)", "<mark>wall</mark>,".
function markWord(word) {
  var parts = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(word);
  if (!parts || !parts[2]) return "<mark>" + escapeHtml(word) + "</mark>";
  return escapeHtml(parts[1]) + "<mark>" + escapeHtml(parts[2]) + "</mark>" + escapeHtml(parts[3]);
}

// The words of the page text from `start` to `end` around its matches, the matched ones marked.
function excerpt(words, start, end, marked) {
  var first = end;
  marked.forEach(function (at) { if (at >= start && at < end && at < first) first = at; });
  var from = first === end ? start : Math.max(start, first - CONTEXT_WORDS);
  var to = Math.min(end, from + EXCERPT_WORDS);
  var out = [];
  for (var i = from; i < to; i++) {
    if (!words[i]) continue;
    out.push(marked.has(i) ? markWord(words[i]) : escapeHtml(words[i]));
  }
  return out.length ? "<p>" + out.join(" ") + "</p>" : "";
}

function sitePath(url) {
  return String(url).replace(/^\/+/, "");
}

// One Material group: the page (its lead paragraph as its text), then the sections holding matches.
function group(data, score, terms) {
  var words = String(data.content || "").split(/[\r\n\s]+/g);
  var marked = new Set(data.locations || []);
  var headings = (data.anchors || []).filter(function (a) { return /^h[1-6]$/i.test(a.element) && a.id; })
    .sort(function (a, b) { return a.location - b.location; });
  var lead = headings.length && headings[0].element.toLowerCase() === "h1" ? headings[0] : null;
  var leadEnd = headings.filter(function (h) { return h !== lead; }).map(function (h) { return h.location; })[0];
  if (leadEnd === undefined) leadEnd = words.length;
  // Excerpts start after their heading, which the result shows as its title.
  function bodyStart(heading) {
    return heading ? heading.location + String(heading.text || "").split(/\s+/).filter(Boolean).length : 0;
  }
  var page = {
    location: sitePath(data.raw_url || data.url),
    title: escapeHtml((data.meta && data.meta.title) || (lead && lead.text) || data.url),
    text: excerpt(words, Math.min(bodyStart(lead), leadEnd), leadEnd, marked),
    score: score,
    terms: terms,
  };
  var sections = [];
  var total = marked.size || 1;
  headings.forEach(function (heading, i) {
    if (heading === lead) return;
    var end = i + 1 < headings.length ? headings[i + 1].location : words.length;
    var hits = 0;
    marked.forEach(function (at) { if (at >= heading.location && at < end) hits++; });
    if (!hits) return;
    sections.push({
      location: page.location + "#" + encodeURIComponent(heading.id),
      title: escapeHtml(heading.text),
      text: excerpt(words, Math.min(bodyStart(heading), end), end, marked),
      // Below the page's own score, so Material shows the page's lead and folds sections under "more".
      score: score * 0.9 * hits / total,
      terms: terms,
    });
  });
  sections.sort(function (a, b) { return b.score - a.score; });
  return [page].concat(sections);
}

// A name or query as words: case, hyphens, spaces and punctuation make no difference.
function words(text) {
  return String(text).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(" ");
}

function names(data) {
  try {
    var list = JSON.parse((data.meta && data.meta.names) || "[]");
    return Array.isArray(list) ? list.map(words) : [];
  } catch (error) {
    return [];
  }
}

// The query as the key word of a name (page_markup.name_key): only a page so named has it.
function nameKey(query) {
  return KEY_START + words(query).replace(/ /g, "") + KEY_END;
}

// Pagefind weighs a term's names as one field, so "Tikhonov regularization" matches the
// names of a page with the alias "Tikhonov penalty" and the title "L2 regularization" as
// well as those of the page so named, and among thousands of pages the named one may not
// even be in the first results: it is looked up by its key, and goes first, with the
// highest score too (Enter in the search box opens the result scored highest).
function namedFirst(named, pages, query) {
  var wanted = words(query);
  named = named.filter(function (p) { return names(p.data).indexOf(wanted) >= 0; });
  var top = Math.max.apply(null, [0].concat(pages.concat(named).map(function (p) { return p.score; })));
  named.forEach(function (p) { p.score += top; });
  var ids = named.map(function (p) { return p.id; });
  return named.concat(pages.filter(function (p) { return ids.indexOf(p.id) < 0; }));
}

function queryTerms(query) {
  var terms = {};
  query.toLowerCase().split(/\s+/).forEach(function (word) { if (word) terms[word] = true; });
  return terms;
}

function search(query, id) {
  if (!query.trim()) return Promise.resolve({ items: [] });
  return loadPagefind().then(function (pf) {
    return Promise.all([pf.search(query), pf.search(nameKey(query))]);
  }).then(function (found) {
    if (id !== latest || !found[0] || !found[1]) return null;  // a newer query is on its way
    var named = found[1].results.slice(0, MAX_NAMED);
    var results = found[0].results.slice(0, MAX_RESULTS);
    return Promise.all(named.concat(results).map(function (r) {
      return r.data().then(function (data) { return { id: r.id, data: data, score: r.score }; });
    })).then(function (pages) {
      var terms = queryTerms(query);
      var ranked = namedFirst(pages.slice(0, named.length), pages.slice(named.length), query).slice(0, MAX_RESULTS);
      return { items: ranked.map(function (p) { return group(p.data, p.score, terms); }) };
    });
  });
}

// One search at a time, and of the queries typed meanwhile only the last: Material sends one
// per key, and a search of a one-letter prefix, matching most pages, must not delay the
// search of the whole word typed after it.
var running = false;
var pending = null;

function runNext() {
  if (running || !pending) return;
  var job = pending;
  pending = null;
  running = true;
  search(job.query, job.id).then(function (result) {
    if (result && job.id === latest) postMessage({ type: RESULT, data: result });
  }, function (error) {
    console.warn("Grimoire search: " + (error && error.message ? error.message : error));
    if (job.id === latest) postMessage({ type: RESULT, data: { items: [] } });
  }).then(function () {
    running = false;
    runNext();
  });
}

addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type === SETUP) {
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    pending = { query: String(message.data || ""), id: ++latest };
    runNext();
  }
});
