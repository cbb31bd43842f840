{#- Rendered by MkDocs as a theme static template (mkdocs.yml: theme.static_templates), once a
    build: the palette toggle of partials/palette.html and the theme's palette restore, written
    where the header loads this script instead of into each of ~70,000 pages. It runs before
    the page is painted (no flash of the other scheme) and before the theme's bundle, which reads
    the form by its data-md-component attribute. One toggle for the two schemes of mkdocs.yml,
    which must be exactly two: Material's palette code sets the `hidden` attribute of each
    radio input's next sibling, so the label comes first, nobody's next sibling (extra.css keeps
    the second input focusable). The label switches to the other scheme and is named after the
    current one. -#}
{%- set inputs = [] -%}
{%- for option in config.theme.palette -%}
{%- set _ = inputs.append('<input class="md-option" data-md-color-media="' ~ (option.media | e)
  ~ '" data-md-color-scheme="' ~ (option.scheme | d('default', true) | replace(' ', '-') | e)
  ~ '" data-md-color-primary="' ~ (option.primary | d('indigo', true) | replace(' ', '-') | e)
  ~ '" data-md-color-accent="' ~ (option.accent | d('indigo', true) | replace(' ', '-') | e)
  ~ '" aria-label="' ~ (option.toggle.name | e if option.toggle else '')
  ~ '" type="radio" name="__palette" id="__palette_' ~ loop.index0 ~ '">') -%}
{%- endfor -%}
document.currentScript.insertAdjacentHTML("beforebegin", {{ ('<form class="md-header__option" data-md-component="palette"><label class="md-header__button md-icon dp-palette"></label>' ~ inputs | join ~ '</form>') | tojson }});
var palette=__md_get("__palette");if(palette&&palette.color)for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value);(f=>{var l=f.querySelector("label"),[a,b]=f.querySelectorAll("input"),o=()=>a.dataset.mdColorScheme==document.body.dataset.mdColorScheme?b:a,t=e=>l.title=e.getAttribute("aria-label");t(o()==a?b:a);f.addEventListener("change",e=>t(e.target));l.addEventListener("click",()=>o().click())})(document.currentScript.previousElementSibling);
