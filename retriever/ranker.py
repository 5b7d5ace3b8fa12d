"""Stage 5 of a search: a learned ranker over the retriever's own signals.

Reciprocal-rank fusion adds ranks and forgets by how much a passage won: a question whose
best passage beats the next by a wide cosine margin looks the same as a near tie. The
ranker sees the margins (each signal against the best candidate's), the raw cosines and
BM25 strength, how much of the question a passage's words cover, and its document's
standing, and orders the fused candidates by a LightGBM lambdarank model fitted on the
training summaries' lay questions (``python -m training ranker``; docs/model.md, "Learned ranker").
The model is shipped as ONNX and run by onnxruntime, the encoder's runtime: 0.16 ms a search
on the corpus index where LightGBM's own predictor took 0.35, it needs no lock (LightGBM's
booster is not safe to share between threads) and the service no OpenMP library.

It is shipped beside the embedding model whose cosines it reads (``ranker/`` in the model
folder); a model without one (the stock MiniLM) keeps the fused order. It reorders
``hybrid`` searches only: the dense and keyword modes are what staff ask for by name.
"""

from __future__ import annotations

import copy
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from retriever.store import read_recorded, sha256_file
from retriever.translation import IndexTranslation, TranslationError, TranslationTable

if TYPE_CHECKING:
    from retriever.search import Retriever, Signals

FOLDER = "ranker"
MODEL_FILE = "ranker.onnx"
LIGHTGBM_FILE = "ranker.txt"  # what model folders held before; refused with the rebuild command
RECORD_FILE = "ranker.json"
TRANSLATION_FILE = "translation.npz"  # its question words given each passage (`retriever.translation`)
FEATURES = (
    "fused",                # the RRF score the ranker refines
    "dense", "dense_margin",        # passage cosine, and against the best candidate's
    "sentence", "sentence_margin",  # best sentence cosine, and against the best
    "bm25", "bm25_found",   # BM25 over the best candidate's (0: not among BM25's candidates)
    "document_title",       # 1 / rank of its document by title words (0: the question names none)
    "document_margin",      # its document's best passage cosine against the best candidate's
    "document_share",       # share of the candidates from its document
    "demoted",              # boilerplate or outline passage
    "childhood_for_adult",  # a childhood passage for a question that names no child
    "childhood_for_named_adult",  # ... for one that names an adult ("my husband", "I'm 54")
    "adult_for_named_child",      # a passage not for children, for one that names a child
    "log_words",            # passage length
    "coverage",             # share of the question's terms the passage has (BM25 tokens)
    "translation", "translation_margin",  # the question's likelihood given the passage, and against the best
)
REBUILD = "python -m training ranker --index CORPUS_INDEX --force"


class Reranker(Protocol):
    """Rescores fused candidates (a learned ranker, a cross-encoder): higher is better."""

    def rerank(self, sig: Signals, fused: dict[int, float]) -> dict[int, float]: ...


class RankerError(ValueError):
    """A ranker file that cannot be used, naming the file and the fix."""


def signal_features(retriever: Retriever, sig: Signals, fused: dict[int, float],
                    translation: IndexTranslation) -> tuple[list[int], np.ndarray]:
    """The candidates of ``fused`` and one row of `FEATURES` each, the question's words read
    through ``translation`` (a table over ``retriever``'s index), as ``sig`` carries them when read
    through it beside the encoder."""
    ids = list(fused)
    rows = np.array(ids, dtype=np.int64)
    plan = sig.query.plan
    dense = retriever.vectors[rows] @ sig.query.vector
    sentence = np.maximum(sig.sentences.best_of(ids), np.float32(-1.0))
    bm25_of = dict(zip(sig.bm25.ids, sig.bm25.scores.tolist())).get
    top_bm25 = float(sig.bm25.scores.max()) if len(sig.bm25.scores) else 1.0
    bm25 = np.fromiter((bm25_of(i, 0.0) for i in ids), dtype=np.float32, count=len(ids)) / top_bm25
    codes = retriever.titles.chunk_doc[rows]  # each candidate's document
    # Among one document's passages (a one-summary index, a search filtered to a summary) a
    # document ranking says nothing: the same 0 as for a question that names no document.
    doc_ranks = sig.documents if codes.min() != codes.max() else None
    title = 1.0 / doc_ranks[codes] if doc_ranks is not None else np.zeros(len(ids))
    doc_best = np.full(len(retriever.titles.doc_ids), -1.0, dtype=np.float32)
    np.maximum.at(doc_best, codes, dense)
    share = np.bincount(codes)[codes] / len(ids)
    who, childhood = plan.audience, retriever.childhood[rows]
    twins = retriever.childhood.any()  # without childhood passages there is no twin to prefer
    top = float(dense.max())
    read = sig.words if sig.words is not None and sig.words.read_by is translation else None
    translated = (read or translation.read(plan.dense_text)).scores(rows)
    columns = [
        np.fromiter(fused.values(), dtype=np.float64, count=len(ids)), dense, dense - top,
        sentence, sentence - sentence.max(),
        bm25, bm25 > 0, title, doc_best[codes] - top, share, retriever.demoted[rows],
        childhood & (who != "child"), childhood & (who == "adult"),
        ~childhood & twins & (who == "child"), retriever.log_words[rows],
        sig.coverage[rows],  # read for every passage beside the encoder (`retriever.beside`)
        translated, translated - translated.max(),
    ]
    features = np.empty((len(ids), len(columns)), dtype=np.float32)
    for j, column in enumerate(columns):  # filled in place: one copy instead of two
        features[:, j] = column
    return ids, features


def ranker_sha256(model_dir: str | Path, used: bool = True) -> str:
    """sha256 of the ranker shipped in ``model_dir`` ("" when it has none, or a damaged one
    not ``used``: the ranker setting off, as searches would run): an index manifest records it.
    The ranker's record pins its translation table; a refit writes another ``ranker.onnx``,
    whose sha256 this is.

    Raises:
        RankerError: for a ranker ``used``, its file missing beside its record or without its
            translation table, or unreadable.
    """
    folder = Path(model_dir) / FOLDER
    path = folder / MODEL_FILE
    try:
        if not path.is_file():
            _check_absent(folder)
            return ""
        if not (folder / TRANSLATION_FILE).is_file():  # its record pins the table; loading checks that
            raise _table_missing(folder)
        return sha256_file(path)
    except OSError as exc:  # a file or folder it may not read: the model's, not the index folder's, as ingest said
        if used:
            raise RankerError(f"{exc.filename or path}: cannot be read ({exc.strerror or exc}); "
                              "let this user read it") from None
    except RankerError:
        if used:
            raise
    return ""


def _check_absent(folder: Path) -> None:
    """Nothing to raise when the model ships no ranker (the stock MiniLM); its record without
    the file, or something else where the file belongs, is a damaged copy, not a model
    without a ranker: searches ran without it and said nothing."""
    path = folder / MODEL_FILE
    if path.exists() or (folder / RECORD_FILE).is_file():
        why = "not a file" if path.exists() else f"missing, though {RECORD_FILE} records it"
        raise RankerError(f"{path}: {why}; {_restore(folder)}")


class LearnedRanker:
    """The ranking model over `signal_features`, as ONNX; `rerank` gives new scores."""

    def __init__(self, session, retriever: Retriever, path: Path, sha256: str, table: TranslationTable):
        self.session = session
        # A weak reference: the retriever owns its ranker, and a cycle between them kept every
        # index a reload replaced loaded (its files mapped) until the cyclic collector ran.
        self.retriever = weakref.proxy(retriever) if retriever is not None else None
        self.path = path
        self.sha256 = sha256
        self.table = table
        self.bridges = table.bridges()  # the other names of lay words, read by abstention (`retriever.judging`)
        self.translation = table.for_index(retriever.bm25.keyword) if retriever is not None else None
        # which index ``translation`` was mapped onto, weakly: the retriever may be gone by then
        self._mapped = weakref.ref(retriever.bm25.keyword) if retriever is not None else None
        self._input = session.get_inputs()[0].name

    def bound(self, retriever: Retriever) -> LearnedRanker:
        """This ranker reading ``retriever``'s signals: a copy of a retriever gets its own, so
        that it does not depend on the original staying alive (the reference is weak). A copy
        of the same index shares the translation table mapped onto it."""
        other = copy.copy(self)
        keyword = retriever.bm25.keyword
        other.retriever = weakref.proxy(retriever)
        if self._mapped is None or self._mapped() is not keyword:
            other.translation, other._mapped = self.table.for_index(keyword), weakref.ref(keyword)
        return other

    def predict(self, features: np.ndarray) -> np.ndarray:
        """One score per row of ``features`` (higher ranks first)."""
        return self.session.run(None, {self._input: features})[0].ravel()

    def rerank(self, sig: Signals, fused: dict[int, float]) -> dict[int, float]:
        if not fused:
            return {}
        ids, X = signal_features(self.retriever, sig, fused, self.translation)
        return dict(zip(ids, self.predict(X).tolist()))

    @classmethod
    def load(cls, model_dir: str | Path, retriever: Retriever) -> LearnedRanker | None:
        """The ranker shipped in ``model_dir``, or None when it has none.

        The file is checked against the sha256 its record holds before onnxruntime reads it,
        so a cut-off or edited file is named as such rather than as a parse error.

        Raises:
            RankerError: an unreadable or partial file, one fitted on other features, or
                onnxruntime unable to load it.
        """
        folder = Path(model_dir) / FOLDER
        path, record = folder / MODEL_FILE, folder / RECORD_FILE
        if not path.is_file():
            if (folder / LIGHTGBM_FILE).is_file():  # fitted before the ranker was shipped as ONNX
                raise RankerError(f"{folder / LIGHTGBM_FILE}: a LightGBM ranker without its ONNX form "
                                  f"({MODEL_FILE}); rebuild it with: {REBUILD}")
            _check_absent(folder)
            return None
        raw, sha256 = read_recorded(path, record, "ranker", _restore(folder), RankerError)
        features = raw.get("features")
        if not isinstance(features, list) or tuple(features) != FEATURES:
            raise RankerError(f"{record}: fitted on features {features}, this version computes "
                              f"{list(FEATURES)}; rebuild it with: {REBUILD}")
        return cls(_read_session(path), retriever, path, sha256, _read_table(folder, raw))


def _restore(folder: Path) -> str:
    """The fix for a damaged ranker file: the files are committed, so restoring them comes
    before refitting (minutes, and a corpus index)."""
    return f"restore the shipped files (git checkout {folder}) or rebuild them with: {REBUILD}"


def _table_missing(folder: Path) -> RankerError:
    """A ranker without the translation table its signals read: said alike by ingest's early
    check (`ranker_sha256`) and by loading (`_read_table`)."""
    return RankerError(f"{folder / TRANSLATION_FILE}: missing beside {MODEL_FILE}; {_restore(folder)}")


def _read_table(folder: Path, record: dict) -> TranslationTable:
    """The translation table fitted with the ranker, checked against the sha256 its record holds."""
    path = folder / TRANSLATION_FILE
    recorded = record.get("translation_sha256")
    if not path.is_file():
        raise _table_missing(folder)
    if not isinstance(recorded, str):
        raise RankerError(f"{folder / RECORD_FILE}: records no translation_sha256 for {TRANSLATION_FILE}; "
                          f"{_restore(folder)}")
    try:
        sha256 = sha256_file(path)
    except OSError as exc:
        raise RankerError(f"{path}: cannot be read ({exc.strerror or exc}); let this user read it") from None
    if sha256 != recorded:
        raise RankerError(f"{path}: sha256 {sha256[:12]} does not match its record ({recorded[:12]}): "
                          f"a partial or edited file; {_restore(folder)}")
    try:
        return TranslationTable.load(path)
    except TranslationError as exc:
        raise RankerError(f"{exc}; {_restore(folder)}") from None


def _read_session(path: Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    # 100 small trees over a few dozen rows: one thread, so it never competes with the encoder's
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
        raise RankerError(f"{path}: not a usable ranker ({type(exc).__name__}: {exc}); "
                          f"{_restore(path.parent)}") from None
    inputs = session.get_inputs()
    width = inputs[0].shape[-1] if len(inputs) == 1 and inputs[0].shape else None
    if width != len(FEATURES):
        raise RankerError(f"{path}: reads {width} features, this version computes {len(FEATURES)}; "
                          f"rebuild it with: {REBUILD}")
    return session
