"""How likely a passage is to be asked about in a question's words: a translation model.

Patients ask in words the summaries do not use ("belly", "the shot", "will he get through
this"); the embedding model bridges some of that, BM25 none of it. A word-to-word
translation table learned from the training questions and the passages they ask about
(IBM Model 1, as in Berger and Lafferty's translation language model for retrieval, SIGIR
1999) says how often a question word is asked of a passage holding each passage word. The
learned ranker reads the resulting likelihood of the question given each candidate
(`retriever.ranker`, "translation"); fitting it is `training.translation`.

The table is keyed by stems (the BM25 tokens of `retriever.tokenization`), so one table
serves any index: `TranslationTable.for_index` maps it onto an index's own token ids.
Abstention reads it too: `TranslationTable.bridges` says which passage words are another
name for a question word, so a health topic a passage names that way is not missing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from retriever.keyword import KeywordIndex
from retriever.tokenization import stem, tokenize

# A question word is the passage's own word this much of the time, the table's translation
# the rest (Xue, Jeon and Croft's mixture, SIGIR 2008); and the passage explains a word this
# much, the share of the index's passages holding it the rest (Jelinek-Mercer smoothing). Picked before any
# measurement and not tuned: docs/model.md, "Translated words".
SELF_SHARE = 0.5
PASSAGE_SHARE = 0.9
# Translations less likely than this are dropped from the shipped table: five entries in six
# (about a million fitted, 167k kept), each a pair of words seen together once or twice.
MIN_PROBABILITY = 1e-3
# A passage word is another name for a question word (`TranslationTable.bridges`) when the
# question word is asked of passages holding it at least BRIDGE_PROBABILITY of the time, and
# it takes at least BRIDGE_SHARE of the question word's asking (t(w|v) weighed by the
# passages holding v: the other direction). The first alone bridges a word's topical
# company ("melanoma" by "anyone", "womb" by "five"); both together keep names ("belly":
# abdomen, "womb": uterus, "windpipe": trachea). 0.3 is the first way's pick on the
# training summaries' lay questions; 0.2 was chosen by reading the bridges each share keeps,
# before any unseen set was scored: docs/abstention.md, "Lay words bridged both ways".
BRIDGE_PROBABILITY = 0.3
BRIDGE_SHARE = 0.2
# A passage word that is another form of the question word (`a_form`: "spinal" of "spine", t
# 0.16; "testicular" of "testicle", 0.29; "vulvar" of "vulva", 0.24) is a bridge from this
# probability: the table spreads a word's asking over its forms and their company. Picked by
# reading the words it adds, before any set was scored; the validation summaries' lay questions
# were then refused 218 -> 192 of 6,077, their near-misses 1,827 -> 1,826 (docs/abstention.md,
# "A form of the word").
DERIVED_PROBABILITY = 0.1
# The fewest first letters a form shares with the word (`a_form`): 3 would add "hyperthyroid" of
# "hypothyroid" and "loss" of "lose".
DERIVED_START = 4


class TranslationError(ValueError):
    """A translation table file that cannot be used, naming the file."""


@dataclass(frozen=True)
class Bridges:
    """The passage stems each question stem is another name for (`TranslationTable.bridges`)."""

    names: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def of(self, words: Iterable[str], question: str) -> dict[str, frozenset[str]]:
        """Each of ``words`` a passage may name otherwise, with those names, less the stems
        ``question`` holds itself: a passage holding a word the question says is no sign it
        names another ("plasma cell myeloma": a passage on plasma is none on myeloma)."""
        named = {w: self.names[stem(w)] for w in words if stem(w) in self.names}
        if not named:  # most questions: no topic, or none the table names otherwise
            return {}
        asked = set(tokenize(question))
        return {w: stems - asked for w, stems in named.items() if stems - asked}


NO_BRIDGES = Bridges()


def a_form(source: str, target: str) -> bool:
    """Whether passage stem ``source`` is another form of question stem ``target``: the same
    letters up to the target's last two, and at least `DERIVED_START` ("spinal" of "spine",
    "testicular" of "testicl"; not "meninges" of "meningioma"), and no tumour named after an
    organ ("thymoma" of "thymus") unless the target starts it ("rhabdomyosarcoma" of "rhabdo")."""
    n = max(DERIVED_START, len(target) - 2)
    tumour = source.endswith("oma") and not target.endswith("oma") and not source.startswith(target)
    return source[:n] == target[:n] and not tumour


@dataclass(frozen=True)
class TranslationTable:
    """t(question stem | passage stem): ``matrix[i, j]`` for passage stem ``sources[i]`` and
    question stem ``targets[j]``; each row sums to at most 1. ``counts[i]``: the passages
    of the index it was fitted over that hold ``sources[i]``."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    matrix: sp.csr_matrix
    counts: np.ndarray

    def save(self, path: Path) -> None:
        m = self.matrix.tocsr()
        with path.open("wb") as f:  # a file object: numpy adds no ".npz" to the name given
            np.savez_compressed(f, sources=np.array(self.sources), targets=np.array(self.targets),
                                data=m.data.astype(np.float32), indices=m.indices.astype(np.int32),
                                indptr=m.indptr.astype(np.int64), counts=self.counts.astype(np.float32))

    @classmethod
    def load(cls, path: Path) -> TranslationTable:
        if not zipfile.is_zipfile(path):  # numpy would suggest unpickling what is no .npz at all
            raise TranslationError(f"{path}: not a translation table (not an .npz archive)")
        try:
            with np.load(path, allow_pickle=False) as z:
                words = z["sources"], z["targets"]
                if any(w.dtype.kind != "U" or w.ndim != 1 for w in words):
                    raise ValueError("its sources and targets are not lists of words")
                sources, targets = (tuple(w.tolist()) for w in words)
                matrix = sp.csr_matrix((z["data"], z["indices"], z["indptr"]), shape=(len(sources), len(targets)))
                counts = z["counts"]
            if counts.shape != (len(sources),) or counts.dtype.kind not in "fiu" or not (
                    np.isfinite(counts).all() and (counts >= 1).all()):  # each word is some passage's
                raise ValueError("its counts are not one count per passage word")
            matrix.check_format(full_check=True)  # every entry within the table's words
            if not (np.isfinite(matrix.data).all() and (matrix.data >= 0).all() and (matrix.data <= 1).all()):
                raise ValueError("a translation that is no probability")
        except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise TranslationError(f"{path}: not a translation table ({exc})") from None
        return cls(sources, targets, matrix, counts)

    def bridges(self, probability: float = BRIDGE_PROBABILITY, share: float = BRIDGE_SHARE,
                derived: float = DERIVED_PROBABILITY) -> Bridges:
        """Each question stem's other names: the passage stems it is asked of at least
        ``probability`` of the time (``derived``, for a form of it: `a_form`) and whose
        passages hold at least ``share`` of its asking (by ``counts``). Only stems of letters,
        three or more: no number ("dutasteride" is asked of "75" mg). Which passage words may
        stand for them is abstention's to say (`health_topics.missing_topics`: none everyday
        English uses much)."""
        m = self.matrix.tocsc()
        column = np.repeat(np.arange(len(self.targets)), np.diff(m.indptr))
        weighed = m.data * self.counts[m.indices]
        totals = np.bincount(column, weights=weighed, minlength=len(self.targets))
        kept = (m.data >= min(probability, derived)) & (weighed >= share * totals[column])
        names: dict[str, set[str]] = {}
        for i, j, t in zip(m.indices[kept], column[kept], m.data[kept]):
            source, target = self.sources[i], self.targets[j]
            named = t >= probability or a_form(source, target)
            if named and source != target and source.isalpha() and len(source) >= 3:
                names.setdefault(target, set()).add(source)
        return Bridges({target: frozenset(sources) for target, sources in names.items()})

    def for_index(self, keyword: KeywordIndex) -> IndexTranslation:
        """This table over ``keyword``'s rows and token ids (passage stems it lacks dropped)."""
        vocab = keyword.vocab
        to_token = np.array([vocab.get(s, -1) for s in self.sources], dtype=np.int64)
        m = self.matrix.tocoo()
        kept = to_token[m.row] >= 0
        n_tokens = len(keyword.bm25.scores["indptr"]) - 1
        table = sp.csc_matrix((m.data[kept], (to_token[m.row[kept]], m.col[kept])),
                              shape=(n_tokens, len(self.targets)), dtype=np.float32)
        return IndexTranslation(presence(keyword), table, {t: j for j, t in enumerate(self.targets)},
                                vocab, background(keyword))


def presence(keyword: KeywordIndex) -> sp.csr_matrix:
    """Each row's tokens, each weighing 1 / the row's distinct tokens: P(token | passage)."""
    m = keyword.bm25.scores
    n_tokens = len(m["indptr"]) - 1
    rows = sp.csc_matrix((np.ones(len(m["data"]), dtype=np.float32), m["indices"], m["indptr"]),
                         shape=(keyword.n_docs, n_tokens)).tocsr()
    sizes = np.maximum(np.diff(rows.indptr), 1).astype(np.float32)
    rows.data /= np.repeat(sizes, np.diff(rows.indptr))
    return rows


def background(keyword: KeywordIndex) -> np.ndarray:
    """Each token's share of the index's (row, token) pairs, one added to every count: the
    last entry is a token the index lacks."""
    counts = keyword.holding().astype(np.float64) + 1.0
    return (np.append(counts, 1.0) / (counts.sum() + 1.0)).astype(np.float32)


class IndexTranslation:
    """A `TranslationTable` over one index: `scores` (`read` beside the encoder) is what the ranker reads.

    The table is multiplied out over the index's passages once, when the index loads
    (3.3M entries, 26 MB, for the 169-summary corpus): a search then reads one column per
    question word, 0.03 ms on the seed and 0.09 on the corpus, where multiplying out its
    candidates' rows took 0.2. It reads them beside the encoder (`read`, `retriever.beside`),
    and what is left after the encoder is a gather of the candidates' columns.
    """

    def __init__(self, passages: sp.csr_matrix, table: sp.csc_matrix, target_of: dict[str, int],
                 token_of: dict[str, int], prior: np.ndarray):
        self.translated = ((1 - SELF_SHARE) * (passages @ table)).tocsc().astype(np.float32)  # rows x stems
        self.own = (SELF_SHARE * passages).tocsc().astype(np.float32)  # rows x index tokens
        self.target_of, self.token_of, self.prior = target_of, token_of, prior

    def scores(self, text: str, rows: np.ndarray) -> np.ndarray:
        """Mean log-likelihood of ``text``'s words given each passage of ``rows``."""
        return self.read(text).scores(rows)

    def read(self, text: str) -> QuestionWords:
        """``text``'s words given every passage: the part of `scores` that needs no candidates
        (one scatter a word over the whole index), read beside the encoder (`retriever.beside`).
        Words neither the index nor the table knows are left out, as they would lower every
        passage alike."""
        stems = [s for s in dict.fromkeys(tokenize(text)) if s in self.target_of or s in self.token_of]
        if not stems:
            return QuestionWords(None, np.zeros(0, dtype=np.float32), self)
        likely = np.zeros((len(stems), self.own.shape[0]), dtype=np.float32)  # every row: one scatter a column
        for j, s in enumerate(stems):
            for matrix, column in ((self.translated, self.target_of.get(s)), (self.own, self.token_of.get(s))):
                if column is not None:
                    start, end = matrix.indptr[column], matrix.indptr[column + 1]
                    likely[j, matrix.indices[start:end]] += matrix.data[start:end]
        prior = self.prior[[self.token_of.get(s, -1) for s in stems]]  # -1: a token the index lacks
        return QuestionWords(likely, prior, self)


@dataclass(frozen=True, eq=False)  # arrays: compared by identity
class QuestionWords:
    """One question's known words given every passage of an index (`IndexTranslation.read`).

    Attributes:
        likely: Each word's translation likelihood given each passage (words x passages), or
            None when no word is known.
        prior: Each word's share of the index's passages (the smoothing's background).
        read_by: The translation that read them: the ranker reads them only through its own
            (training reads each question through the table of its summary's fold).
    """

    likely: np.ndarray | None
    prior: np.ndarray
    read_by: IndexTranslation | None = None

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """Mean log-likelihood of the words given each passage of ``rows``; every passage
        scores 0 when no word is known, so the ranker's margin signal is 0 too."""
        if self.likely is None or not len(rows):
            return np.zeros(len(rows), dtype=np.float32)
        chosen = PASSAGE_SHARE * self.likely[:, rows]
        return np.log(chosen + (1 - PASSAGE_SHARE) * self.prior[:, None]).mean(axis=0).astype(np.float32)
