"""What produced a set of results: the index, the model, the encoder file, the ranker and
the threshold in force.

Figures are only comparable when these agree. The int8 encoder is a different file on an
AVX-512 VNNI CPU than on an AVX2 one, and onnxruntime's int8 kernels round differently by
CPU even for the same file: the same code and index put a few questions of the seed's 607
first or not by machine (docs/backends.md, "Figures depend on the CPU"). So /readyz and
every eval run name them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retriever.search import Retriever


def describe(retriever: Retriever) -> dict:
    """The index being searched and what searches it, as /readyz reports it."""
    m = retriever.manifest
    ranker = getattr(retriever.reranker, "sha256", None)
    domain = retriever.domain.sha256 if retriever.domain and retriever.settings.domain_check else None
    return {"model": m.model, "backend": retriever.embedder.backend, "encoder": retriever.embedder.file,
            "ranker": ranker[:12] if ranker else None, "domain_check": domain[:12] if domain else None,
            "answer_check": _short(retriever.answer_check, retriever.settings.answer_check),
            "crisis_check": _short(retriever.crisis, retriever.settings.crisis_check),
            "passing_check": _short(retriever.passing, retriever.settings.passing_check),
            "animal_check": _short(retriever.animals, retriever.settings.animal_check),
            "abstain_threshold": retriever.threshold,
            "documents": m.documents_count, "chunks": m.chunks_count, "index_created": m.created}


def search_settings(retriever: Retriever) -> dict:
    """Every retrieval setting the search runs with (``{"lexicon": False, "rrf_k": 10, …}``):
    eval reports record them all, so that `eval.compare` names a run with ``PDQ_LEXICON=false``
    or other RRF weights, which `describe` leaves out, and a default changed between commits."""
    return asdict(retriever.settings)


def _short(check, on: bool) -> str | None:
    """First 12 hex digits of a shipped check's sha256; None when it is off or not shipped."""
    return check.sha256[:12] if check is not None and on else None


def run_line(retriever: Retriever) -> str:
    """One line for a report's header: "pdq-minilm-l6 on onnx-int8 (onnx/model_qint8_avx2.onnx),
    ranker c60029e6d6c5, domain check 1a2b3c4d5e6f, answerable check 0a1b2c3d4e5f, in-passing check
    5d2e8b1c7a90, animal check 8b4e2a1f6c3d, abstention threshold 0.34"."""
    d = describe(retriever)
    return (f"{d['model']} on {d['backend']} ({d['encoder']}), ranker {d['ranker'] or 'off (fused order)'}, "
            f"domain check {d['domain_check'] or 'off'}, answerable check {d['answer_check'] or 'off'}, "
            f"in-passing check {d['passing_check'] or 'off'}, animal check {d['animal_check'] or 'off'}, "
            f"abstention threshold {d['abstain_threshold']:.2f}")
