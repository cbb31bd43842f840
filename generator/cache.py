"""What the previous build read and wrote, so unchanged input costs nothing.

Kept under ``docs/.generator/`` (MkDocs skips dot-folders, git ignores it):
``state.json`` holds the fingerprint of every input, the size and mtime of
every output and the input key of each paper page and search shard;
``parsed/`` holds one pickle per parsed digest and ``derived/`` the values
derived from papers (see ``save_memo``). A missing or unreadable cache only
makes the next build a cold one.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .write import write_atomic

CACHE_DIR = ".generator"
STATE = "state.json"
DERIVED = "derived"  # values derived from papers, appended a file per run (see save_memo)
FORMAT = 1


@dataclass
class State:
    inputs: str = ""
    outputs: dict[str, list[int]] = field(default_factory=dict)  # path -> [size, mtime_ns]
    keys: dict[str, str] = field(default_factory=dict)  # path -> key of its inputs
    diagnostics: list[list] = field(default_factory=list)  # replayed when nothing changed
    summary: dict = field(default_factory=dict)


def fingerprint(parts: list[bytes]) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(hashlib.sha1(part).digest())
    return digest.hexdigest()


def load_state(docs: Path) -> State:
    try:
        data = json.loads((docs / CACHE_DIR / STATE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return State()
        return State(data["inputs"], data["outputs"], data["keys"], data["diagnostics"], data.get("summary", {}))
    except (OSError, ValueError, KeyError, TypeError):
        return State()


def save_state(docs: Path, state: State) -> None:
    data = {"format": FORMAT, **state.__dict__}
    write_atomic(docs / CACHE_DIR / STATE, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def stat_outputs(docs: Path, produced: list[str]) -> dict[str, list[int]]:
    outputs = {}
    root = str(docs)
    for page in produced:
        info = os.stat(os.path.join(root, page))  # not pathlib: a year of pages, stat'ed on every build
        outputs[page] = [info.st_size, info.st_mtime_ns]
    return outputs


def intact(docs: Path, state: State) -> set[str]:
    """The recorded outputs that are still on disk exactly as written."""
    good = set()
    root = str(docs)
    for page, (size, mtime) in state.outputs.items():
        try:
            info = os.stat(os.path.join(root, page))
        except OSError:
            continue
        if info.st_size == size and info.st_mtime_ns == mtime:
            good.add(page)
    return good


def generated_files(docs: Path) -> set[str]:
    found = {name for name in paths.GENERATED_FILES if (docs / name).is_file()}
    for folder in paths.GENERATED_DIRS:
        for current, _, names in os.walk(docs / folder):
            base = Path(current).relative_to(docs).as_posix()
            found.update(f"{base}/{name}" for name in names)
    return found


PARSED = "parsed"  # one pickle per parsed digest: adding a day writes one small file


def _load_pickle(path: Path, code: str):
    try:
        with open(path, "rb") as stream:
            data = pickle.load(stream)
        return data if isinstance(data, dict) and data.get("format") == (FORMAT, code) else {}
    except Exception:  # noqa: BLE001 - any unreadable cache means a cold build
        return {}


def load_memo(docs: Path, code: str) -> dict:
    """The saved memo, if the generator's code (``code``: its fingerprint) is the one that made it.

    Memo values are derived by the code, so a memo made by other code is
    stale even when the inputs are the same.
    """
    values: dict = {}
    for name in (DERIVED, PARSED):
        folder = docs / CACHE_DIR / name
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                values.update(_load_pickle(path, code))
    values.pop("format", None)
    return values


def save_memo(docs: Path, values: dict, previous: dict, code: str) -> None:
    """Save what this run used, writing as little as possible.

    Parsed digests go one file each, written only when new. Derived values
    are appended: a run that adds a day writes one small file with the new
    values. The files are compacted into one (dropping values no longer
    used) when more than a quarter of what is saved went unused, or when
    there are many files.
    """
    parsed_folder = docs / CACHE_DIR / PARSED
    parsed = {key: value for key, value in values.items() if key[0] == "parse"}
    names = {key: _file_name(key) for key in parsed}
    for key, value in parsed.items():
        if key not in previous or not (parsed_folder / names[key]).is_file():
            _write_pickle(parsed_folder / names[key], {key: value}, code)
    _remove_all_but(parsed_folder, set(names.values()))

    derived_folder = docs / CACHE_DIR / DERIVED
    derived = {key: value for key, value in values.items() if key[0] != "parse"}
    saved = [key for key in previous if key[0] != "parse"]
    files = sorted(derived_folder.iterdir()) if derived_folder.is_dir() else []
    new = {key: value for key, value in derived.items() if key not in previous}
    unused = len(saved) - (len(derived) - len(new))
    # Files but nothing loaded from them: made by other code, to be replaced.
    appendable = bool(files) and bool(saved) and unused <= len(saved) // 4
    if appendable and not new:
        return
    if appendable and len(files) < MAX_DERIVED_FILES:
        _write_pickle(derived_folder / _file_name(tuple(new)), new, code)
        return
    name = _file_name(tuple(derived))
    _write_pickle(derived_folder / name, derived, code)
    _remove_all_but(derived_folder, {name})


MAX_DERIVED_FILES = 32


def _file_name(keys) -> str:
    return hashlib.sha1(repr(keys).encode("utf-8")).hexdigest() + ".pickle"


def _write_pickle(path: Path, values: dict, code: str) -> None:
    write_atomic(path, pickle.dumps({"format": (FORMAT, code), **values}, protocol=pickle.HIGHEST_PROTOCOL))


def _remove_all_but(folder: Path, kept: set[str]) -> None:
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in kept:
                path.unlink()
