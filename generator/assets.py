"""Static files the site needs that come from installed packages (no CDN), and how files go into the site."""

from __future__ import annotations

import os
import shutil
from importlib.util import find_spec
from pathlib import Path

# TeX extensions MathJax's autoloader may fetch for a digest's formulas (\boldsymbol, \color,
# \cancel, \bbox, \ce, ...), with what they depend on beyond tex-svg.js. The same list is the
# allow list in docs/assets/javascripts/mathjax-config.js. html and require are never shipped:
# they are the TeX packages that let a formula set links, classes, ids, styles or load code.
MATHJAX_TEX_EXTENSIONS = ("action", "amscd", "bbox", "boldsymbol", "braket", "bussproofs", "cancel", "color",
                          "enclose", "extpfeil", "mhchem", "unicode", "verb")
NEVER_SHIPPED_TEX_EXTENSIONS = ("html", "require", "all-packages", "setoptions")


def mathjax_folder() -> Path:
    """The es5 components of the MathJax that django-static-mathjax installs."""
    spec = find_spec("mathjax")
    if spec is None or not spec.origin:
        raise RuntimeError("MathJax is missing: install the project (pip install -e .), which brings django-static-mathjax")
    return Path(spec.origin).parent / "static" / "mathjax" / "es5"


def mathjax_components() -> dict[str, Path]:
    """MathJax files as MathJax names them relative to tex-svg.js (its ``[mathjax]`` path)."""
    es5 = mathjax_folder()
    components = {"tex-svg.js": es5 / "tex-svg.js", "ui/safe.js": es5 / "ui" / "safe.js"}
    for name in MATHJAX_TEX_EXTENSIONS:
        components[f"input/tex/extensions/{name}.js"] = es5 / "input" / "tex" / "extensions" / f"{name}.js"
    return components


def lunr_script() -> Path:
    """lunr.js 2.3.9 as MkDocs ships it (the version the Python lunr package targets)."""
    spec = find_spec("mkdocs")
    return Path(spec.origin).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"


def site_assets() -> dict[str, Path]:
    """Site-relative path -> installed file to copy there."""
    assets = {f"assets/mathjax/{relative}": source for relative, source in mathjax_components().items()}
    assets["assets/javascripts/lunr.js"] = lunr_script()
    return assets


def copy_site_assets(site_dir: Path) -> None:
    for relative, source in site_assets().items():
        target = site_dir / relative
        if target.exists() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """``target`` as a hard link to ``source``, or a copy where the file system allows no link.

    What is linked is never written into: the generator replaces a file of
    docs/ by renaming a new one over it, and site folders are replaced whole,
    so a link keeps the bytes it was made with. ``os`` calls, not ``pathlib``:
    this runs for every page and generated file of the archive.
    """
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)
