"""Related papers: the papers whose words are most like a paper's.

Each paper is a sparse tf-idf vector of its terms (``analysis.related_terms``);
candidates come from inverted lists truncated to the strongest postings per
term (so the work stays linear in the archive size), are scored by cosine
similarity blended with shared fields and tags, and the best five are kept,
ties broken by id. The scoring runs on numpy arrays.

Topic outweighs method: words of the title, contribution and field line
count fully and words found only in the innovations at ``INNOVATIONS_ONLY``;
a shared tag adds its rarity (idf over the archive, scaled to 0..1) times
``TOPIC_TAG_WEIGHT`` for a topic tag (``kind`` in taxonomy.yml), times
``METHOD_TAG_WEIGHT`` for a method tag, and nothing for a generic one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from types import MappingProxyType
from typing import Mapping

import numpy as np


RELATED_COUNT = 5
POSTINGS_PER_TERM = 20  # strongest papers kept per term
TERMS_PER_PAPER = 14  # strongest terms of a paper
FIELD_WEIGHT = 0.06
TOPIC_TAG_WEIGHT = 0.16  # times the tag's scaled idf
METHOD_TAG_WEIGHT = 0.03
INNOVATIONS_ONLY = 0.5  # the weight of a word found only in the innovations
CANDIDATE_TAGS = 4  # a paper's rarest tags (topic first) whose papers are candidates without shared words
KIND_WEIGHTS = {"topic": TOPIC_TAG_WEIGHT, "method": METHOD_TAG_WEIGHT, "generic": 0.0}


def related_papers(
    terms: Mapping[str, Mapping[str, int]],
    fields: Mapping[str, tuple[str, ...]],
    tags: Mapping[str, tuple[str, ...]],
    count: int = RELATED_COUNT,
    kinds: Mapping[str, str] | None = None,
) -> Mapping[str, tuple[str, ...]]:
    """The ``count`` most related papers of each paper, deterministic.

    ``terms`` maps each paper to its terms' weights (counts, or fractions for
    weaker words); ``kinds`` each tag to topic, method or generic (default topic).

    Similarity is the dot product of normalised tf-idf vectors accumulated
    over inverted lists that keep, per term, only its strongest papers, and
    only each paper's strongest terms: linear in the archive size. Shared
    fields and tags add a little, so papers of one topic rank together.
    The scoring runs on numpy arrays (a year of papers in about a second,
    so adding a day can afford to rescore the whole archive); the first,
    pure-Python version is kept as the reference it must equal
    (``tests/reference/related.py``).
    """
    ids = sorted(terms)
    flat = [term for arxiv_id in ids for term in terms[arxiv_id]]
    lengths = np.array([len(terms[arxiv_id]) for arxiv_id in ids], dtype=np.int64)
    frequencies = np.array([n for arxiv_id in ids for n in terms[arxiv_id].values()], dtype=np.float64)
    return MappingProxyType(_related(ids, flat, lengths, frequencies, fields, tags, count, kinds or {}))


def related_of_archive(archive) -> Mapping[str, tuple[str, ...]]:
    """``related_papers`` of every entry of an archive, from the terms of its analysis."""
    entries = archive.entries
    return related_papers(
        {i: topical_terms(e.analysis, e.main) for i, e in entries.items()},
        {i: e.fields for i, e in entries.items()},
        {i: e.tags for i, e in entries.items()},
        kinds={t.slug: t.kind for t in archive.taxonomy.tags},
    )


def topical_terms(analysis, paper) -> dict[str, float]:
    """A paper's ``analysis.terms``, a word found only in its innovations weighing ``INNOVATIONS_ONLY``.

    Chinese words come from the title, the summary (contribution and field
    line) or the innovations (``analysis.words``); a Latin term is topical
    when it is a title term or occurs in the contribution or field line.
    """
    words = analysis.words
    topical = set(words.title) | set(words.summary) | set(analysis.title_terms)
    summary = (paper.contribution + " " + paper.field_text).lower()
    return {
        term: float(n) if term in topical or (term.isascii() and term in summary) else n * INNOVATIONS_ONLY
        for term, n in analysis.terms.items()
    }


def _related(
    ids: list[str],
    flat_terms: list[str],
    lengths: "np.ndarray",
    frequencies: "np.ndarray",
    fields: Mapping[str, tuple[str, ...]],
    tags: Mapping[str, tuple[str, ...]],
    count: int = RELATED_COUNT,
    kinds: Mapping[str, str] = {},
) -> dict[str, tuple[str, ...]]:
    """``related_papers`` over the papers' terms laid end to end (``lengths[i]`` of them for ``ids[i]``)."""
    total = len(ids)
    if not total:
        return {}
    # Terms numbered in order of first appearance (dict.fromkeys keeps it), looked up in C.
    names = list(dict.fromkeys(flat_terms))
    vocabulary = {name: number for number, name in enumerate(names)}
    term = np.fromiter(map(vocabulary.__getitem__, flat_terms), dtype=np.int64, count=len(flat_terms))
    owner = np.repeat(np.arange(total, dtype=np.int64), lengths)
    tf = frequencies
    # Rank of each term in string order: ties between equal weights go to the larger term, as before.
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))

    document_frequency = np.bincount(term, minlength=len(names)).astype(np.float64)
    idf = np.log((1 + total) / (1 + document_frequency))
    weight = np.where(tf > 1, (1 + np.log(np.maximum(tf, 1))) * idf[term], tf * idf[term])
    norm = np.sqrt(np.bincount(owner, weights=weight * weight, minlength=total))
    norm[norm == 0] = 1.0
    weight = weight / norm[owner]
    positive = weight > 0
    owner, term, weight = owner[positive], term[positive], weight[positive]
    weight_rank = _descending_rank(weight)

    # Each paper's strongest terms: by weight, then by term, largest first.
    by_paper = _order(owner, weight_rank, (len(names) - 1) - rank[term], len(names))
    keep = _first_of_each_group(owner[by_paper], TERMS_PER_PAPER)
    strong_owner, strong_term, strong_weight = owner[by_paper][keep], term[by_paper][keep], weight[by_paper][keep]
    # Each term's strongest papers: by weight, ties to the older id (so a new day does not reshuffle old lists).
    by_term = _order(term, weight_rank, owner, total)
    keep = _first_of_each_group(term[by_term], POSTINGS_PER_TERM)
    post_term, post_owner, post_weight = term[by_term][keep], owner[by_term][keep], weight[by_term][keep]

    # Papers that share one of a paper's CANDIDATE_TAGS rarest tags are candidates even
    # without shared words: such a tag acts as one more term of the paper,
    # after its words, whose postings are the tag's first papers, at weight 0.
    tag_members: dict[str, list[int]] = defaultdict(list)
    for number, arxiv_id in enumerate(ids):
        for tag in tags.get(arxiv_id, ()):
            tag_members[tag].append(number)
    tag_term = {tag: len(names) + index for index, tag in enumerate(sorted(tag_members))}
    rare_owner, rare_term = [], []
    for number, arxiv_id in enumerate(ids):
        for tag in sorted(tags.get(arxiv_id, ()), key=lambda t: (_KIND_ORDER.get(kinds.get(t, "topic"), 0), len(tag_members[t]), t))[:CANDIDATE_TAGS]:
            rare_owner.append(number)
            rare_term.append(tag_term[tag])
    member_term = [tag_term[tag] for tag in sorted(tag_members) for _ in tag_members[tag][:POSTINGS_PER_TERM]]
    member_owner = [n for tag in sorted(tag_members) for n in tag_members[tag][:POSTINGS_PER_TERM]]
    strong_owner, strong_term, strong_weight = _append_after_each_group(
        strong_owner, (strong_term, strong_weight), np.array(rare_owner, dtype=np.int64), (np.array(rare_term, dtype=np.int64), np.zeros(len(rare_owner)))
    )
    post_term = np.concatenate([post_term, np.array(member_term, dtype=np.int64)])
    post_owner = np.concatenate([post_owner, np.array(member_owner, dtype=np.int64)])
    post_weight = np.concatenate([post_weight, np.zeros(len(member_term))])

    tag_bits, field_bits = _bitsets(ids, tags), _bitsets(ids, fields)
    tag_weights = _tag_weights(ids, tags, kinds)
    postings = (post_term, post_owner, post_weight)
    # Scored a block of papers at a time: the candidate pairs of a block fit
    # in the processor's cache, where a year's millions of pairs would not.
    bounds = np.searchsorted(strong_owner, np.arange(0, total + SCORING_BLOCK, SCORING_BLOCK))
    blocks = [
        _best_candidates(strong_owner[a:b], strong_term[a:b], strong_weight[a:b], postings, field_bits, tag_bits, tag_weights, total, count)
        for a, b in zip(bounds[:-1], bounds[1:])
        if b > a
    ]
    chosen_source = np.concatenate([block[0] for block in blocks]) if blocks else np.zeros(0, dtype=np.int64)
    chosen_target = np.concatenate([block[1] for block in blocks]) if blocks else np.zeros(0, dtype=np.int64)

    chosen: list[list[str]] = [[] for _ in ids]
    for number, other_number in zip(chosen_source.tolist(), chosen_target.tolist()):
        chosen[number].append(ids[other_number])
    by_field: dict[str, list[str]] = defaultdict(list)
    for arxiv_id in ids:
        for field in fields.get(arxiv_id, ()):
            by_field[field].append(arxiv_id)
    related = {}
    for number, arxiv_id in enumerate(ids):
        picked = chosen[number]
        if len(picked) < count:
            # Too few papers share words: fall back to papers of the same fields, never to unrelated ones.
            pool = [o for f in sorted(set(fields.get(arxiv_id, ()))) for o in by_field[f][: count * 4]]
            for candidate in pool:
                if len(picked) >= count:
                    break
                if candidate != arxiv_id and candidate not in picked:
                    picked.append(candidate)
        related[arxiv_id] = tuple(picked)
    return related


SCORING_BLOCK = 512  # papers scored together


def _best_candidates(strong_owner, strong_term, strong_weight, postings, field_bits, tag_bits, tag_weights, total: int, count: int):
    """The ``count`` best (paper, other paper) pairs of each paper of one block, best first."""
    post_term, post_owner, post_weight = postings
    # Every (paper, strong term) meets every posting of that term.
    starts = np.searchsorted(post_term, strong_term, side="left")
    run = np.searchsorted(post_term, strong_term, side="right") - starts
    pair_index = np.repeat(starts - (np.cumsum(run) - run), run) + np.arange(int(run.sum()))
    pair_source = np.repeat(strong_owner, run)
    pair_target = post_owner[pair_index]
    pair_score = np.repeat(strong_weight, run) * post_weight[pair_index]

    # Sum the contributions of each (paper, candidate) pair, in the order they were made.
    pair_key = pair_source * total + pair_target
    grouped = np.argsort(pair_key, kind="stable")
    pair_key, pair_score = pair_key[grouped], pair_score[grouped]
    first = np.flatnonzero(np.r_[True, pair_key[1:] != pair_key[:-1]])
    similarity = _ordered_sums(pair_score, first)
    source, target = pair_key[first] // total, pair_key[first] % total
    other = source != target
    source, target, similarity = source[other], target[other], similarity[other]
    similarity = similarity + FIELD_WEIGHT * _shared(field_bits, source, target) + _shared_weight(tag_bits, tag_weights, source, target)
    scored = similarity > 0
    source, target, similarity = source[scored], target[scored], np.round(similarity[scored], 9)
    best = _order(source, _descending_rank(similarity), target, total)
    keep = _first_of_each_group(source[best], count)
    return source[best][keep], target[best][keep]


def _descending_rank(values: "np.ndarray") -> "np.ndarray":
    """Dense rank of each value, 0 for the largest: equal values, equal ranks."""
    distinct, rank = np.unique(values, return_inverse=True)
    return (len(distinct) - 1) - rank.astype(np.int64)


def _append_after_each_group(groups, columns, extra_groups, extra_columns):
    """Rows of ``extra_*`` placed after the rows of the same group (both sorted by group)."""
    merged_groups = np.concatenate([groups, extra_groups])
    order = np.argsort(merged_groups, kind="stable")
    return (merged_groups[order], *(np.concatenate([a, b])[order] for a, b in zip(columns, extra_columns)))


def _order(group: "np.ndarray", descending: "np.ndarray", tiebreak: "np.ndarray", tiebreak_size: int) -> "np.ndarray":
    """The row order by ``group``, then ``descending`` (a ``_descending_rank``), then ``tiebreak``, all ascending.

    Packed into one integer key when it fits, which sorts several times
    faster than ``np.lexsort`` over three keys.
    """
    if not len(group):
        return np.zeros(0, dtype=np.int64)
    span = (int(descending.max()) + 1) * tiebreak_size
    if (int(group.max()) + 1) * span < 2**62:
        return np.argsort(group * span + descending * tiebreak_size + tiebreak, kind="stable")
    return np.lexsort((tiebreak, descending, group))


def _first_of_each_group(groups: "np.ndarray", limit: int) -> "np.ndarray":
    """A mask of the first ``limit`` rows of each run of equal values in sorted ``groups``."""
    if not len(groups):
        return np.zeros(0, dtype=bool)
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    run_lengths = np.diff(np.r_[starts, len(groups)])
    position = np.arange(len(groups)) - np.repeat(starts, run_lengths)
    return position < limit


def _ordered_sums(values: "np.ndarray", starts: "np.ndarray") -> "np.ndarray":
    """Sums of ``values`` over runs beginning at ``starts``, added left to right.

    ``np.add.reduceat`` may add pairwise, which can differ in the last bit
    from adding in order; a running sum per position keeps the order (runs
    are at most a few dozen values, and most hold one).
    """
    run_lengths = np.diff(np.r_[starts, len(values)])
    sums = values[starts].copy()
    longer = np.flatnonzero(run_lengths > 1)
    long_starts, long_lengths, long_sums = starts[longer], run_lengths[longer], sums[longer]
    for step in range(1, int(long_lengths.max(initial=1))):
        still = long_lengths > step
        long_sums[still] += values[long_starts[still] + step]
    sums[longer] = long_sums
    return sums


_KIND_ORDER = {"topic": 0, "method": 1, "generic": 2}


def tag_weight(kind: str, papers_with_tag: int, total: int) -> float:
    """What sharing a tag adds: its kind's weight times its idf scaled to 0..1 (rarer, more)."""
    return KIND_WEIGHTS.get(kind, TOPIC_TAG_WEIGHT) * (math.log((1 + total) / (1 + papers_with_tag)) / math.log(1 + total))


def _tag_weights(ids: list[str], tags: Mapping[str, tuple[str, ...]], kinds: Mapping[str, str]):
    """Each paper's tag numbers (the bit of ``_bitsets``) in ascending order, padded with -1, and each tag's weight."""
    names = sorted({s for i in ids for s in tags.get(i, ())})
    bit = {slug: index for index, slug in enumerate(names)}
    members = defaultdict(int)
    for arxiv_id in ids:
        for slug in set(tags.get(arxiv_id, ())):
            members[slug] += 1
    weights = np.array([tag_weight(kinds.get(slug, "topic"), members[slug], len(ids)) for slug in names], dtype=np.float64)
    rows = [sorted(bit[slug] for slug in set(tags.get(arxiv_id, ()))) for arxiv_id in ids]
    width = max((len(row) for row in rows), default=0)
    numbers = np.full((len(ids), width), -1, dtype=np.int64)
    for number, row in enumerate(rows):
        numbers[number, : len(row)] = row
    return numbers, weights


def _shared_weight(bits: "np.ndarray", tag_weights, source: "np.ndarray", target: "np.ndarray") -> "np.ndarray":
    """The summed weights of the tags each (source, target) pair shares, added in tag order."""
    numbers, weights = tag_weights
    total = np.zeros(len(source), dtype=np.float64)
    for column in range(numbers.shape[1]):
        tag = numbers[source, column]
        present = tag >= 0
        safe = np.where(present, tag, 0)
        has = (bits[target, safe // 64] >> (safe % 64).astype(np.uint64)) & np.uint64(1)
        total = total + np.where(present & (has == 1), weights[safe] if len(weights) else 0.0, 0.0)
    return total


def _bitsets(ids: list[str], slugs: Mapping[str, tuple[str, ...]]) -> "np.ndarray":
    """One row of 64-bit words per paper, a bit per slug it has."""
    bit = {slug: index for index, slug in enumerate(sorted({s for i in ids for s in slugs.get(i, ())}))}
    masks = [sum(1 << bit[slug] for slug in set(slugs.get(arxiv_id, ()))) for arxiv_id in ids]
    words = max(1, -(-len(bit) // 64))
    columns = [np.array([(mask >> (64 * word)) & 0xFFFFFFFFFFFFFFFF for mask in masks], dtype=np.uint64) for word in range(words)]
    return np.stack(columns, axis=1) if ids else np.zeros((0, words), dtype=np.uint64)


def _shared(bits: "np.ndarray", source: "np.ndarray", target: "np.ndarray") -> "np.ndarray":
    """How many slugs each (source, target) pair has in common."""
    return np.bitwise_count(bits[source] & bits[target]).sum(axis=1).astype(np.float64)
