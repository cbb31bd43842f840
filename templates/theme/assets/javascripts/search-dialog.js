{#- Rendered by MkDocs as a theme static template (mkdocs.yml: theme.static_templates), once a
    build, from Material's partials/search.html with its strings in the theme's language. The
    header of every page loads it where the dialog goes (partials/search.html): the dialog's
    1.4 KB of markup are then written once, not into each of ~70,000 pages. It runs before the
    theme's bundle, which finds the dialog by its data-md-component attributes as if written in
    the page; without scripts there is no search either way. Only theme strings go in here,
    escaped for HTML, then for a JavaScript string. -#}
{%- import "partials/language.html" as lang with context -%}
{%- set search = lang.t("search") | e -%}
{%- set placeholder = lang.t("search.placeholder") | e -%}
{%- set reset = lang.t("search.reset") | e -%}
document.currentScript.insertAdjacentHTML("beforebegin", {{ (
'<div class="md-search" data-md-component="search" role="dialog" aria-label="' ~ search ~ '">'
~ '<label class="md-search__overlay" for="__search"></label>'
~ '<div class="md-search__inner" role="search">'
~ '<form class="md-search__form" name="search">'
~ '<input type="text" class="md-search__input" name="query" aria-label="' ~ placeholder ~ '" placeholder="' ~ placeholder
~ '" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" data-md-component="search-query" required>'
~ '<label class="md-search__icon md-icon dp-icon--search" for="__search"></label>'
~ '<nav class="md-search__options" aria-label="' ~ search ~ '">'
~ '<button type="reset" class="md-search__icon md-icon dp-icon--close" title="' ~ reset ~ '" aria-label="' ~ reset ~ '" tabindex="-1"></button>'
~ '</nav></form>'
~ '<div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>'
~ '<div class="md-search-result" data-md-component="search-result">'
~ '<div class="md-search-result__meta">' ~ (lang.t("search.result.initializer") | e) ~ '</div>'
~ '<ol class="md-search-result__list" role="presentation"></ol>'
~ '</div></div></div></div></div>'
) | tojson }});
