"""Training pairs: each question with the exact text the index embeds for its passage.

A question's positive is the chunk of its section that holds its evidence quote, written
as ingest writes it (breadcrumb + passage), and, for the best-sentence ranking, the
sentence or list item that holds the quote. Documents are split once, by a hash of their
id, into training and validation summaries; validation summaries are never trained or
tuned on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.loading import load_documents
from retriever.models import Chunk
from retriever.text import embedding_text, sentence_spans
from training.questions import TrainingQuestion, squash

#: Share of summaries held out as validation documents (issue: "about 15%").
VALIDATION_SHARE = 0.15


def is_validation(doc_id: str) -> bool:
    """Stable, content-free split: the first bytes of the id's hash decide."""
    h = int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16)
    return h / 0xFFFFFFFF < VALIDATION_SHARE


def split(questions: list[TrainingQuestion], known: set[str] | None = None
          ) -> tuple[list[TrainingQuestion], list[TrainingQuestion]]:
    """The training and the validation questions (of the ``known`` summaries, when given)."""
    kept = [q for q in questions if known is None or q.doc_id in known]
    return [q for q in kept if not is_validation(q.doc_id)], [q for q in kept if is_validation(q.doc_id)]


@dataclass(frozen=True)
class Pair:
    question: str
    doc_id: str
    chunk_id: str
    passage: str      # breadcrumb + passage, as embedded by ingest
    sentence: str     # the sentence or list item holding the evidence ("" if none found)


def corpus_chunks(corpus: Path, count_tokens, max_tokens: int) -> dict[str, list[Chunk]]:
    """The corpus cut exactly as ingest cuts it, by document."""
    docs, errors = load_documents(corpus)
    if errors:
        raise ValueError("; ".join(str(e) for e in errors))
    return {d.doc_id: chunk_document(d, count_tokens, max_tokens) for d in docs}


def _locate(q: TrainingQuestion, chunks: list[Chunk]) -> tuple[Chunk, str] | None:
    """The chunk of ``q``'s section holding its evidence, and the sentence holding it."""
    quote = squash(q.evidence)
    in_section = [c for c in chunks if tuple(c.heading_path) == q.heading_path]
    for c in in_section:
        if quote in squash(c.text):
            for a, b in sentence_spans(c.text):
                if quote in squash(c.text[a:b]):
                    return c, c.text[a:b]
            return c, ""
    return (in_section[0], "") if in_section else None


def build_pairs(questions: list[TrainingQuestion], chunks: dict[str, list[Chunk]]) -> list[Pair]:
    """One `Pair` per question whose passage can be found (all, for validated files)."""
    pairs = []
    for q in questions:
        found = _locate(q, chunks.get(q.doc_id, []))
        if found is None:
            continue
        chunk, sentence = found
        pairs.append(Pair(q.question, q.doc_id, chunk.id,
                          embedding_text(chunk.heading_path, chunk.text, chunk.title), sentence))
    return pairs
