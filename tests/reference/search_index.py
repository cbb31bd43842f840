"""The first, pure-Python weighing and encoding of postings: what ``search_index.encoded_postings`` must equal.

``generator.search_index`` weighs, cuts and encodes a year's millions of
postings as numpy arrays; tests/test_search_index.py compares it with these
dictionaries and loops on the sample archive, and these weights with the
Python lunr builder's field vectors.
"""

from __future__ import annotations

import math
from collections import defaultdict

from generator.search_index import ALPHABET, B, FIELD_BOOSTS, FIELDS, K1, MAX_POSTINGS


def field_weights(documents, limit: int | None = None) -> dict[str, list[tuple[int, int, int]]]:
    """``{term: [(paper, field, weight in thousandths), ...]}``: lunr's field vectors, by term, by paper then field.

    Every field holds each token once, so every term frequency is 1 and the
    weight is lunr's builder's ``round(idf * (k1 + 1) / norm * boost, 3)``.
    With ``limit``, a term keeps what ``kept_postings`` keeps of its postings.
    """
    count = len(documents)
    lengths = [[len(d.tokens[name]) for name in FIELDS] for d in documents]
    average = [sum(row[f] for row in lengths) / count if count else 0 for f in range(len(FIELDS))]
    postings: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    for number, document in enumerate(documents):
        for f, name in enumerate(FIELDS):
            for token in document.tokens[name]:
                postings[token].append((number, f))
    weights = {}
    for term, pairs in postings.items():
        frequency = len(pairs)
        scaled = math.log(1 + abs((count - frequency + 0.5) / (frequency + 0.5))) * (K1 + 1)
        rows = []
        for number, f in pairs:
            # The same operations in the same order as lunr's builder: idf * (k1 + 1) / norm * boost.
            norm = K1 * (1 - B + B * (lengths[number][f] / average[f])) + 1
            rows.append((number, f, round(round(scaled / norm * FIELD_BOOSTS[FIELDS[f]], 3) * 1000)))
        weights[term] = rows if limit is None else kept_postings(rows, limit)
    return weights


def kept_postings(rows: list[tuple[int, int, int]], limit: int = MAX_POSTINGS) -> list[tuple[int, int, int]]:
    """A term's postings as stored: at most ``limit``, the heaviest (newest on ties), by paper then field."""
    if len(rows) > limit:
        return sorted(sorted(rows, key=lambda row: (-row[2], -row[0], row[1]))[:limit])
    return rows


def encode_postings(rows: list[tuple[int, int, int]]) -> str:
    """Postings sorted by paper then field as varints: ``(paper - previous paper) << 3 | field``, then the weight."""
    out = []
    previous = 0
    for number, field, weight in rows:
        code = (number - previous) << 3 | field
        out.append(varint(code))
        out.append(varint(weight))
        previous = number
    return "".join(out)


def varint(value: int) -> str:
    """Five bits a character, the low group first; the second half of the alphabet marks a group that more follow."""
    out = []
    while value >= 32:
        out.append(ALPHABET[32 | value & 31])
        value >>= 5
    out.append(ALPHABET[value])
    return "".join(out)
