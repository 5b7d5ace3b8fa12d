"""The retriever: one search as a pipeline of visible stages.

1. plan      `Planner.plan`: short forms written out, typos corrected, lay words bridged
2. retrieve  `Retriever.signals`: each searcher's `Ranking` (dense, BM25), the sentence
             scores of their candidates (`retriever.searchers`), the documents' title ranks;
             stage 1 and the keyword searches run beside the encoder (`retriever.beside`)
3. fuse      `fusion.rrf` (+ the title ranks of the documents on a many-document index)
4. adjust    `fusion.adjust`: boilerplate and outline passages demoted, childhood passages
             for a question that names no child
5. rerank    `Reranker` (the model's learned ranker, `retriever.ranker`, when it ships
             one): new scores for the adjusted candidates (hybrid searches); then
             `Retriever.lift` (`retriever.lifting`): quoted phrases, a word typed alone, a
             heading typed whole, and adult summaries for a question naming adults
6. select    `fusion.select`: the first k passages, no text twice (`deeper.fill`: more
             read further down when repeats leave fewer)
7. hits      `Retriever.hit`: citation link and highlights from the stage-2 sentence scores
8. abstain   `judging.judge_passages`: `abstain.evidence` + `abstain.judge` over the first
             hits, the confidence moved by what the question's wording says
             (`retriever.answerable`), a topic named in passing answered (`retriever.passing`);
             a rare topic they miss looked for further down (`judging.judge_or_look_further`)
"""

from __future__ import annotations

import copy
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np

from retriever import fusion, lifting
from retriever.abstain import near_miss
from retriever.animals import AnimalCheck
from retriever.answerable import AnswerCheck
from retriever.audience import is_childhood
from retriever.beside import keyword_half, plan_beside
from retriever.calibration import Calibration
from retriever.cancer_types import types_of
from retriever.citation import continuations, document_links
from retriever.crisis import CrisisCheck, reads_crisis
from retriever.deeper import fill
from retriever.domain import DomainCheck
from retriever.dose_typed import verbs
from retriever.embedding import Embedder, ModelError, cpu_share, get_embedder, resolve_model, search_threads
from retriever.highlight import pick_highlights
from retriever.judging import index_kinds, judge_or_look_further, unmentioned
from retriever.keyword import DocumentTitles
from retriever.loading import IndexData, check_weights, read_index
from retriever.models import Filters, Hit, SearchResult, check_request
from retriever.planning import Planner, QueryPlan
from retriever.ranker import LearnedRanker, RankerError, Reranker
from retriever.scope import CANCER_TYPE, Scope
from retriever.searchers import FUSED, DenseSearcher, KeywordSearcher, PhraseSearcher, Ranking, SentenceScorer, Signals
from retriever.settings import RetrievalSettings, Settings
from retriever.shipped import load_shipped
from retriever.spelling import Speller
from retriever.store import IndexLoadError
from retriever.text import fold
from retriever.tokenization import not_in_english

# Searched by `Retriever.warm_up` so the first real question doesn't pay for first calls and
# the word lists; it has a misspelling and an unknown name to reach every step.
WARM_UP_QUERY = "carcinoyd tumor treatment with telotristat"


class Retriever:
    """Search one index folder. Use `Retriever.load`; the object is read-only after that and
    safe to share between threads. `with_settings` gives a copy with other retrieval settings.
    """

    def __init__(self, index: IndexData, embedder: Embedder, settings: RetrievalSettings,
                 calibration: Calibration | None = None, reranker: Reranker | None = None, plan_beside: bool = False,
                 domain: DomainCheck | None = None, answer_check: AnswerCheck | None = None,
                 crisis: CrisisCheck | None = None, passing: AnswerCheck | None = None,
                 animals: AnimalCheck | None = None):
        self.index = index
        self.domain = domain  # whether a question is about cancer at all (`retriever.domain`)
        self.animals = animals  # whether it is about an animal's health (`retriever.animals`)
        self.answer_check = answer_check  # what the question's wording says (`retriever.answerable`)
        self.passing = passing  # whether a topic the passages lack is named in passing (`retriever.passing`)
        self.crisis = crisis  # whether it reads as thoughts of suicide or self-harm (`retriever.crisis`)
        self.plan_beside = plan_beside  # plan beside the encoder (`retriever.beside`)
        self.embedder = embedder
        self.settings = settings
        self.calibration = calibration
        self.reranker = reranker
        chunks = index.chunks
        self.planner = Planner.for_texts([f"{' '.join(c.heading_path)} {c.text}" for c in chunks],
                                         settings.fuzzy_min_score, settings.lexicon, index.keyword.vocab,
                                         (c.title for c in chunks), (h for c in chunks if not c.shared
                                                                     for h in c.heading_path), index.words.own_words(),
                                         all(CANCER_TYPE in c.tags for c in chunks))
        self.scope = Scope(chunks, index.keyword.postings)
        self.dense = DenseSearcher(index.dense, index.vectors)
        self.bm25 = KeywordSearcher(index.keyword)
        self.folded = [fold(c.text) for c in chunks]  # a passage's text as compared for repeats
        self.phrase = PhraseSearcher(index.keyword, [c.text for c in chunks], self.folded)
        self.sentence_scorer = SentenceScorer(index.sentences)
        self.demoted = np.array([c.shared or c.outline for c in chunks], dtype=bool)
        self.childhood = np.array([is_childhood(c.title, c.url) for c in chunks], dtype=bool)
        self.words = index.words  # each passage's words, as abstention and quoted phrases read them
        self.doc_ids = np.array([c.doc_id for c in chunks])
        self.log_words = np.log1p([len(c.text.split()) for c in chunks]).astype(np.float32)
        self.cancer_types = [{t.lower() for t in types_of(c)} for c in chunks]
        self.titles = DocumentTitles.of(chunks)
        self.headings = lifting.heading_rows(chunks)  # a heading's words -> the rows under it
        self.links = document_links(chunks)  # chunk id -> link whose text fragment is unique
        self.continuations = {cid: (tuple(n for n, _ in pairs), tuple(self.links[f] for _, f in pairs))
                              for cid, pairs in continuations(chunks).items()}  # chunk id -> (names, links)

    @classmethod
    def load(cls, index_dir: Path | str, settings: Settings | None = None,
             embedder: Embedder | None = None) -> Retriever:
        """Load and verify an index folder for the model ``settings`` names.

        Raises:
            IndexLoadError: a missing, corrupted, unreadable or incompatible file, named in the message.
            ModelError: the model or its abstention calibration cannot be loaded.
        """
        settings, index_dir = settings or Settings(), Path(index_dir)
        try:
            return cls._load(index_dir, settings, embedder)
        except PermissionError as exc:  # a file of the index or the model the service may not read
            where = Path(exc.filename or index_dir)
            if where.resolve().is_relative_to(index_dir.resolve()):
                raise IndexLoadError(index_dir, f"{where} cannot be read ({exc.strerror})",
                                     "let the service's user read it") from None
            raise ModelError(f"{where} cannot be read ({exc.strerror}); let the service's user read it") from None

    @classmethod
    def _load(cls, index_dir: Path, settings: Settings, embedder: Embedder | None) -> Retriever:
        retrieval = settings.retrieval()
        index = read_index(index_dir, settings.model, retrieval.hnsw_ef_search)
        threads = search_threads() if settings.plan_beside else None  # None: the process's share
        embedder = embedder or get_embedder(settings.model, settings.backend, settings.onnx_target, threads)
        # only an ONNX encoder that leaves a core free: torch takes the GIL between layers
        beside = settings.plan_beside and embedder.backend != "torch" and 0 < embedder.threads < cpu_share()
        check_weights(index_dir, index.manifest, settings.model, embedder)
        model_dir = resolve_model(settings.model)
        shipped = load_shipped(model_dir, retrieval, index.vectors.shape[1], index.manifest.model_sha256)
        if shipped.threshold is not None:  # the hand rule's threshold picked for this model's cosines
            retrieval = replace(retrieval, hand_threshold=shipped.threshold)
        retriever = cls(index, embedder, retrieval, shipped.calibration, plan_beside=beside, domain=shipped.domain,
                        answer_check=shipped.answer, crisis=shipped.crisis, passing=shipped.passing,
                        animals=shipped.animals)
        if retrieval.ranker:
            try:
                retriever.reranker = LearnedRanker.load(model_dir, retriever)
            except RankerError as exc:
                raise ModelError(str(exc)) from None
        return retriever

    def with_settings(self, settings: RetrievalSettings) -> Retriever:
        """The same index and model under other retrieval settings (benchmarks, ablations).

        The copy shares everything loaded and derived; the planner gets its own speller when its
        settings change. ``hnsw_ef_search`` and the ranker come with loading, not here."""
        other = self.with_reranker(self.reranker)  # a copy, with a ranker that reads it
        other.settings = settings
        if (settings.fuzzy_min_score, settings.lexicon) != (self.settings.fuzzy_min_score, self.settings.lexicon):
            other.planner = copy.copy(self.planner)  # what it read of the index is shared
            other.planner.speller = Speller(self.planner.speller.counts, settings.fuzzy_min_score)
            other.planner.lexicon = settings.lexicon
        return other

    def with_reranker(self, reranker: Reranker | None) -> Retriever:
        """The same retriever with a reranker in stage 5."""
        other = copy.copy(self)
        other.reranker = reranker.bound(other) if isinstance(reranker, LearnedRanker) else reranker
        return other

    @property
    def index_dir(self) -> Path:
        return self.index.folder

    manifest = property(lambda self: self.index.manifest)
    chunks = property(lambda self: self.index.chunks)

    @property
    def vectors(self) -> np.ndarray:
        return self.index.vectors

    @property
    def threshold(self) -> float:
        """The abstention threshold: the setting, else the model's calibrated one, else the hand rule's."""
        fitted = self.calibration.threshold if self.calibration else self.settings.hand_threshold
        return fitted if self.settings.abstain_threshold is None else self.settings.abstain_threshold

    def warm_up(self) -> None:
        """Search once, so a server's first real question doesn't pay for first calls."""
        self.planner.speller.warm_up()
        self.planner.initialisms.passages  # noqa: B018 (read now, not on the first question typing initials)
        verbs()  # the "does" typed "dose" reader's list
        not_in_english(WARM_UP_QUERY)  # other languages' word lists: 0.12 s on the first question that asks for them
        index_kinds(self)  # the kinds of each cancer type: 0.27 s on the corpus's first search of one summary
        self.search(WARM_UP_QUERY)

    # -- stages 1 and 2: plan, retrieve ----------------------------------------------------

    def plan(self, query: str) -> QueryPlan:
        return self.planner.plan(query)

    def signals(self, query: str, k: int = 5, mode: str = "hybrid", filters: Filters | None = None) -> Signals:
        """Each ranking's candidates for ``query``, best first, with their scores.

        This is everything fusion combines; benchmarks read it to study the fusion on exactly the lists used.
        With a core to spare, planning and the keyword searches run beside the encoder (`retriever.beside`).
        """
        n = max(self.settings.candidates, k)  # k up to `candidates` (50, the API's most) changes no rank
        lexical = partial(keyword_half, self, text := query.strip(), n, mode, filters)
        half = plan_beside(self.embedder, text, lexical) if self.plan_beside else lexical()
        q = half.query
        dense = self.dense.search(q, n)
        candidates = list(dict.fromkeys(dense.ids + half.bm25.ids + half.rare))  # phrase holders: after the ranker
        sentences = self.sentence_scorer.score(q, list(dict.fromkeys(candidates + half.phrase.ids)))
        sentence = sentences.ranking(candidates) if mode != "bm25" else Ranking.empty()
        return Signals(q, dense, half.bm25, sentence, sentences, half.documents, FUSED[mode], half.phrase,
                       half.coverage, half.crisis_words, half.words)

    # -- stages 3 to 6: fuse, adjust, rerank, select -----------------------------------------

    def fuse(self, sig: Signals, mode: str) -> dict[int, float]:
        """Fused and adjusted score of every candidate."""
        s = self.settings
        rankings = {"dense": (sig.dense, s.dense_weight), "bm25": (sig.bm25, s.bm25_weight),
                    "sentence": (sig.sentence, s.sentence_weight)}
        used = [rankings[name] for name in FUSED[mode]]
        weights = [w for _, w in used] if len(used) > 1 else [1.0]  # a lone ranking: its own order
        fused = fusion.rrf([r.ids for r, _ in used], weights, s.rrf_k)
        if sig.documents is not None and s.document_weight:  # title ranks: hybrid only
            fused = fusion.add_document_ranks(fused, sig.documents, self.titles.chunk_doc,
                                              s.document_weight, s.rrf_k)
        adult = self.childhood.any() and sig.query.plan.audience != "child"
        factors = [(self.demoted, s.demotion)] + ([(self.childhood, s.childhood_weight)] if adult else [])
        return fusion.adjust(fused, factors)

    def rerank(self, sig: Signals, fused: dict[int, float], mode: str) -> dict[int, float]:
        """Stage 5: the reranker's scores for a hybrid search with the ``ranker`` setting on, else the fused ones."""
        if self.reranker is None or mode != "hybrid" or not self.settings.ranker or not fused:
            return fused
        scores = self.reranker.rerank(sig, fused)
        return {i: scores[i] for i in fused if i in scores}  # only candidates it was given

    def lift(self, plan: QueryPlan, scores: dict[int, float], mode: str = "hybrid") -> dict[int, float]:
        """Above any score: the passages the search names outright (`lifting.tiers`: a quoted
        phrase's holders, a word typed alone, a heading typed whole), then adults' summaries."""
        return fusion.lift(scores, lifting.tiers(self, plan, scores, mode))

    def order(self, scores: dict[int, float], k: int) -> list[int]:
        """Stage 6: the passages to show, best first, no text twice."""
        return fusion.select(fusion.best_first(scores), self.folded, k)

    # -- stage 7: hits (stage 8, abstain: `retriever.judging`) ---------------------------

    def hit(self, rank: int, idx: int, score: float, sig: Signals) -> Hit:
        chunk = self.chunks[idx]
        spans, sims = sig.sentences.of(idx)
        rankings = (("dense", sig.dense), ("bm25", sig.bm25), ("sentence", sig.sentence), ("phrase", sig.phrase))
        found_by = tuple(name for name, r in rankings if name in (*sig.fused, "phrase") and idx in r.ids)
        continues_in, continues_at = self.continuations.get(chunk.id, ((), ()))
        return Hit(rank=rank, score=score, chunk=chunk, link=self.links[chunk.id],
                   highlights=pick_highlights(spans, sims, chunk.text, sig.query.plan.size), found_by=found_by,
                   continues_in=continues_in, continues_at=continues_at)

    def search(self, query: str, k: int = 5, mode: str = "hybrid",
               filters: Filters | None = None) -> SearchResult:
        """Best passages for ``query``, or an abstention when none matches well.

        Args:
            query: Free text, as typed.
            k: Passages to return.
            mode: ``hybrid`` (dense + BM25 by RRF), ``dense`` or ``bm25``.
            filters: Restrict to documents or cancer types.

        The verdict and the related passage read the same passages whatever ``k`` is up to
        ``candidates`` (50, the API's most): the patient page (3) and the API (5) agree.

        Raises:
            ValueError: blank query, k < 1 or an unknown mode.
        """
        check_request(query, k, mode)
        sig = self.signals(query, k, mode, filters)
        scores = self.lift(sig.query.plan, fusion.include(self.rerank(sig, self.fuse(sig, mode), mode),
                                                          sig.phrase.ids), mode)
        s, chosen = self.settings, self.order(scores, max(k, self.settings.abstain_depth, self.settings.related_count))
        chosen, scores, verdict = judge_or_look_further(self, sig, scores, chosen)
        chosen, scores, sig = fill(self, sig, scores, chosen, k, mode)  # repeats left fewer than k
        hits = [self.hit(rank, idx, scores[idx], sig) for rank, idx in enumerate(chosen, 1)]
        abstained = verdict.abstained or not hits
        related = hits[:s.related_count] if abstained and near_miss(verdict.evidence, s.related_floor) else []
        plan, crisis = sig.query.plan, self.crisis if s.crisis_check else None
        return SearchResult(query=query, hits=[] if abstained else hits[:k], abstained=abstained, mode=mode,
                            confidence=verdict.confidence, evidence=verdict.evidence,
                            missing=unmentioned(self, verdict, chosen[:k], plan.dense_text),
                            corrections=plan.corrections, related=related, withheld=hits[:k] if abstained else [],
                            also_searched=dict(plan.widened) if mode != "dense" else {},
                            crisis=reads_crisis(crisis, sig.query.vector, sig.crisis_words))
