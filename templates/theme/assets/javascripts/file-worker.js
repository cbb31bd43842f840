/*
 * Runs before the theme's bundle, in the head after its links.
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
