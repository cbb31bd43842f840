// MathJax settings for pymdownx.arithmatex (generic mode); must load before MathJax.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
    // Digest math is untrusted: no \\href or \\class links, no loading of extensions.
    packages: { "[-]": ["html", "require"] }
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex"
  },
  svg: { fontCache: "global" }
};

// Material's instant navigation swaps pages without reloading: typeset again.
if (typeof document$ !== "undefined") {
  document$.subscribe(function () {
    var mathjax = window.MathJax;
    if (mathjax && mathjax.typesetPromise) {
      if (mathjax.typesetClear) mathjax.typesetClear();
      if (mathjax.texReset) mathjax.texReset();
      mathjax.typesetPromise();
    }
  });
}
