"""All tokenising: Chinese words, Latin terms, name tokens and query terms.

Chinese is segmented with jieba's dictionary and search mode through rjieba
(jieba in Rust: the same words, without the Python package's dictionary
load). Latin-script terms are read from the NFKC form of the text
(fullwidth ``ＧＲＰＯ`` is ``GRPO``), lowercased, with compound names kept
whole and split into their parts (``mimic-iv``, ``mimic``, ``iv``). The
search index, related papers, mentions and both search boxes (the site's
worker and the terminal) tokenise through this module, so a query meets the
index's own tokens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # the ranges of Han characters, for a character class
HAN_RUN = re.compile(f"[{HAN}]+")

# A letter, or digits then a letter, then letters and digits, then compound
# parts (``DINOv2``, ``3D``, ``MIMIC-IV``). It starts with a character set,
# which lets the regex engine skip to the next letter or digit in C.
_LATIN_TERM = re.compile(r"[0-9A-Za-z](?:(?<=[A-Za-z])|[0-9]*[A-Za-z])[A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)*")
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}")
# Frequent English words that carry no meaning as search terms.
STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it of on or the to via with without towards toward we our this that".split()
)
_COMPOUND_SEPARATOR = re.compile(r"[-_.]")
# Punctuation Chinese reports are full of that NFKC maps to no letter, digit
# or ``._-`` (fullwidth ``，`` becomes ``,``) and that never combines with a
# neighbour: before and after normalising it ends a Latin term as a space does.
TERM_NEUTRAL = "，。（）：；、“”‘’《》【】「」『』！？—–·→×≈"
_NOT_NEUTRAL = re.compile(f"[^\\x00-\\x7f{HAN}{TERM_NEUTRAL}]")
# A term that looks like a name: two characters or more, with a capital after
# the first, or a digit, or a hyphen (``GRPO``, ``DINOv2``, ``MIMIC-IV``, ``A100``).
_NAME_LIKE = re.compile(r"(?=..)(?:.+[A-Z]|.*[0-9-])")
# A candidate name in running text: never ends in ``.``, ``-`` or ``_`` (``M^4olGen.`` gives ``M^4olGen``).
_NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9^+_.\-]*[A-Za-z0-9+]|[A-Za-z0-9]")


@lru_cache(maxsize=1)
def _segmenter():
    # rjieba reads its dictionary when imported (a fifth of a second): a build
    # that finds nothing changed never segments, and does not pay for it.
    import rjieba

    return rjieba


def han_words(text: str) -> list[str]:
    """Chinese words of a text, with the longer words' parts as well (jieba's search mode)."""
    runs = HAN_RUN.findall(text)
    if not runs:
        return []
    # One jieba call over the Han runs alone: Latin text is handled elsewhere,
    # and jieba costs per character.
    words = _segmenter().cut_for_search("，".join(runs), False)
    # A one-character word only when it stands alone in the text (never the "，" between runs).
    singles = {run for run in runs if len(run) == 1}
    if not singles:
        return [word for word in words if len(word) > 1]
    return [word for word in words if len(word) > 1 or word in singles]


def _latin_view(text: str) -> str:
    """The text as far as Latin terms go: NFKC, Han runs as spaces.

    Han characters never belong to a Latin term and end one as a space does;
    dropping them first makes the normalisation of a Chinese report a
    fraction of the work. A text of ASCII, Han and ``TERM_NEUTRAL``
    punctuation alone (most reports) has the same Latin terms as its view and
    is read as it is.
    """
    if text.isascii() or not _NOT_NEUTRAL.search(text):
        return text
    return unicodedata.normalize("NFKC", HAN_RUN.sub(" ", text))


def latin_terms(text: str) -> list[str]:
    """Latin-script terms, lowercased, with compound names and their parts."""
    return _normalised_terms(_LATIN_TERM.findall(_latin_view(text)))


def _normalised_terms(matches) -> list[str]:
    """Matches of ``_LATIN_TERM`` lowercased, without stop words, compounds followed by their parts."""
    terms: list[str] = []
    for word in " ".join(matches).lower().split(" "):
        if word in STOP_WORDS or not word:
            continue
        terms.append(word)
        if not word.isalnum():
            terms += [part for part in _COMPOUND_SEPARATOR.split(word) if part not in STOP_WORDS]
    return terms


def name_like_terms(text: str) -> list[str]:
    """Latin terms that look like names (``GRPO``, ``DINOv2``, ``MIMIC-IV``, ``A100``), lowercased."""
    return _normalised_terms(filter(_NAME_LIKE.match, _LATIN_TERM.findall(_latin_view(text))))


def name_tokens(text: str) -> list[str]:
    """Word-bounded candidate names in a text, case kept, once each."""
    return list(dict.fromkeys(_NAME_TOKEN.findall(text)))


def query_terms(query: str) -> tuple[list[str], list[str], list[str]]:
    """A query split into arXiv ids, Latin terms and Han runs (segmented later against the index)."""
    query = query if query.isascii() else unicodedata.normalize("NFKC", query)
    ids = _ARXIV_ID.findall(query)
    rest = _ARXIV_ID.sub(" ", query)
    return ids, latin_terms(rest), HAN_RUN.findall(rest)


def unique(items) -> list[str]:
    """``items`` once each, in their first order."""
    return list(dict.fromkeys(items))


WILDCARD_LENGTH = 4  # a Latin query term this long or longer also matches the terms it starts


def term_key(term: str) -> str:
    """What decides the index bucket a term lives in (``search_index``).

    A Chinese term's first two characters (a single-character term is its own
    key), a Latin term's first four: so every word a Han query run could
    start with at one position is in one bucket, and every term a trailing
    wildcard (``WILDCARD_LENGTH`` letters or more) expands to is in its bucket.
    """
    if HAN_RUN.match(term):
        return term[:2]
    if _ARXIV_ID.fullmatch(term):
        return term  # ids share their first characters: each is its own key
    return term[:WILDCARD_LENGTH]


def term_bucket(term: str, buckets: int) -> int:
    """The bucket of ``term`` among ``buckets``: FNV-1a (32 bits) over the UTF-16 code units of its key.

    The worker computes the same (``termBucket`` in search-worker.js).
    """
    return _key_bucket(term_key(term), buckets)


@lru_cache(maxsize=1 << 16)  # many terms share a key
def _key_bucket(key: str, buckets: int) -> int:
    value = 0x811C9DC5
    units = key.encode("utf-16-le")
    for i in range(0, len(units), 2):
        value ^= units[i] | units[i + 1] << 8
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value % buckets
