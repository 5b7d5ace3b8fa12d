"""Stage 6's tail: more passages when repeats leave fewer than a search asked for.

Each ranking proposes `Settings.candidates` passages (50, the API's most k), and passages
whose text another shows word for word are shown once (`fusion.select`). PDQ copies its
notes and its clinical-trial paragraphs into every summary, so over the corpus a staff
search for k=50 of "clinical trials" showed 18 passages of the 376 distinct ones that say it,
and a quoted "watchful waiting" 45 of its 54 holders, with 5 that lack it after them (a staff
trial). When the chosen passages are fewer than asked, the search reads each ranking further
down (`DEPTH_FACTOR` times as far, then four times further while that is not enough) and
adds the passages not yet shown below every scored one: the passages above them, and the
verdict on them, stay as they were. A quoted phrase's holders are read as distinct texts in
the first place (`searchers.PhraseSearcher`), so that they all come first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from retriever import fusion
from retriever.searchers import Ranking, Signals

if TYPE_CHECKING:
    from retriever.search import Retriever

# How much further than the first reading each ranking is read for the tail.
DEPTH_FACTOR = 8


def fill(r: Retriever, sig: Signals, scores: dict[int, float], chosen: list[int], k: int,
         mode: str) -> tuple[list[int], dict[int, float], Signals]:
    """``chosen`` with passages of the deeper rankings added until ``k`` (or none is left),
    ``scores`` with theirs (below every score, in the order the deeper rankings give), and
    ``sig`` with them after its rankings (`_joined`) and their sentences scored, which their
    hits read."""
    if len(chosen) >= k:
        return chosen, scores, sig
    q, n = sig.query, max(r.settings.candidates, k) * DEPTH_FACTOR
    shown = {r.folded[i] for i in chosen}
    while True:  # four times as deep again while repeats still leave fewer than k and more is left
        dense = r.dense.search(q, n) if mode != "bm25" else sig.dense
        bm25 = r.bm25.search(q, n) if mode != "dense" else sig.bm25
        lists = [ranking.ids for name, ranking in (("dense", dense), ("bm25", bm25)) if name in sig.fused]
        deeper = fusion.best_first(fusion.rrf(lists, [1.0] * len(lists), r.settings.rrf_k))
        extra = fusion.select([i for i in deeper if i not in scores], r.folded, k - len(chosen), shown)
        if len(chosen) + len(extra) >= k or all(len(ids) < n for ids in lists) or n >= len(r.chunks):
            break
        n *= 4
    if not extra:
        return chosen, scores, sig
    floor = min(scores.values(), default=0.0) - 1.0
    sentences = r.sentence_scorer.score(q, [*sig.sentences.rows, *extra])
    return (chosen + extra, {**scores, **{i: floor - j * 1e-6 for j, i in enumerate(extra)}},
            replace(sig, dense=_joined(sig.dense, dense, extra) if dense is not sig.dense else dense,
                    bm25=_joined(sig.bm25, bm25, extra) if bm25 is not sig.bm25 else bm25, sentences=sentences))


def _joined(first: Ranking, deeper: Ranking, extra: list[int]) -> Ranking:
    """``first`` with the ``extra`` passages ``deeper`` holds after it, in its order: a hit
    names the rankings that proposed it (`Hit.found_by`), and those above the added passages
    keep the ones the first reading gave them, whatever k is (a review)."""
    added = set(extra)
    at = [j for j, i in enumerate(deeper.ids) if i in added]
    return Ranking(first.ids + [deeper.ids[j] for j in at], np.concatenate([first.scores, deeper.scores[at]]))
