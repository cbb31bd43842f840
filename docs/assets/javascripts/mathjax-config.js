// MathJax settings for pymdownx.arithmatex (generic mode); must load before MathJax.
//
// Digest math is untrusted text that MathJax turns into DOM in the reader's browser, after
// the server-side sanitiser has run. So:
//  * the html and require TeX packages are off (\href, \class, \cssId, \style, \require),
//    cannot be autoloaded, and their files are not shipped;
//  * TeX extensions load only from the allow list below (generator/assets.py ships exactly
//    these files next to tex-svg.js, so MathJax finds them from http:// and file:// alike);
//  * MathJax's ui/safe extension filters what is left (\mmlToken can set href, src, class,
//    id, style, colours): no URLs, no classes, no ids, a few harmless styles, and our own
//    rules below for colours and for any value that could make the browser fetch or run
//    something. If ui/safe cannot load, nothing is typeset (the formulas stay as TeX).
(function () {
  // TeX extensions the autoloader may fetch (and that generator/assets.py ships).
  var extensions = ["action", "amscd", "bbox", "boldsymbol", "braket", "bussproofs", "cancel", "color",
                    "enclose", "extpfeil", "mhchem", "unicode", "verb"];
  var allow = { html: false, require: false };
  for (var i = 0; i < extensions.length; i++) allow[extensions[i]] = true;

  // A colour is a name (red, currentColor) or #hex: never url(...) (SVG paint fetches it).
  var COLOR = /^(?:#[0-9a-f]{3,8}|[a-z]{1,32})$/i;
  // What no attribute value may carry: fetches, script URLs, CSS escapes.
  var ACTIVE = /url\s*\(|image-set\s*\(|image\s*\(|@import|expression\s*\(|javascript:|vbscript:|data:|\\/i;
  var COLOR_ATTRIBUTES = ["mathcolor", "mathbackground", "color", "background"];
  var URL_ATTRIBUTES = ["href", "src", "altimg", "xlink:href"];

  function harden(safe) {
    safe.filterMethods.filterColor = function (_safe, value) {
      return typeof value === "string" && COLOR.test(value.trim()) ? value.trim() : null;
    };
    // No links or images at all, whatever the allow options say.
    safe.filterMethods.filterURL = function () { return null; };
    for (var c = 0; c < COLOR_ATTRIBUTES.length; c++) safe.filterAttributes.set(COLOR_ATTRIBUTES[c], "filterColor");
    for (var u = 0; u < URL_ATTRIBUTES.length; u++) safe.filterAttributes.set(URL_ATTRIBUTES[u], "filterURL");
    var sanitizeNode = safe.sanitizeNode;
    safe.sanitizeNode = function (node) {
      sanitizeNode.call(this, node);
      var attributes = node.attributes.getAllAttributes();
      for (var name in attributes) {
        if (!Object.prototype.hasOwnProperty.call(attributes, name)) continue;
        var value = attributes[name];
        if (/^(?:on|xlink:)/i.test(name) || (typeof value === "string" && ACTIVE.test(value))) {
          delete attributes[name];
        }
      }
    };
  }

  window.MathJax = {
    loader: {
      load: ["ui/safe"],
      // A component that does not load (ui/safe above all) stops MathJax: say so, and settle
      // MathJax.startup.promise instead of leaving it pending.
      failed: function (error) {
        var startup = window.MathJax.startup;
        if (window.console) console.error("MathJax: " + error.message);
        if (startup && startup.promiseReject) startup.promiseReject(error);
      }
    },
    tex: {
      inlineMath: [["\\(", "\\)"]],
      displayMath: [["\\[", "\\]"]],
      processEscapes: true,
      processEnvironments: true,
      packages: { "[-]": ["html", "require"] },
      autoload: { html: [] },
      require: { allow: allow, defaultAllow: false }
    },
    options: {
      ignoreHtmlClass: ".*|",
      processHtmlClass: "arithmatex",
      safeOptions: {
        allow: { URLs: "none", classes: "none", cssIDs: "none", styles: "safe" },
        safeProtocols: { http: false, https: false, file: false, javascript: false, data: false },
        // \bbox's borders and padding, colours and font style; no cursor images, no outline
        // or shadow, no opacity, no margins, no fonts.
        safeStyles: { cursor: false, margin: false, textShadow: false, fontFamily: false, opacity: false,
                      outline: false },
        lengthMax: 1
      }
    },
    svg: { fontCache: "global" },
    startup: {
      ready: function () {
        var startup = window.MathJax.startup;
        if (!window.MathJax._.ui || !window.MathJax._.ui.safe) {
          var error = new Error("MathJax's safe extension did not load: formulas are left as TeX");
          if (startup.promiseReject) startup.promiseReject(error);
          throw error;
        }
        startup.defaultReady();  // makes the document; the first typeset waits for the page
        if (!startup.document || !startup.document.safe) {
          var refuse = function () { return Promise.reject(new Error("MathJax's safe extension is not active")); };
          window.MathJax.typesetPromise = refuse;
          window.MathJax.typeset = refuse;
          return;
        }
        harden(startup.document.safe);
      }
    }
  };
})();

// Material's instant navigation swaps pages without reloading: typeset the new page, after
// whatever MathJax is doing. The first page is MathJax's own startup typeset: typesetting it a
// second time at once races it, and formulas whose macros were being autoloaded (\boldsymbol,
// \color, ...) come out as undefined macros.
(function () {
  if (typeof document$ === "undefined") return;
  var firstPage = true;
  document$.subscribe(function () {
    if (firstPage) {
      firstPage = false;
      return;
    }
    var mathjax = window.MathJax;
    if (!mathjax || !mathjax.startup || !mathjax.startup.promise || !mathjax.typesetPromise) return;
    mathjax.startup.promise = mathjax.startup.promise.then(function () {
      if (mathjax.typesetClear) mathjax.typesetClear();
      if (mathjax.texReset) mathjax.texReset();
      return mathjax.typesetPromise();
    });
  });
})();
