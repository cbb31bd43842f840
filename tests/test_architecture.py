"""The shape of generator/: imports go one way, and no hand-made process plumbing."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
# Bottom to top: a module imports only modules listed before it.
LAYERS = [
    "model", "paths", "text", "sanitize", "markdown", "tokens", "neutralise", "parse", "sources", "taxonomy",
    "analysis", "archive", "related", "links", "charts", "feeds", "cards", "render", "search_index", "search", "store",
    "assets", "site_cache", "build", "offline", "cli", "mkdocs_hook", "__main__", "__init__",
]


def imports_of(path: Path) -> set[str]:
    """The generator modules a module imports (at any depth of its code, type-checking imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("generator"):
                found.update([node.module.split(".")[1]] if "." in node.module else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("generator."))
    return found


def test_every_module_has_its_place_in_the_layers():
    assert sorted(p.stem for p in GENERATOR.glob("*.py")) == sorted(LAYERS)


def test_imports_only_go_down_the_layers():
    upward = []
    for path in GENERATOR.glob("*.py"):
        position = LAYERS.index(path.stem)
        for imported in imports_of(path):
            if imported in LAYERS and LAYERS.index(imported) >= position:
                upward.append(f"{path.stem} imports {imported}")
    assert upward == []


def test_no_hand_made_process_plumbing():
    forbidden = ("os.fork", "os.pipe", "marshal", "waitpid", "SIGKILL", "gc.freeze")
    found = [
        f"{path.name}: {word}" for path in GENERATOR.glob("*.py") for word in forbidden if word in path.read_text(encoding="utf-8")
    ]
    assert found == []
