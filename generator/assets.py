"""Static files the site needs that come from installed packages (no CDN)."""

from __future__ import annotations

import shutil
from importlib.util import find_spec
from pathlib import Path


def mathjax_script() -> Path:
    """MathJax's self-contained TeX-to-SVG bundle (no web fonts needed)."""
    spec = find_spec("mathjax")
    if spec is None or not spec.origin:
        raise RuntimeError("MathJax is missing: install the project (pip install -e .), which brings django-static-mathjax")
    return Path(spec.origin).parent / "static" / "mathjax" / "es5" / "tex-svg.js"


def lunr_script() -> Path:
    """lunr.js 2.3.9 as MkDocs ships it (the version the Python lunr package targets)."""
    spec = find_spec("mkdocs")
    return Path(spec.origin).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"


def site_assets() -> dict[str, Path]:
    """Site-relative path -> installed file to copy there."""
    return {
        "assets/mathjax/tex-svg.js": mathjax_script(),
        "assets/javascripts/lunr.js": lunr_script(),
    }


def copy_site_assets(site_dir: Path) -> None:
    for relative, source in site_assets().items():
        target = site_dir / relative
        if target.exists() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
