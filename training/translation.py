"""Fit the translation table (`retriever.translation`) on training summaries' questions.

Each training question and the passage its quote pins are one sentence pair; IBM Model 1's
expectation-maximisation (Brown et al. 1993) learns how often each question stem is asked
of a passage holding each passage stem. Five rounds, from the counts of each pair of words
held together by a question and its passage. Nothing of the validation summaries, nor of
the seed's two, is read.

The ranker must learn how far to trust the table on questions the table never saw, as every
question it will meet is: a table fitted on a question scores that question's passage too
well. So the ranker's own training searches read tables fitted without their summary
(`FOLDS` folds of the training summaries), and the table fitted on all of them ships.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from retriever.keyword import KeywordIndex
from retriever.search import Retriever
from retriever.tokenization import tokenize
from retriever.translation import MIN_PROBABILITY, TranslationTable, presence
from training.questions import TrainingQuestion, squash

ROUNDS = 5
FOLDS = 3


def fold_of(doc_id: str) -> int:
    """A training summary's fold, from its id alone (stable across runs and machines)."""
    return int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % FOLDS


@dataclass(frozen=True)
class Pair:
    """A question's stems (as searches read them: the planned text) and its passage's row."""

    doc_id: str
    stems: tuple[str, ...]
    row: int


def question_pairs(questions: Sequence[TrainingQuestion], retriever: Retriever) -> list[Pair]:
    """One pair per question whose section is in ``retriever``'s index: the first passage of
    its section holding its quote (the section's first passage when none does)."""
    rows: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for i, c in enumerate(retriever.chunks):
        rows.setdefault((c.doc_id, tuple(c.heading_path)), []).append(i)
    pairs = []
    for q in questions:
        section = rows.get((q.doc_id, tuple(q.heading_path)), [])
        quoted = [i for i in section if squash(q.evidence) in squash(retriever.chunks[i].text)]
        stems = tuple(dict.fromkeys(tokenize(retriever.plan(q.question).dense_text)))
        if (quoted or section) and stems:
            pairs.append(Pair(q.doc_id, stems, (quoted or section)[0]))
    return pairs


def fit_table(pairs: Sequence[Pair], keyword: KeywordIndex, rounds: int = ROUNDS) -> TranslationTable:
    """IBM Model 1 over ``pairs`` (rows of ``keyword``'s index): t(question stem | passage stem)."""
    if not pairs:  # a fold holding every summary asked about leaves its own table nothing to learn
        return TranslationTable((), (), sp.csr_matrix((0, 0), dtype=np.float32), np.zeros(0, dtype=np.float32))
    passages = presence(keyword)
    targets = sorted({s for p in pairs for s in p.stems})
    column = {s: j for j, s in enumerate(targets)}
    links = [(passages.indices[passages.indptr[p.row]:passages.indptr[p.row + 1]],
              np.array([column[s] for s in p.stems])) for p in pairs]
    shape = (passages.shape[1], len(targets))
    table = _normalised(_counts(links, shape, lambda source, target: np.ones(len(source) * len(target))))
    for _ in range(rounds):
        table = _normalised(_counts(links, shape, lambda source, target, t=table: _posterior(t, source, target)))
    sources = sorted(keyword.vocab, key=keyword.vocab.get)
    used = np.unique(table.tocoo().row)
    table = table[used]
    table.data[table.data < MIN_PROBABILITY] = 0
    table.eliminate_zeros()
    return TranslationTable(tuple(sources[i] for i in used), tuple(targets), table.astype(np.float32),
                            keyword.holding()[used].astype(np.float32))


def _posterior(table: sp.csr_matrix, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Each question stem's share of credit among the pair's passage stems (the E-step)."""
    t = table[source][:, target].toarray() + 1e-12
    return (t / t.sum(axis=0, keepdims=True)).ravel()


def _counts(links, shape, weigh) -> sp.csr_matrix:
    rows, cols, vals = [], [], []
    for source, target in links:
        rows.append(np.repeat(source, len(target)))
        cols.append(np.tile(target, len(source)))
        vals.append(weigh(source, target))
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape)


def _normalised(counts: sp.csr_matrix) -> sp.csr_matrix:
    """Each passage stem's counts as probabilities over the question stems (the M-step)."""
    totals = np.asarray(counts.sum(axis=1)).ravel()
    return (sp.diags(1.0 / np.maximum(totals, 1e-12)) @ counts).tocsr()


def fold_tables(pairs: Sequence[Pair], keyword: KeywordIndex) -> dict[int, TranslationTable]:
    """For each fold, a table fitted on the other folds' summaries."""
    return {k: fit_table([p for p in pairs if fold_of(p.doc_id) != k], keyword) for k in range(FOLDS)}
