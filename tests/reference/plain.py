"""The plain versions of functions the generator computes with shortcuts.

Each was the generator's own code before a shortcut made it cheaper;
tests/test_properties.py checks on random input that the two agree.
"""

from __future__ import annotations

import re

from generator.parse import _BLOCK_START, _FENCE, _HEADING_OR_BREAK, _SEPARATOR, _expand_indent
from generator.tokens import _COMPOUND_SEPARATOR, STOP_WORDS as _STOP_WORDS
from generator.taxonomy import _CLOSING, _DASHES, _LIST_MARKER, _OPENING, _PHRASE_SEPARATORS

NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9^+_.\-]*[A-Za-z0-9+]|[A-Za-z0-9]")


def dedent(body_lines: list[str], column: int, first: str = "") -> str:
    """``parse._dedent`` with every pattern tried on every line."""
    out = [first] if first else []
    inside = column > 0
    paragraph = column > 0
    in_fence = False
    for raw in body_lines:
        if _SEPARATOR.match(raw):
            continue
        line = _expand_indent(raw).rstrip()
        if not line.strip():
            out.append("")
            paragraph = False
            continue
        leading = len(line) - len(line.lstrip(" "))
        text = line[leading:]
        if inside and leading < column:
            inside = paragraph and not in_fence and not _BLOCK_START.match(text)
        if inside:
            line = line[min(leading, column) :]
        out.append(line)
        if _FENCE.match(text):
            in_fence = not in_fence
            paragraph = False
        else:
            paragraph = not in_fence and not _HEADING_OR_BREAK.match(text)
    first_text = next((index for index, line in enumerate(out) if line.strip()), len(out))
    del out[:first_text]
    while out and not out[-1].strip():
        out.pop()
    common = min((len(line) - len(line.lstrip(" ")) for line in out if line.strip()), default=0)
    common = min(common, 3)
    return "\n".join(line[common:] if line.strip() else "" for line in out)


def split_phrases(field_text: str) -> list[str]:
    """``taxonomy.split_phrases`` one character at a time."""
    phrases: list[str] = []
    for raw_line in field_text.replace("**", "").split("\n"):
        line = " ".join(_LIST_MARKER.sub("", raw_line).split())
        depth = 0
        current: list[str] = []
        area_done = False
        index = 0
        while index < len(line):
            char = line[index]
            if char in _OPENING:
                depth += 1
            elif char in _CLOSING:
                depth = max(0, depth - 1)
            if depth == 0 and not area_done and char in _DASHES and (
                line[index - 1 : index] == " " or line[index + 1 : index + 2] == " "
            ):
                phrases.append("".join(current))
                current = []
                area_done = True
                index += 1
                continue
            if depth == 0 and char in _PHRASE_SEPARATORS:
                phrases.append("".join(current))
                current = []
                area_done = True
            else:
                current.append(char)
            index += 1
        phrases.append("".join(current))
    cleaned = (phrase.strip().strip("。.；;：:*-– ").strip() for phrase in phrases)
    return [phrase for phrase in cleaned if phrase]


def normalised_terms(matches) -> list[str]:
    """``search._normalised_terms`` one match at a time, each stripped and split on its own."""
    terms: list[str] = []
    for match in matches:
        word = match.lower().strip(".-_")
        if not word or word in _STOP_WORDS:
            continue
        terms.append(word)
        if "-" in word or "_" in word or "." in word:
            parts = [p for p in _COMPOUND_SEPARATOR.split(word) if p]
            if len(parts) > 1:
                terms.extend(p for p in parts if p not in _STOP_WORDS)
    return terms


def positions_everywhere(terms, text: str) -> dict[str, int]:
    """Every alias looked for at every position: the definition the matcher must meet."""
    lowered = text.lower()

    def word_char(index: int) -> bool:
        return 0 <= index < len(lowered) and lowered[index].isascii() and lowered[index].isalnum()

    found: dict[str, int] = {}
    for term in terms:
        for alias in term.aliases:
            key = alias.strip().lower()
            if not key:
                continue
            bounded = key.isascii() and not (len(key) == 1 and not (key.isalnum()))
            start = lowered.find(key)
            while start != -1:
                if not bounded or not (word_char(start - 1) or word_char(start + len(key))):
                    if term.slug not in found or start < found[term.slug]:
                        found[term.slug] = start
                    break
                start = lowered.find(key, start + 1)
    return found


def name_tokens(text: str) -> list[str]:
    """``links.name_tokens`` with trailing punctuation stripped from each token."""
    return list(dict.fromkeys(token.rstrip(".-_") for token in NAME_TOKEN.findall(text)))
