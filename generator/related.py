"""Related papers: the papers whose words are most like a paper's.

Each paper is a sparse tf-idf vector of its terms (``analysis.related_terms``);
candidates come from inverted lists truncated to the strongest postings per
term (so the work stays linear in the archive size), are scored by cosine
similarity blended with shared fields and tags, and the best five are kept,
ties broken by id. The scoring runs on numpy arrays.
"""

from __future__ import annotations

from collections import defaultdict
from types import MappingProxyType
from typing import Mapping

import numpy as np


RELATED_COUNT = 5
POSTINGS_PER_TERM = 20  # strongest papers kept per term
TERMS_PER_PAPER = 14  # strongest terms of a paper
FIELD_WEIGHT = 0.06
TAG_WEIGHT = 0.05


def related_papers(
    terms: Mapping[str, Mapping[str, int]],
    fields: Mapping[str, tuple[str, ...]],
    tags: Mapping[str, tuple[str, ...]],
    count: int = RELATED_COUNT,
) -> Mapping[str, tuple[str, ...]]:
    """The ``count`` most related papers of each paper, deterministic.

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
    return MappingProxyType(_related(ids, flat, lengths, frequencies, fields, tags, count))


def related_of_archive(archive) -> Mapping[str, tuple[str, ...]]:
    """``related_papers`` of every entry of an archive, from the terms of its analysis."""
    entries = archive.entries
    return related_papers(
        {i: e.analysis.terms for i, e in entries.items()},
        {i: e.fields for i, e in entries.items()},
        {i: e.tags for i, e in entries.items()},
    )


def _related(
    ids: list[str],
    flat_terms: list[str],
    lengths: "np.ndarray",
    frequencies: "np.ndarray",
    fields: Mapping[str, tuple[str, ...]],
    tags: Mapping[str, tuple[str, ...]],
    count: int = RELATED_COUNT,
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
    weight = np.where(tf > 1, (1 + np.log(np.maximum(tf, 1))) * idf[term], idf[term])
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

    # Papers that share one of a paper's two rarest tags are candidates even
    # without shared words: such a tag acts as one more term of the paper,
    # after its words, whose postings are the tag's first papers, at weight 0.
    tag_members: dict[str, list[int]] = defaultdict(list)
    for number, arxiv_id in enumerate(ids):
        for tag in tags.get(arxiv_id, ()):
            tag_members[tag].append(number)
    tag_term = {tag: len(names) + index for index, tag in enumerate(sorted(tag_members))}
    rare_owner, rare_term = [], []
    for number, arxiv_id in enumerate(ids):
        for tag in sorted(tags.get(arxiv_id, ()), key=lambda t: (len(tag_members[t]), t))[:2]:
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
    postings = (post_term, post_owner, post_weight)
    # Scored a block of papers at a time: the candidate pairs of a block fit
    # in the processor's cache, where a year's millions of pairs would not.
    bounds = np.searchsorted(strong_owner, np.arange(0, total + SCORING_BLOCK, SCORING_BLOCK))
    blocks = [
        _best_candidates(strong_owner[a:b], strong_term[a:b], strong_weight[a:b], postings, field_bits, tag_bits, total, count)
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
            # Too few papers share words: fall back to papers of the same fields, then any.
            pool = [o for f in sorted(set(fields.get(arxiv_id, ()))) for o in by_field[f][: count * 4]] + ids[: count * 4]
            for candidate in pool:
                if len(picked) >= count:
                    break
                if candidate != arxiv_id and candidate not in picked:
                    picked.append(candidate)
        related[arxiv_id] = tuple(picked)
    return related


SCORING_BLOCK = 512  # papers scored together


def _best_candidates(strong_owner, strong_term, strong_weight, postings, field_bits, tag_bits, total: int, count: int):
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
    similarity = similarity + FIELD_WEIGHT * _shared(field_bits, source, target) + TAG_WEIGHT * _shared(tag_bits, source, target)
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
