"""The retriever: hybrid search over one index, with abstention, citations and highlights."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from ingest.chunking import fold
from retriever import store
from retriever.abstain import evidence, hand_confidence, figures_asked, should_abstain, topic_words
from retriever.calibration import Calibration, CalibrationError
from retriever.audience import is_childhood, names_a_child, url_words
from retriever.citation import document_links  # ui: unique text fragments
from retriever.dense import load_dense
from retriever.embedding import Embedder, ModelError, get_embedder, resolve_model
from retriever.fusion import rrf
from retriever.highlight import pick_highlights
from retriever.keyword import DocumentTitles, KeywordIndex, surface_counts
from retriever.lexicon import expansions, lay_words, question_terms, spell_out
from retriever.models import Chunk, Hit, SearchResult
from retriever.settings import Settings
from retriever.spelling import Speller
from retriever.tokenization import content_words, tokenize, words

MODES = ("hybrid", "dense", "bm25")
# Boilerplate and outline passages keep their place only when nothing specific competes.
DEMOTION = 0.5
# Searched by `Retriever.warm_up` so the first real question doesn't pay for torch's first
# call and the word lists (about 150 ms); it has a misspelling and an unknown name to reach
# every step.
WARM_UP_QUERY = "carcinoyd tumor treatment with telotristat"
# Abstention looks at this many of the best passages: the ones a reader sees first.
ABSTAIN_DEPTH = 3
# The hand rule's threshold, for a model without a calibration (README, "Abstention").
HAND_THRESHOLD = 0.35


@dataclass(frozen=True)
class Filters:
    """Restrict a search to some documents and/or cancer types (empty means no restriction)."""

    doc_ids: tuple[str, ...] = ()
    cancer_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryPlan:
    """What the query becomes before it is searched: corrected text and keyword tokens."""

    text: str
    dense_text: str
    tokens: list[str]
    corrections: dict[str, str]
    topics: list[str]
    figures: list[int]
    terms: list[tuple[str, ...]]


@dataclass(frozen=True)
class Signals:
    """What each ranking says about one query: id lists best first, scores aligned."""

    plan: QueryPlan
    query_vector: np.ndarray
    dense: list[int]
    dense_scores: np.ndarray
    bm25: list[int]
    bm25_scores: np.ndarray
    sentence: list[int]
    sentence_scores: np.ndarray


class Retriever:
    """Search one index folder.

    Use `Retriever.load`; the object is read-only after that and safe to share between
    threads.
    """

    def __init__(self, index_dir: Path, manifest: dict, chunks: list[Chunk], vectors: np.ndarray,
                 dense: faiss.Index, keyword: KeywordIndex, sentences: store.SentenceTable,
                 embedder: Embedder, settings: Settings, calibration: Calibration | None = None):
        self.index_dir = index_dir
        self.calibration = calibration
        self.manifest = manifest
        self.chunks = chunks
        self.vectors = vectors
        self.dense = dense
        self.keyword = keyword
        self.sentences = sentences
        self.embedder = embedder
        self.settings = settings
        self.speller = Speller(surface_counts([" ".join(c.heading_path) + " " + c.text for c in chunks]),
                               settings.fuzzy_min_score)
        self._sentence_vectors = sentences.vectors.astype(np.float32)
        self._demoted = np.array([c.shared or c.outline for c in chunks], dtype=bool)
        self._childhood = np.array([is_childhood(c.title, c.url) for c in chunks], dtype=bool)
        self._fold = [fold(c.text) for c in chunks]
        self._doc_ids = np.array([c.doc_id for c in chunks])
        self._cancer_types = [{t.lower() for t in c.cancer_types} for c in chunks]
        labels: dict[str, str] = {}
        for c in chunks:
            labels.setdefault(c.doc_id, " ".join([c.title, c.heading_path[0] if c.heading_path else "",
                                                  url_words(c.url)]))
        self.titles = DocumentTitles([c.doc_id for c in chunks], labels)
        self.links = document_links(chunks)  # ui: chunk id -> link with a unique text fragment

    @classmethod
    def load(cls, index_dir: Path | str, settings: Settings | None = None,
             embedder: Embedder | None = None) -> "Retriever":
        """Load and verify an index folder.

        Raises:
            IndexLoadError: a missing, corrupted or incompatible file, named in the message.
        """
        settings = settings or Settings()
        index_dir = Path(index_dir)
        manifest = store.read_manifest(index_dir)
        if manifest.get("model") != settings.model:
            raise store.IndexLoadError(index_dir, f"it was built with model {manifest.get('model')!r} "
                                                  f"but the service is set to {settings.model!r}")
        resolved = index_dir.resolve()
        try:
            store.verify_files(resolved, manifest)
            chunks = _read(store.CHUNKS, lambda: store.read_chunks(resolved))
            vectors = _read(store.EMBEDDINGS, lambda: np.load(resolved / store.EMBEDDINGS))
            dense = _read(store.DENSE, lambda: load_dense(resolved / store.DENSE, settings.hnsw_ef_search))
            keyword = _read(store.BM25_DIR, lambda: KeywordIndex.load(resolved / store.BM25_DIR, len(chunks)))
            sentences = _read(store.SENTENCES, lambda: store.SentenceTable.load(resolved / store.SENTENCES))
        except store.IndexLoadError as exc:
            # name the path the operator gave, not the version folder behind the link
            raise store.IndexLoadError(index_dir, exc.problem) from None
        if not (len(chunks) == vectors.shape[0] == dense.ntotal == manifest.get("chunks_count")):
            raise store.IndexLoadError(index_dir, "chunks, embeddings and FAISS index disagree in size")
        embedder = embedder or get_embedder(settings.model)
        built_with = manifest.get("model_sha256", "")
        if built_with and embedder.weights_sha256 and built_with != embedder.weights_sha256:
            raise store.IndexLoadError(index_dir, f"it was built with other weights of model "
                                                  f"{settings.model!r} (sha256 {built_with[:12]}, "
                                                  f"now {embedder.weights_sha256[:12]})")
        if embedder.dimension != manifest.get("dimension"):
            raise store.IndexLoadError(index_dir, f"dimension {manifest.get('dimension')} differs from "
                                                  f"the model's {embedder.dimension}")
        try:
            calibration = Calibration.load(resolve_model(settings.model))
        except CalibrationError as exc:
            raise ModelError(str(exc)) from None
        return cls(resolved, manifest, chunks, vectors, dense, keyword, sentences, embedder, settings,
                   calibration)

    @property
    def threshold(self) -> float:
        """The abstention threshold: the setting, else the model's calibrated one, else the
        hand rule's."""
        if self.settings.abstain_threshold is not None:
            return self.settings.abstain_threshold
        return self.calibration.threshold if self.calibration else HAND_THRESHOLD

    def warm_up(self) -> None:
        """Search once, so a server's first real question doesn't pay for first calls."""
        self.search(WARM_UP_QUERY)

    # -- query understanding -------------------------------------------------------------

    def plan(self, query: str) -> QueryPlan:
        """Write out short forms, correct misspellings and add document words for lay words."""
        text = spell_out(query)
        corrections = {}
        for w in dict.fromkeys(words(text)):
            fixed = self.speller.correct(w)
            if fixed:
                corrections[w] = fixed
        for wrong, right in corrections.items():
            text = _replace_word(text, wrong, right)
        extra = expansions(text) if self.settings.lexicon else []
        tokens = tokenize(text) + tokenize(" ".join(extra))
        topics = topic_words(content_words(text), lay_words(text), self.speller.looks_misspelled)
        return QueryPlan(text=query, dense_text=text, tokens=tokens, corrections=corrections,
                         topics=topics, figures=figures_asked(text), terms=question_terms(text))

    # -- search --------------------------------------------------------------------------

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if not filters or not (filters.doc_ids or filters.cancer_types):
            return None
        mask = np.ones(len(self.chunks), dtype=bool)
        if filters.doc_ids:
            mask &= np.isin(self._doc_ids, list(filters.doc_ids))
        if filters.cancer_types:
            wanted = {t.lower() for t in filters.cancer_types}
            mask &= np.array([bool(ct & wanted) for ct in self._cancer_types], dtype=bool)
        return mask

    def _dense_ranking(self, qv: np.ndarray, n: int, allowed: np.ndarray | None) -> tuple[list[int], np.ndarray]:
        if allowed is None:
            scores, ids = self.dense.search(qv[None, :], min(n, len(self.chunks)))
            keep = ids[0] >= 0
            return ids[0][keep].tolist(), scores[0][keep]
        allowed_ids = np.flatnonzero(allowed)
        if not len(allowed_ids):
            return [], np.zeros(0, dtype=np.float32)
        sims = self.vectors[allowed_ids] @ qv
        order = np.argsort(-sims)[:n]
        return allowed_ids[order].tolist(), sims[order]

    def _sentence_ranking(self, qv: np.ndarray, candidates: list[int]) -> tuple[list[int], np.ndarray]:
        """Candidate chunks ranked by their single best-matching sentence or list item.

        A lay question often matches one line of a passage ("Heartburn.") far better than
        the passage as a whole, whose embedding averages many topics. Only the candidates
        of the other rankings are scored, which keeps the cost flat as the corpus grows.
        """
        if not candidates:
            return [], np.zeros(0, dtype=np.float32)
        best = np.full(len(candidates), -np.inf, dtype=np.float32)
        for j, idx in enumerate(candidates):
            sims = self._sentence_scores(idx, qv)[1]
            if sims.size:
                best[j] = float(sims.max())
        order = [j for j in np.argsort(-best) if np.isfinite(best[j])]
        return [candidates[j] for j in order], best[order]

    def _bm25_ranking(self, tokens: list[str], n: int, allowed: np.ndarray | None) -> tuple[list[int], np.ndarray]:
        scores = self.keyword.scores(tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n else np.zeros(0, dtype=int)
        top = top[np.argsort(-scores[top])]
        top = top[scores[top] > 0]
        return [int(i) for i in top], scores[top]

    def _sentence_scores(self, idx: int, qv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Spans of chunk ``idx``'s sentences and their cosine with the query."""
        a, b = self.sentences.offsets[idx], self.sentences.offsets[idx + 1]
        return self.sentences.spans[a:b], self._sentence_vectors[a:b] @ qv

    def signals(self, query: str, k: int = 5, mode: str = "hybrid",
                filters: Filters | None = None) -> Signals:
        """Each ranking's candidates for ``query``, best first, with their scores.

        This is everything fusion combines; `search` fuses it, and benchmarks read it to
        study the fusion on exactly the lists the retriever uses.
        """
        plan = self.plan(query.strip())
        allowed = self._allowed(filters)
        n = max(self.settings.candidates, k * 4)
        qv = self.embedder.encode_query(plan.dense_text)
        dense_ids, dense_scores = self._dense_ranking(qv, n, allowed)
        bm25_ids, bm25_scores = (self._bm25_ranking(plan.tokens, n, allowed) if mode != "dense"
                                 else ([], np.zeros(0, dtype=np.float32)))
        candidates = list(dict.fromkeys(dense_ids + bm25_ids))
        sent_ids, sent_scores = (self._sentence_ranking(qv, candidates) if mode != "bm25"
                                 else ([], np.zeros(0, dtype=np.float32)))
        return Signals(plan=plan, query_vector=qv, dense=dense_ids, dense_scores=dense_scores,
                       bm25=bm25_ids, bm25_scores=bm25_scores, sentence=sent_ids,
                       sentence_scores=sent_scores)

    def search(self, query: str, k: int = 5, mode: str = "hybrid",
               filters: Filters | None = None) -> SearchResult:
        """Best passages for ``query``, or an abstention when none matches well.

        Args:
            query: Free text, as typed.
            k: Passages to return.
            mode: ``hybrid`` (dense + BM25 by RRF), ``dense`` or ``bm25``.
            filters: Restrict to documents or cancer types.

        Raises:
            ValueError: blank query, k < 1 or an unknown mode.
        """
        if not query or not query.strip():
            raise ValueError("query is empty")
        if k < 1:
            raise ValueError("k must be at least 1")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        s = self.settings
        sig = self.signals(query, k, mode, filters)
        plan, qv = sig.plan, sig.query_vector
        dense_ids, dense_scores, bm25_ids, sent_ids = sig.dense, sig.dense_scores, sig.bm25, sig.sentence
        if mode == "bm25":
            fused = {i: 1.0 / (s.rrf_k + r) for r, i in enumerate(bm25_ids, 1)}
        else:
            lists = [dense_ids, sent_ids] + ([bm25_ids] if mode == "hybrid" else [])
            weights = [s.dense_weight, s.sentence_weight, s.bm25_weight]
            fused = rrf(lists, weights, s.rrf_k)
            doc_ranks = self.titles.ranks(plan.tokens) if mode == "hybrid" else None
            if doc_ranks is not None and s.document_weight:
                for i in fused:
                    fused[i] += s.document_weight / (s.rrf_k + doc_ranks[self.titles.chunk_doc[i]])
        adult = self._childhood.any() and not names_a_child(plan.dense_text)
        for i in fused:
            if self._demoted[i]:
                fused[i] *= DEMOTION
            if adult and self._childhood[i]:
                fused[i] *= s.childhood_weight
        ordered = sorted(fused, key=lambda i: -fused[i])

        hits: list[Hit] = []
        seen: set[str] = set()
        best_chunk = float(dense_scores[0]) if len(dense_scores) else -1.0
        best_sentence = -1.0
        for idx in ordered:
            if self._fold[idx] in seen:
                continue
            seen.add(self._fold[idx])
            spans, sims = self._sentence_scores(idx, qv)
            if len(hits) < ABSTAIN_DEPTH and sims.size:
                best_sentence = max(best_sentence, float(sims.max()))
            chunk = self.chunks[idx]
            hits.append(Hit(rank=len(hits) + 1, score=fused[idx], chunk=chunk,
                            link=self.links[chunk.id],
                            highlights=pick_highlights([tuple(x) for x in spans], sims)))
            if len(hits) == k:
                break
        top = [(h.chunk.text, " ".join(h.chunk.heading_path)) for h in hits[:ABSTAIN_DEPTH]]
        best = max(best_chunk, best_sentence)
        ev, missing = evidence(plan.dense_text, best, top, plan.terms, plan.topics, plan.figures)
        if self.calibration is None:
            conf = hand_confidence(ev, missing)
        else:
            conf = self.calibration.confidence(ev)
            if ev.figure_missing or ev.provider_missing:
                conf = 0.0  # vetoes kept by hand: the training data asks for no figures or doctors
        abstained = bool(hits) and should_abstain(conf, self.threshold) or not hits
        return SearchResult(query=query, hits=[] if abstained else hits, abstained=abstained,
                            mode=mode, confidence=conf, missing=missing,
                            evidence=ev, corrections=plan.corrections)  # ui: say what was corrected


def _read(name: str, load):
    """Run one file's loader; any failure becomes an `IndexLoadError` naming the file."""
    try:
        return load()
    except store.IndexLoadError:
        raise
    except Exception as exc:  # numpy, faiss, bm25s and json each raise their own types
        raise store.IndexLoadError(Path("."), f"file {name} is unreadable ({type(exc).__name__}: {exc})") from None


def _replace_word(text: str, wrong: str, right: str) -> str:
    return re.sub(rf"\b{re.escape(wrong)}\b", right, text, flags=re.IGNORECASE)
