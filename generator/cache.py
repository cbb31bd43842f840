"""What the previous build read and wrote, so unchanged input costs nothing.

Kept under ``docs/.generator/`` (MkDocs skips dot-folders, git ignores it):
``state.json`` holds the fingerprint of every input, the size and mtime of
every output and the input key of each paper page and search shard;
``parsed/`` holds one pickle per parsed digest and ``memo.pickle`` the
values derived from papers. A
missing or unreadable cache only makes the next build a cold one.
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
MEMO = "memo.pickle"
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
    for page in produced:
        info = (docs / page).stat()
        outputs[page] = [info.st_size, info.st_mtime_ns]
    return outputs


def intact(docs: Path, state: State) -> set[str]:
    """The recorded outputs that are still on disk exactly as written."""
    good = set()
    for page, (size, mtime) in state.outputs.items():
        try:
            info = (docs / page).stat()
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


def _load_pickle(path: Path):
    try:
        with open(path, "rb") as stream:
            data = pickle.load(stream)
        return data if isinstance(data, dict) and data.get("format") == FORMAT else {}
    except Exception:  # noqa: BLE001 - any unreadable cache means a cold build
        return {}


def load_memo(docs: Path) -> dict:
    values = _load_pickle(docs / CACHE_DIR / MEMO)
    folder = docs / CACHE_DIR / PARSED
    if folder.is_dir():
        for path in folder.iterdir():
            values.update(_load_pickle(path))
    values.pop("format", None)
    return values


def save_memo(docs: Path, values: dict, previous: dict) -> None:
    """Save what this run used; parsed digests go one file each, written only when new."""
    folder = docs / CACHE_DIR / PARSED
    parsed = {key: value for key, value in values.items() if key[0] == "parse"}
    names = {key: hashlib.sha1(repr(key).encode("utf-8")).hexdigest() + ".pickle" for key in parsed}
    for key, value in parsed.items():
        if key not in previous or not (folder / names[key]).is_file():
            write_atomic(folder / names[key], pickle.dumps({"format": FORMAT, key: value}, protocol=pickle.HIGHEST_PROTOCOL))
    if folder.is_dir():
        kept = set(names.values())
        for path in folder.iterdir():
            if path.name not in kept:
                path.unlink()
    derived = {key: value for key, value in values.items() if key[0] != "parse"}
    if derived.keys() != {key for key in previous if key[0] != "parse"}:
        write_atomic(docs / CACHE_DIR / MEMO, pickle.dumps({"format": FORMAT, **derived}, protocol=pickle.HIGHEST_PROTOCOL))
