"""The curated taxonomy: loading ``taxonomy.yml`` and classifying papers.

A field or tag matches a text when one of its aliases occurs in it,
case-insensitively; an alias made only of ASCII must also stand at word
boundaries, so ``RL`` does not match inside ``URL``. A *weak* alias (a word
with other meanings: 分割, 跟踪, 提示注入) counts only next to one of the
term's context words, or, for a tag, when the field line names the tag's
field. Matching scans the text once per kind with an Aho-Corasick automaton
instead of one regex per alias, which keeps a year of papers well under a
second.

A paper's evidence comes from four texts, strongest first: the application
field line, the title, the one-sentence contribution and the body (the
innovations part). One occurrence in the first three is enough; the body
is read only when they give fewer than ``MIN_TAGS`` tags, and a tag it
alone supports needs two occurrences there (two independent hits). Tags are ranked most
specific first (topic tags before method tags before generic ones, each
by the text they come from, then position) and at most ``MAX_TAGS`` kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick
import yaml

from .model import ERROR, WARNING, Diagnostic
from .paths import SLUG, MAX_SLUG_LENGTH

# Separators between topics in the application-field line.
_PHRASE_SEPARATORS = "、，,；;/|。"
_DASHES = "-–—"
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.)])\s+")
_OPENING = "（(【["
_CLOSING = "）)】]"
_PHRASE_PUNCTUATION = re.compile("[" + re.escape(_OPENING + _CLOSING + _DASHES + _PHRASE_SEPARATORS) + "]")

MAX_TAGS = 6  # tags kept per paper, the most specific first
CONTEXT_WINDOW = 16  # characters either side of a weak alias where a context word must start
BODY_HITS = 2  # occurrences the body alone must give
MIN_TAGS = 2  # below this many tags from the field line, title and contribution, the body is read too
# Tag kinds, in the order a paper's tags are listed (``kind`` in taxonomy.yml).
KINDS = ("topic", "method", "generic")


@dataclass(frozen=True)
class Term:
    """A field or a tag."""

    slug: str
    zh: str
    en: str
    aliases: tuple[str, ...]
    field: str = ""  # for tags: the field the tag implies
    kind: str = "topic"  # for tags: topic, method or generic (see KINDS)
    weak: tuple[str, ...] = ()  # aliases that count only near a context word (or in the tag's field)
    context: tuple[str, ...] = ()  # the words that confirm a weak alias


@dataclass(frozen=True)
class Classification:
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    keywords: tuple[str, ...]  # field phrases that map to no field or tag
    unranked_tags: tuple[str, ...] = ()  # every tag with evidence, before ranking and the cap


class _Matcher:
    """Finds which terms' aliases occur in a text, with first positions.

    Every alias occurrence is found in one pass of an Aho-Corasick automaton
    (pyahocorasick, in C). An ASCII alias must also stand at word boundaries
    (``RL`` does not match inside ``URL``); an alias with other characters,
    or of one punctuation character, matches anywhere.
    """

    def __init__(self, terms: tuple[Term, ...], aliases_of=lambda term: term.aliases):
        slugs: dict[str, list[str]] = {}
        for term in terms:
            for alias in aliases_of(term):
                key = alias.strip().lower()
                if key:
                    slugs.setdefault(key, []).append(term.slug)
        self._automaton = ahocorasick.Automaton() if slugs else None
        for key, owners in slugs.items():
            bounded = key.isascii() and not (len(key) == 1 and not _WORD.match(key))
            self._automaton.add_word(key, (len(key), bounded, tuple(owners)))
        if self._automaton is not None:
            self._automaton.make_automaton()
        # The phrases of field lines repeat from paper to paper ("视频生成").
        self.phrase_positions = lru_cache(maxsize=1 << 16)(self.positions)

    def positions(self, text: str) -> dict[str, int]:
        """``{slug: first position}`` of the terms whose aliases occur in ``text``, by position then slug."""
        if self._automaton is None:
            return {}
        lowered = text.lower()
        found: dict[str, int] = {}
        for end, (length, bounded, owners) in self._automaton.iter(lowered):
            index = end - length + 1
            # The neighbours as slices: empty (no word character) at either end of the text.
            if bounded and (lowered[index - 1 : index] in _WORD_CHARACTERS or lowered[end + 1 : end + 2] in _WORD_CHARACTERS):
                continue
            for slug in owners:
                if found.get(slug, index) >= index:
                    found[slug] = index
        return dict(sorted(found.items(), key=_position_then_slug))

    def occurrences(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Every ``(start, end, slugs)`` occurrence of an alias in ``text``, by end position."""
        if self._automaton is None or not text:
            return []
        lowered = text.lower()
        found = []
        for end, (length, bounded, owners) in self._automaton.iter(lowered):
            index = end - length + 1
            if bounded and (lowered[index - 1 : index] in _WORD_CHARACTERS or lowered[end + 1 : end + 2] in _WORD_CHARACTERS):
                continue
            found.append((index, end + 1, owners))
        return found


_WORD = re.compile(r"[a-z0-9]+")
# The characters that continue an ASCII word (the text is lowercased; upper case for other callers).
_WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# libyaml's loader when PyYAML has it: the taxonomy is read on every build.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _position_then_slug(item: tuple[str, int]) -> tuple[int, str]:
    return item[1], item[0]


@dataclass(frozen=True)
class Taxonomy:
    fields: tuple[Term, ...]
    tags: tuple[Term, ...]

    def __post_init__(self):
        object.__setattr__(self, "_field_matcher", _Matcher(self.fields))
        object.__setattr__(self, "_tag_matcher", _Matcher(self.tags))
        object.__setattr__(self, "_all_matcher", _Matcher(self.fields + self.tags, lambda t: t.aliases + t.weak))
        object.__setattr__(self, "_weak_field_matcher", _Matcher(self.fields, lambda t: t.weak))
        object.__setattr__(self, "_weak_tag_matcher", _Matcher(self.tags, lambda t: t.weak))
        object.__setattr__(self, "_field_context", _Matcher(self.fields, lambda t: t.context if t.weak else ()))
        object.__setattr__(self, "_tag_context", _Matcher(self.tags, lambda t: t.context if t.weak else ()))
        object.__setattr__(self, "_by_slug", {t.slug: t for t in self.fields} | {f"tag:{t.slug}": t for t in self.tags})
        object.__setattr__(self, "fingerprint", hashlib.sha1(repr((self.fields, self.tags)).encode("utf-8")).hexdigest())

    def field(self, slug: str) -> Term:
        return self._by_slug[slug]

    def tag(self, slug: str) -> Term:
        return self._by_slug[f"tag:{slug}"]

    def classify(self, field_text: str, title: str, contribution: str, body: str = "") -> Classification:
        """Fields and tags from the field line, the title, the contribution and the body (weakest)."""
        field_text = field_text.replace("**", "")
        texts = (field_text, title, contribution, body)
        named = _by_position(self._evidence(field_text, self._field_matcher, self._weak_field_matcher, self._field_context, "fields", ()))
        found: dict[str, tuple[int, int]] = {}  # slug: (the strongest text it occurs in, first position there)
        for tier, text in enumerate(texts):
            if tier == 3 and len(found) >= MIN_TAGS:
                break  # the body only completes a paper its summary says too little about
            hits = self._evidence(text, self._tag_matcher, self._weak_tag_matcher, self._tag_context, "tags", named, all_hits=tier == 3)
            for slug, position in hits.items():
                if tier == 3:
                    if len(position) < BODY_HITS:
                        continue
                    position = position[0]
                found.setdefault(slug, (tier, position))
        unranked = _by_position({slug: tier * (1 << 40) + position for slug, (tier, position) in found.items()})
        tags = sorted(found, key=lambda slug: self._rank(slug, found[slug]))[:MAX_TAGS]

        fields = named
        if not fields:
            # The fields of the tags, topic tags first (a method or a generic tag says little about the field).
            fields = _unique(self.tag(s).field for s in tags if self.tag(s).field and self.tag(s).kind == "topic")
            fields = fields or _unique(self.tag(s).field for s in tags if self.tag(s).field)
        if not fields:
            fields = _by_position(
                self._evidence(title + "\n" + contribution, self._field_matcher, self._weak_field_matcher, self._field_context, "fields", ())
            )
        if not fields and body:
            hits = self._evidence(body, self._field_matcher, self._weak_field_matcher, self._field_context, "fields", (), all_hits=True)
            fields = _by_position({slug: found[0] for slug, found in hits.items() if len(found) >= BODY_HITS})
        return Classification(
            fields=tuple(fields),
            tags=tuple(tags),
            keywords=tuple(self.unmapped_phrases(field_text)),
            unranked_tags=tuple(unranked),
        )

    def _rank(self, slug: str, found: tuple[int, int]) -> tuple:
        """Most specific first: not generic, then the strongest text, topic before method, then position."""
        kind = self.tag(slug).kind
        tier, position = found
        return (kind == "generic", tier, kind == "method", position, slug)

    def _evidence(self, text: str, strong: "_Matcher", weak: "_Matcher", context: "_Matcher", kind: str, named, all_hits: bool = False):
        """``{slug: first position}`` of the terms that occur in ``text``; with ``all_hits``, ``{slug: [positions]}``.

        A weak alias counts when a context word of its term starts within
        ``CONTEXT_WINDOW`` characters of it, or when the term is a tag whose
        field is among the ``named`` fields of the field line.
        """
        if not text:
            return {}
        if all_hits:
            hits: dict[str, list[int]] = {}
            for start, _, owners in strong.occurrences(text):
                for slug in owners:
                    hits.setdefault(slug, []).append(start)
        else:
            hits = dict(strong.positions(text))
        weak_found = weak.occurrences(text)
        if weak_found:
            near: dict[str, list[int]] = {}
            for start, _, owners in context.occurrences(text):
                for slug in owners:
                    near.setdefault(slug, []).append(start)
            for start, end, owners in weak_found:
                for slug in owners:
                    term_field = self.tag(slug).field if kind == "tags" else ""
                    confirmed = (term_field and term_field in named) or any(
                        start - CONTEXT_WINDOW <= at < end + CONTEXT_WINDOW for at in near.get(slug, ())
                    )
                    if not confirmed:
                        continue
                    if all_hits:
                        hits.setdefault(slug, []).append(start)
                    elif hits.get(slug, start) >= start:
                        hits[slug] = start
        if all_hits:
            return {slug: sorted(set(positions)) for slug, positions in hits.items()}
        return hits

    def unmapped_phrases(self, field_text: str) -> list[str]:
        return [phrase for phrase in split_phrases(field_text) if not self._all_matcher.phrase_positions(phrase)]


def _by_position(hits: dict[str, int]) -> list[str]:
    return [slug for slug, _ in sorted(hits.items(), key=_position_then_slug)]


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def split_phrases(field_text: str) -> list[str]:
    """The topics of an application-field line, split outside parentheses.

    Each line is read on its own (a part may list topics as bullets); on a line
    the broad area before the first `` - `` outside parentheses is one phrase,
    and the rest is split at ``、，,；;/|`` and sentence ends outside parentheses.
    """
    phrases: list[str] = []
    for raw_line in field_text.replace("**", "").split("\n"):
        line = " ".join(_LIST_MARKER.sub("", raw_line).split())
        depth = 0
        start = 0  # where the current phrase starts
        area_done = False
        for match in _PHRASE_PUNCTUATION.finditer(line):
            index = match.start()
            char = line[index]
            if char in _OPENING:
                depth += 1
            elif char in _CLOSING:
                depth = max(0, depth - 1)
            elif depth == 0 and not area_done and char in _DASHES:
                if line[index - 1 : index] == " " or line[index + 1 : index + 2] == " ":
                    # "计算机视觉 - 视频生成": the broad area, then the topics.
                    phrases.append(line[start:index])
                    start = index + 1
                    area_done = True
            elif depth == 0 and char in _PHRASE_SEPARATORS:
                phrases.append(line[start:index])
                start = index + 1
                area_done = True
        phrases.append(line[start:])
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
        data = yaml.compose(text, Loader=_YAML_LOADER)
        loaded = yaml.load(text, Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return Taxonomy((), ()), [Diagnostic(shown, line, ERROR, f"invalid YAML: {getattr(exc, 'problem', exc)}")]

    if not isinstance(loaded, dict):
        return Taxonomy((), ()), [Diagnostic(shown, 1, ERROR, "the taxonomy must be a mapping with 'fields' and 'tags' lists")]
    lines = _item_lines(data)
    for kind in ("fields", "tags"):
        if not isinstance(loaded.get(kind) or [], list):
            diagnostics.append(Diagnostic(shown, lines.get((kind, -1), 1), ERROR, f"'{kind}' must be a list"))
    fields, _ = _terms(_as_list(loaded.get("fields")), "fields", lines, shown, diagnostics)
    field_slugs = {f.slug for f in fields}
    tags, tag_lines = _terms(_as_list(loaded.get("tags")), "tags", lines, shown, diagnostics)
    valid_tags = []
    for tag, line in zip(tags, tag_lines):
        if tag.field and tag.field not in field_slugs:
            diagnostics.append(Diagnostic(shown, line, ERROR, f"tag '{tag.slug}' names unknown field '{tag.field}'"))
            tag = Term(tag.slug, tag.zh, tag.en, tag.aliases, "")
        valid_tags.append(tag)
    return Taxonomy(tuple(fields), tuple(valid_tags)), diagnostics


def _as_list(value) -> list:
    return value if isinstance(value, list) else []


def _item_lines(node) -> dict[tuple[str, int], int]:
    """Line numbers of each item of the top-level lists (index -1: the key), for diagnostics."""
    lines: dict[tuple[str, int], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(key.value, -1)] = key.start_mark.line + 1
            if isinstance(value, yaml.SequenceNode):
                for index, item in enumerate(value.value):
                    lines[(key.value, index)] = item.start_mark.line + 1
    return lines


def _terms(items, kind: str, lines, path: str, diagnostics: list[Diagnostic]) -> tuple[list[Term], list[int]]:
    """The valid terms of one list, with the YAML line of each."""
    terms: list[Term] = []
    term_lines: list[int] = []
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
        raw_aliases = item.get("aliases") or []
        if not isinstance(raw_aliases, list):
            # A lone string would otherwise be split into one-character aliases.
            diagnostics.append(Diagnostic(path, line, ERROR, f"aliases of '{slug}' must be a list"))
            raw_aliases = [raw_aliases] if isinstance(raw_aliases, str) else []
        for alias in raw_aliases:
            if not isinstance(alias, (str, int, float)) or isinstance(alias, bool):
                diagnostics.append(
                    Diagnostic(path, line, WARNING, f"alias {alias!r} of '{slug}' is not text; quote it in the YAML")
                )
        aliases = tuple(
            str(a) for a in raw_aliases if isinstance(a, (str, int, float)) and not isinstance(a, bool) and str(a).strip()
        )
        if not aliases:
            diagnostics.append(Diagnostic(path, line, WARNING, f"{kind[:-1]} '{slug}' has no aliases: only its names match"))
        term_kind = str(item.get("kind") or "topic")
        if term_kind not in KINDS:
            diagnostics.append(Diagnostic(path, line, WARNING, f"kind {term_kind!r} of '{slug}' is not one of {', '.join(KINDS)}: read as topic"))
            term_kind = "topic"
        weak = _text_list(item, "weak", slug, line, path, diagnostics)
        context = _text_list(item, "context", slug, line, path, diagnostics)
        if weak and not context and not item.get("field"):
            diagnostics.append(Diagnostic(path, line, WARNING, f"weak aliases of '{slug}' have no context words: they never match"))
        terms.append(
            Term(
                slug=slug, zh=zh, en=en, aliases=(zh, en, *aliases), field=str(item.get("field") or ""),
                kind=term_kind, weak=weak, context=context,
            )
        )
        term_lines.append(line)
    return terms, term_lines


def _text_list(item: dict, key: str, slug: str, line: int, path: str, diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    """An optional list of words (``weak``, ``context``) of a term."""
    raw = item.get(key) or []
    if not isinstance(raw, list):
        diagnostics.append(Diagnostic(path, line, ERROR, f"{key} of '{slug}' must be a list"))
        raw = [raw] if isinstance(raw, str) else []
    return tuple(str(a) for a in raw if isinstance(a, (str, int, float)) and not isinstance(a, bool) and str(a).strip())
