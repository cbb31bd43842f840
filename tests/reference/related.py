"""The first, pure-Python related-papers scorer: the reference ``related.related_papers`` must equal.

``generator.related`` computes the same lists with numpy array operations;
tests/test_related.py compares the two on the sample and shared archives.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from typing import Mapping

from generator.related import CANDIDATE_TAGS, FIELD_WEIGHT, POSTINGS_PER_TERM, RELATED_COUNT, TERMS_PER_PAPER, tag_weight

_KIND_ORDER = {"topic": 0, "method": 1, "generic": 2}


def related_papers_reference(terms: Mapping[str, Counter], fields, tags, count: int = RELATED_COUNT, kinds=None) -> dict[str, tuple[str, ...]]:
    """``related.related_papers``, one paper at a time with dictionaries and heaps."""
    ids = sorted(terms)
    document_frequency = Counter(term for arxiv_id in ids for term in terms[arxiv_id])
    total = len(ids)
    strongest: dict[str, list[tuple[str, float]]] = {}
    postings: dict[str, list[tuple[float, str]]] = defaultdict(list)
    idf = {term: math.log((1 + total) / (1 + frequency)) for term, frequency in document_frequency.items()}
    for arxiv_id in ids:
        weights = {term: (1 + math.log(tf)) * idf[term] if tf > 1 else tf * idf[term] for term, tf in terms[arxiv_id].items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vector = [(t, w / norm) for t, w in weights.items() if w > 0]
        strongest[arxiv_id] = heapq.nlargest(TERMS_PER_PAPER, vector, key=lambda kv: (kv[1], kv[0]))
        for term, weight in vector:
            postings[term].append((weight, arxiv_id))
    for term, posting in postings.items():
        if len(posting) > POSTINGS_PER_TERM:
            # Ties go to the older id, so a new day does not reshuffle old papers' lists.
            postings[term] = heapq.nsmallest(POSTINGS_PER_TERM, posting, key=lambda item: (-item[0], item[1]))

    by_field: dict[str, list[str]] = defaultdict(list)
    by_tag: dict[str, list[str]] = defaultdict(list)
    for arxiv_id in ids:
        for tag in tags.get(arxiv_id, ()):
            by_tag[tag].append(arxiv_id)
        for field in fields.get(arxiv_id, ()):
            by_field[field].append(arxiv_id)
    kinds = kinds or {}
    weight_of = {tag: tag_weight(kinds.get(tag, "topic"), len(set(members)), total) for tag, members in by_tag.items()}

    out = []
    for arxiv_id in ids:
        scores: dict[str, float] = defaultdict(float)
        for term, weight in strongest[arxiv_id]:
            for other_weight, other in postings[term]:
                scores[other] += weight * other_weight
        # Papers that share a rare tag are candidates even without shared words.
        for tag in sorted(tags.get(arxiv_id, ()), key=lambda t: (_KIND_ORDER.get(kinds.get(t, "topic"), 0), len(by_tag[t]), t))[:CANDIDATE_TAGS]:
            for other in by_tag[tag][:POSTINGS_PER_TERM]:
                scores[other] += 0.0
        scores.pop(arxiv_id, None)
        own_fields = set(fields.get(arxiv_id, ()))
        own_tags = set(tags.get(arxiv_id, ()))
        scored = []
        for other, similarity in scores.items():
            similarity += FIELD_WEIGHT * len(own_fields.intersection(fields.get(other, ())))
            shared = 0.0
            for tag in sorted(own_tags.intersection(tags.get(other, ()))):
                shared += weight_of[tag]
            similarity += shared
            if similarity > 0:
                scored.append((-round(similarity, 9), other))
        chosen = [other for _, other in heapq.nsmallest(count, scored)]
        if len(chosen) < count:
            # Too few papers share words: fall back to papers of the same fields, never to unrelated ones.
            pool = [o for f in sorted(own_fields) for o in by_field[f][: count * 4]]
            for other in pool:
                if len(chosen) >= count:
                    break
                if other != arxiv_id and other not in chosen:
                    chosen.append(other)
        out.append((arxiv_id, tuple(chosen)))
    return dict(out)
