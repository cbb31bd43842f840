/*
 * Runs before the theme's bundle, in the head after its links: the feed
 * links, and, for pages opened from disk (the offline copy), workers and
 * links to folders.
 *
 * Feed links: the theme takes every <link rel="alternate"> for another
 * language of the site and asks for a sitemap.xml beside it. Beside the
 * feeds there is none (feeds/fields/sitemap.xml is a 404 when served, and
 * from file:// the request is refused): a console error on every page. Feed
 * readers read the page as served; in the page the theme reads, the feed
 * links carry one more token and no longer match its `link[rel=alternate]`.
 */
(function () {
  "use strict";
  var feeds = document.querySelectorAll('link[rel="alternate"][type="application/rss+xml"]');
  Array.prototype.forEach.call(feeds, function (link) { link.setAttribute("rel", "alternate feed"); });
})();

/*
 * Web workers for pages opened from disk (file://), where browsers refuse
 * `new Worker(url)`. Replaces window.Worker there with one that runs the
 * worker script in a hidden same-origin frame: the frame's postMessage
 * answers the page, importScripts loads scripts in order and returns a
 * promise (the search worker awaits it). Served pages keep real workers.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  function FrameWorker(url) {
    var listeners = [], queue = [], started = false, self = this;
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.title = "search";
    document.body.appendChild(frame);
    var scope = frame.contentWindow, doc = scope.document;

    function deliver(data) {
      var event = { data: data, target: self };
      if (typeof self.onmessage === "function") self.onmessage(event);
      listeners.slice().forEach(function (listener) { listener.call(self, event); });
    }
    scope.postMessage = function (data) { setTimeout(function () { deliver(data); }, 0); };
    scope.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (chain, src) {
        return chain.then(function () {
          return new Promise(function (resolve, reject) {
            var script = doc.createElement("script");
            script.src = new URL(src, location.href).href;
            script.onload = resolve;
            script.onerror = function () { reject(new Error("cannot load " + src)); };
            doc.head.appendChild(script);
          });
        });
      }, Promise.resolve());
    };
    function send(data) { scope.dispatchEvent(new scope.MessageEvent("message", { data: data })); }

    this.onmessage = null;
    this.postMessage = function (data) { started ? send(data) : queue.push(data); };
    this.addEventListener = function (type, listener) { if (type === "message") listeners.push(listener); };
    this.removeEventListener = function (type, listener) {
      listeners = listeners.filter(function (l) { return l !== listener; });
    };
    this.terminate = function () { frame.remove(); };

    var script = doc.createElement("script");
    script.src = new URL(url, location.href).href;
    script.onload = function () { started = true; queue.splice(0).forEach(send); };
    doc.head.appendChild(script);
  }

  window.Worker = FrameWorker;
})();

/*
 * Links to folders for pages opened from disk (file://). The site links
 * pages by folder ("papers/2601.04211/", "..", "../.."), which a web server
 * answers with the folder's index.html and a browser reading files answers
 * with a file listing. There, each such link is pointed at the folder's
 * index.html, its query and fragment kept: every link of the page once it
 * is parsed (so hovering or copying one shows where it leads), and any link
 * at the moment it is clicked, middle-clicked or opened from the context
 * menu, which covers links drawn later (search results, the 我的 page) and
 * links inside SVG. Links to other schemes (https:, mailto:), to a file
 * ("feed.xml", "x/index.html") and within the page ("#x", "?q") are left
 * as they are. Served pages keep their links.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;

  // "papers/x/#part" -> "papers/x/index.html#part", ".." -> "../index.html"; null: leave it.
  function fileHref(href) {
    if (!href) return null;
    var end = href.search(/[?#]/);
    var path = end < 0 ? href : href.slice(0, end), rest = end < 0 ? "" : href.slice(end);
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^file:/i.test(path)) return null;
    if (/(?:^|\/)\.\.?$/.test(path)) path += "/";
    else if (!/\/$/.test(path)) return null;
    return path + "index.html" + rest;
  }
  function fix(link) {
    var href = fileHref(link.getAttribute("href"));
    if (href !== null) link.setAttribute("href", href);
  }
  // Capturing, on the document: before the theme's handlers and the browser's default action.
  function clicked(event) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (link) fix(link);
  }
  ["click", "auxclick", "contextmenu"].forEach(function (type) { document.addEventListener(type, clicked, true); });
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), fix);
  });
})();
