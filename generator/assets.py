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


def copy_site_assets(site_dir: Path) -> None:
    target = site_dir / "assets" / "mathjax" / "tex-svg.js"
    source = mathjax_script()
    if target.exists() and target.stat().st_size == source.stat().st_size:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
