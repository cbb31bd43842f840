"""The MathJax files the site ships, checked against the installed MathJax and our configuration.

MathJax resolves ``[tex]/name`` to ``input/tex/extensions/name.js`` next to tex-svg.js and loads
``ui/safe.js`` the same way; a name it may load that the site lacks is a 404 that stops every
formula of the page. The browser side is tests/test_mathjax.py.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from generator import assets

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "docs" / "assets" / "javascripts" / "mathjax-config.js"
PACKAGE = assets.mathjax_folder().parent  # the mathjax-full source tree django-static-mathjax installs


def _config() -> str:
    return CONFIG.read_text(encoding="utf-8")


def _autoloaded() -> set[str]:
    """The extensions MathJax's autoload package names (its default option), from its source."""
    source = (PACKAGE / "ts" / "input" / "tex" / "autoload" / "AutoloadConfiguration.ts").read_text(encoding="utf-8")
    block = re.search(r"autoload: expandable\(\{(.*?)\}\)", source, re.S).group(1)
    return set(re.findall(r"^\s*([a-z]+):", block, re.M))


def _dependencies() -> dict[str, list[str]]:
    source = (PACKAGE / "components" / "src" / "dependencies.js").read_text(encoding="utf-8")
    block = re.search(r"export const dependencies = \{(.*?)\n\};", source, re.S).group(1)
    return {name: re.findall(r"'([^']+)'", needs) for name, needs in re.findall(r"'([^']+)': \[([^\]]*)\]", block)}


def _in_tex_svg() -> set[str]:
    """Components tex-svg.js carries itself (input/tex provides these)."""
    source = (PACKAGE / "components" / "src" / "dependencies.js").read_text(encoding="utf-8")
    block = re.search(r"'input/tex': \[(.*?)\n\s*\]", source, re.S).group(1)
    return set(re.findall(r"'([^']+)'", block))


def test_mathjax_files_come_from_the_installed_package():
    shipped = assets.site_assets()
    for relative, source in shipped.items():
        assert source.is_file(), relative
        if relative.startswith("assets/mathjax/"):
            assert source.is_relative_to(assets.mathjax_folder())
            assert source.relative_to(assets.mathjax_folder()).as_posix() == relative.removeprefix("assets/mathjax/")
    assert "assets/mathjax/tex-svg.js" in shipped
    assert "assets/mathjax/ui/safe.js" in shipped


def test_every_autoloaded_extension_but_html_is_shipped_with_what_it_needs():
    shipped = {relative.removeprefix("assets/mathjax/input/tex/extensions/").removesuffix(".js")
               for relative in assets.site_assets() if relative.startswith("assets/mathjax/input/tex/extensions/")}
    autoloaded = _autoloaded()
    assert {"boldsymbol", "color", "cancel", "bbox", "html"} <= autoloaded  # the source was read
    bundled = {name.removeprefix("[tex]/") for name in _in_tex_svg()}
    assert "newcommand" in bundled
    assert shipped == autoloaded - {"html"} - bundled
    available = {f"[tex]/{name}" for name in shipped} | _in_tex_svg()
    for name in shipped:
        assert set(_dependencies()[f"[tex]/{name}"]) <= available, name


def test_code_loading_extensions_are_never_shipped():
    for relative in assets.site_assets():
        for name in assets.NEVER_SHIPPED_TEX_EXTENSIONS:
            assert not relative.endswith(f"/extensions/{name}.js"), relative


def test_configuration_allows_exactly_the_shipped_extensions():
    config = _config()
    listed = re.search(r"var extensions = \[(.*?)\];", config, re.S).group(1)
    assert tuple(re.findall(r'"([a-z]+)"', listed)) == assets.MATHJAX_TEX_EXTENSIONS
    assert 'load: ["ui/safe"]' in config
    assert 'packages: { "[-]": ["html", "require"] }' in config
    assert "autoload: { html: [] }" in config
    assert "defaultAllow: false" in config
    assert 'allow: { URLs: "none", classes: "none", cssIDs: "none", styles: "safe" }' in config


def test_copy_site_assets_lays_out_mathjax_as_it_loads_itself(tmp_path):
    assets.copy_site_assets(tmp_path)
    mathjax = tmp_path / "assets" / "mathjax"
    assert (mathjax / "ui" / "safe.js").read_bytes() == (assets.mathjax_folder() / "ui" / "safe.js").read_bytes()
    for name in ("boldsymbol", "color", "cancel", "bbox", "enclose", "mhchem"):
        assert (mathjax / "input" / "tex" / "extensions" / f"{name}.js").is_file(), name
    assert not (mathjax / "input" / "tex" / "extensions" / "html.js").exists()
    assert not (mathjax / "input" / "tex" / "extensions" / "require.js").exists()
    # What the site carries for MathJax beyond the bundle stays small.
    extra = sum(p.stat().st_size for p in mathjax.rglob("*.js") if p.name != "tex-svg.js")
    assert extra < 200_000


def test_link_or_copy_links_and_replaces_what_is_there(tmp_path):
    source = tmp_path / "docs" / "a.js"
    source.parent.mkdir()
    source.write_bytes(b"new")
    target = tmp_path / "site" / "search" / "a.js"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old and longer")
    assets.link_or_copy(source, target)
    assert target.read_bytes() == b"new" and target.stat().st_ino == source.stat().st_ino


def test_link_or_copy_copies_where_no_link_can_be_made(tmp_path, monkeypatch):
    def refuse(source, target):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    source = tmp_path / "a.png"
    source.write_bytes(b"\x89PNG")
    monkeypatch.setattr(os, "link", refuse)
    assets.link_or_copy(source, tmp_path / "site" / "cards" / "a.png")
    copied = tmp_path / "site" / "cards" / "a.png"
    assert copied.read_bytes() == b"\x89PNG" and copied.stat().st_ino != source.stat().st_ino
