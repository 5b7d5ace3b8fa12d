"""Stage 5's last step: the passages a search names outright come before any score.

A search box's conventions, not a learned order: a quoted phrase is a must-have (its holders
first, `planning.held`), a word typed alone is a look-up of that word
(`lone_term`: a support worker's "nuts" got first a passage without it), and a
section's heading typed as it stands is that section. Over the corpus, 307 of 400 headings
typed alone put a passage under that heading first (345 with this tier), and 373 put one in
the first five: staff who copy a heading from the summary ("Stages of Prostate Cancer") want
its section, not the passages closest to its words. Only the summary already first is
reordered so: another summary's section of the same words ("Pancreatic Cancer" in Rare
Cancers of Childhood) must not come before the pancreatic summary's own passages (a review
found 33 such searches). Adults' summaries come before childhood ones for a question naming
adults (`audience.names_adults`), below the other tiers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from retriever.audience import names_adults
from retriever.planning import QueryPlan, held
from retriever.tokenization import words

if TYPE_CHECKING:
    from retriever.models import Chunk
    from retriever.search import Retriever


def heading_rows(chunks: Iterable[Chunk]) -> dict[tuple[str, ...], frozenset[int]]:
    """Each heading's words (below the summary's title) and the rows of the passages under it."""
    rows: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for i, chunk in enumerate(chunks):
        for heading in chunk.heading_path[1:]:
            if key := tuple(words(heading)):
                rows[key].add(i)
    return {key: frozenset(found) for key, found in rows.items()}


def lone_term(plan: QueryPlan) -> tuple[str, ...]:
    """The one term of a question of one word ("nuts", "octreotide"), with its alternatives;
    () for any other. Typed alone, a word is a keyword look-up, as in a search box: a support
    worker's "nuts" got first a passage without it, close to the word's meaning."""
    return plan.terms[0] if len(plan.terms) == 1 and len(words(plan.text)) == 1 else ()


def named_heading(r: Retriever, plan: QueryPlan) -> frozenset[int]:
    """The rows under the heading the search types as it stands (as typed or as corrected)."""
    for text in (plan.text, plan.dense_text):
        if found := r.headings.get(tuple(words(text))):
            return found
    return frozenset()


def tiers(r: Retriever, plan: QueryPlan, scores: dict[int, float], mode: str = "hybrid") -> dict[int, int]:
    """Each candidate's tier: 2 for a quoted phrase's holders (more for more), a word typed
    alone or a heading typed whole; 1 more for an adult's passage where the question names adults."""
    adults = plan.audience == "adult" and r.childhood.any() and names_adults(plan.text)
    hybrid = mode == "hybrid"
    lone = lone_term(plan) if hybrid else ()
    heading = named_heading(r, plan) if hybrid and not plan.phrases and scores else frozenset()
    if heading:  # within the summary already first: a heading names a section, not a summary
        first = r.doc_ids[max(scores, key=scores.get)]
        heading = frozenset(i for i in heading if r.doc_ids[i] == first)
    if not (plan.phrases or adults or lone or heading):
        return {}
    out = {i: int(adults and not r.childhood[i]) for i in scores}
    for i in scores:  # each phrase tier (x2) above the audience one
        if plan.phrases:
            out[i] += 2 * held(plan, r.chunks[i].text, r.words.of(i))
        else:
            out[i] += 2 * (i in heading or bool(lone) and any(map(r.words.of(i).knows, lone)))
    return out
