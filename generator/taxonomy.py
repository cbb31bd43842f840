"""The curated taxonomy: loading ``taxonomy.yml`` and classifying papers.

A field or tag matches a text when one of its aliases occurs in it,
case-insensitively; an alias made only of ASCII must also stand at word
boundaries, so ``RL`` does not match inside ``URL``. Matching scans the
text once per kind with a first-character index instead of one regex per
alias, which keeps a year of papers well under a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import ERROR, WARNING, Diagnostic
from .paths import SLUG, MAX_SLUG_LENGTH

# Separators between topics in the application-field line.
_PHRASE_SEPARATORS = "、，,；;/|"
_BROAD_AREA = re.compile(r"\s+[-–—]\s+|\s*[-–—]\s+|\s+[-–—]\s*")
_OPENING = "（(【["
_CLOSING = "）)】]"


@dataclass(frozen=True)
class Term:
    """A field or a tag."""

    slug: str
    zh: str
    en: str
    aliases: tuple[str, ...]
    field: str = ""  # for tags: the field the tag implies


@dataclass(frozen=True)
class Classification:
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    keywords: tuple[str, ...]  # field phrases that map to no field or tag


class _Matcher:
    """Finds which terms' aliases occur in a text, with first positions."""

    def __init__(self, terms: tuple[Term, ...]):
        self._by_first_char: dict[str, list[tuple[str, bool, str]]] = {}
        for term in terms:
            for alias in term.aliases:
                key = alias.strip().lower()
                if not key:
                    continue
                self._by_first_char.setdefault(key[0], []).append((key, key.isascii(), term.slug))
        for candidates in self._by_first_char.values():
            candidates.sort(key=lambda item: -len(item[0]))

    def positions(self, text: str) -> dict[str, int]:
        lowered = text.lower()
        found: dict[str, int] = {}
        get = self._by_first_char.get
        for index, char in enumerate(lowered):
            candidates = get(char)
            if not candidates:
                continue
            for alias, ascii_only, slug in candidates:
                if slug in found or not lowered.startswith(alias, index):
                    continue
                if ascii_only and (_is_word_char(lowered, index - 1) or _is_word_char(lowered, index + len(alias))):
                    continue
                found[slug] = index
        return found


def _is_word_char(text: str, index: int) -> bool:
    if index < 0 or index >= len(text):
        return False
    char = text[index]
    return char.isascii() and char.isalnum()


@dataclass(frozen=True)
class Taxonomy:
    fields: tuple[Term, ...]
    tags: tuple[Term, ...]

    def __post_init__(self):
        object.__setattr__(self, "_field_matcher", _Matcher(self.fields))
        object.__setattr__(self, "_tag_matcher", _Matcher(self.tags))
        object.__setattr__(self, "_all_matcher", _Matcher(self.fields + self.tags))
        object.__setattr__(self, "_by_slug", {t.slug: t for t in self.fields} | {f"tag:{t.slug}": t for t in self.tags})

    def field(self, slug: str) -> Term:
        return self._by_slug[slug]

    def tag(self, slug: str) -> Term:
        return self._by_slug[f"tag:{slug}"]

    def classify(self, field_text: str, title: str, contribution: str) -> Classification:
        field_text = field_text.replace("**", "")
        tag_hits = self._tag_matcher.positions(field_text)
        offset = len(field_text) + 1
        for text in (title, contribution):
            for slug, position in self._tag_matcher.positions(text).items():
                tag_hits.setdefault(slug, offset + position)
            offset += len(text) + 1
        tags = _by_position(tag_hits)

        fields = _by_position(self._field_matcher.positions(field_text))
        if not fields:
            fields = _unique(self.tag(slug).field for slug in tags if self.tag(slug).field)
        if not fields:
            fields = _by_position(self._field_matcher.positions(title + "\n" + contribution))
        return Classification(fields=tuple(fields), tags=tuple(tags), keywords=tuple(self.unmapped_phrases(field_text)))

    def unmapped_phrases(self, field_text: str) -> list[str]:
        return [phrase for phrase in split_phrases(field_text) if not self._all_matcher.positions(phrase)]


def _by_position(hits: dict[str, int]) -> list[str]:
    return [slug for slug, _ in sorted(hits.items(), key=lambda item: (item[1], item[0]))]


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def split_phrases(field_text: str) -> list[str]:
    """The topics of an application-field line, split outside parentheses."""
    text = " ".join(field_text.replace("**", "").split())
    phrases: list[str] = []
    depth = 0
    current: list[str] = []
    pieces = _BROAD_AREA.split(text, maxsplit=1)
    for piece in pieces:
        for char in piece:
            if char in _OPENING:
                depth += 1
            elif char in _CLOSING:
                depth = max(0, depth - 1)
            if depth == 0 and char in _PHRASE_SEPARATORS:
                phrases.append("".join(current))
                current = []
            else:
                current.append(char)
        phrases.append("".join(current))
        current = []
    cleaned = (phrase.strip().strip("。.；;：:*-– ").strip() for phrase in phrases)
    return [phrase for phrase in cleaned if phrase]


def load_taxonomy(path: Path) -> tuple[Taxonomy, list[Diagnostic]]:
    """Load and validate the taxonomy; problems are diagnostics on the YAML file."""
    shown = str(path)
    diagnostics: list[Diagnostic] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return Taxonomy((), ()), [Diagnostic(shown, 1, ERROR, f"cannot read taxonomy: {exc.strerror or exc}")]
    try:
        data = yaml.compose(text)
        loaded = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return Taxonomy((), ()), [Diagnostic(shown, line, ERROR, f"invalid YAML: {getattr(exc, 'problem', exc)}")]

    lines = _item_lines(data)
    fields = _terms(loaded.get("fields") or [], "fields", lines, shown, diagnostics)
    field_slugs = {f.slug for f in fields}
    tags = _terms(loaded.get("tags") or [], "tags", lines, shown, diagnostics)
    valid_tags = []
    for index, tag in enumerate(tags):
        if tag.field and tag.field not in field_slugs:
            diagnostics.append(
                Diagnostic(shown, lines.get(("tags", index), 1), ERROR, f"tag '{tag.slug}' names unknown field '{tag.field}'")
            )
            tag = Term(tag.slug, tag.zh, tag.en, tag.aliases, "")
        valid_tags.append(tag)
    return Taxonomy(tuple(fields), tuple(valid_tags)), diagnostics


def _item_lines(node) -> dict[tuple[str, int], int]:
    """Line numbers of each item of the top-level lists, for diagnostics."""
    lines: dict[tuple[str, int], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.SequenceNode):
                for index, item in enumerate(value.value):
                    lines[(key.value, index)] = item.start_mark.line + 1
    return lines


def _terms(items, kind: str, lines, path: str, diagnostics: list[Diagnostic]) -> list[Term]:
    terms: list[Term] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        line = lines.get((kind, index), 1)
        if not isinstance(item, dict):
            diagnostics.append(Diagnostic(path, line, ERROR, f"each entry of '{kind}' must be a mapping"))
            continue
        slug = str(item.get("slug", ""))
        if not SLUG.match(slug) or len(slug) > MAX_SLUG_LENGTH:
            diagnostics.append(Diagnostic(path, line, ERROR, f"slug {slug!r} must be lowercase ASCII words joined by '-'"))
            continue
        if slug in seen:
            diagnostics.append(Diagnostic(path, line, ERROR, f"duplicate {kind[:-1]} slug '{slug}'"))
            continue
        seen.add(slug)
        zh = str(item.get("zh") or slug)
        en = str(item.get("en") or slug)
        aliases = tuple(str(a) for a in (item.get("aliases") or []) if str(a).strip())
        if not aliases:
            diagnostics.append(Diagnostic(path, line, WARNING, f"{kind[:-1]} '{slug}' has no aliases and matches nothing"))
        terms.append(Term(slug=slug, zh=zh, en=en, aliases=(zh, en, *aliases), field=str(item.get("field") or "")))
    return terms
