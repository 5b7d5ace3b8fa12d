"""Hard negatives mined with the starting model: for each training question, the passage
it ranks highest that is not in the question's own section.

In-batch negatives are only as hard as the batch: two related summaries. A mined negative
is the passage the model actually confuses with the answer, wherever it stands in the
training summaries ("Stages of adult Hodgkin lymphoma" for a childhood Hodgkin staging
question). Passages of the question's own section are never negatives (they may answer
it too), nor are texts that stand in several places (boilerplate).
"""

from __future__ import annotations

import numpy as np

from retriever.models import Chunk
from retriever.text import embedding_text, fold
from training.data import Pair, is_validation

#: Questions scored against all training passages at a time (memory: rows x passages floats).
BLOCK = 2048


def mine_negatives(model, pairs: list[Pair], chunks: dict[str, list[Chunk]]) -> list[tuple[str, str]]:
    """The hard negative's (chunk id, passage as embedded) for each pair; ("", "") for a
    validation pair or when none is found."""
    pool = [c for d, cs in chunks.items() if not is_validation(d) for c in cs]
    texts = [embedding_text(c.heading_path, c.text, c.title) for c in pool]
    section = {c.id: (c.doc_id, tuple(c.heading_path)) for c in pool}
    folded = [fold(c.text) for c in pool]
    repeated = _repeated(folded)
    vecs = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
                        show_progress_bar=True)
    train = [i for i, p in enumerate(pairs) if not is_validation(p.doc_id)]
    qvecs = model.encode([pairs[i].question for i in train], batch_size=128, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=True)
    out = [("", "")] * len(pairs)
    for start in range(0, len(train), BLOCK):
        order = np.argsort(-(qvecs[start:start + BLOCK] @ vecs.T), axis=1)[:, :30]
        for row, candidates in zip(train[start:start + BLOCK], order):
            own = section[pairs[row].chunk_id] if pairs[row].chunk_id in section else None
            for j in candidates:
                if section[pool[j].id] != own and folded[j] not in repeated:
                    out[row] = (pool[j].id, texts[j])
                    break
    return out


def _repeated(folded: list[str]) -> set[str]:
    seen, twice = set(), set()
    for f in folded:
        (twice if f in seen else seen).add(f)
    return twice
