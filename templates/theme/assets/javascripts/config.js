{#- Rendered by MkDocs as a theme static template (mkdocs.yml: theme.static_templates), once a
    build: Material's __config, which its bundle reads when it starts, written by the script
    element that loads this file (templates/theme/main.html) instead of into each of ~70,000
    pages. Only the base differs from page to page: the theme's __md_scope, the site's root as
    seen from the page, which the bundle makes absolute anyway. "search" is the paper search
    worker (assets/javascripts/search-worker.js), not the theme's. The translations are the
    theme's own strings; annotate, tags and version are written only when set: the bundle reads
    each as "absent or null" (`t.annotate&&...`, `(o=t.version)==null`, `a?c in a:...`), and the
    worker never reads them. -#}
{%- import "partials/language.html" as lang with context -%}
{%- set keys = ["clipboard.copy", "clipboard.copied", "search.result.placeholder", "search.result.none",
                "search.result.one", "search.result.other", "search.result.more.one",
                "search.result.more.other", "search.result.term.missing", "select.version"] -%}
{%- set settings = {"features": config.theme.features or [], "translations": {}} -%}
{%- for key in keys %}{% set _ = settings.translations.update({key: lang.t(key) | string}) %}{% endfor -%}
{%- for key in ["annotate", "tags", "version"] if config.extra[key] %}{% set _ = settings.update({key: config.extra[key]}) %}{% endfor -%}
(function () {
  var config = {{ settings | tojson }}, element = document.createElement("script");
  config.base = __md_scope.href;
  config.search = new URL("assets/javascripts/search-worker.js", __md_scope).href;
  element.id = "__config";
  element.type = "application/json";
  element.textContent = JSON.stringify(config);
  document.currentScript.after(element);
})();
