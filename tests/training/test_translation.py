"""Fitting the translation table: what IBM Model 1 learns from question-passage pairs."""

from __future__ import annotations

import numpy as np
import pytest

from retriever.keyword import KeywordIndex
from retriever.models import Chunk
from retriever.tokenization import stem
from training.questions import TrainingQuestion
from training.translation import FOLDS, Pair, fit_table, fold_of, fold_tables, question_pairs

PASSAGES = ("Pain in the abdomen.", "Swelling of the abdomen.", "An injection for the pain.",
            "Nausea after an injection.")


def _index() -> KeywordIndex:
    return KeywordIndex.build([Chunk(id=f"d#{n}", doc_id="d", source="d.md", title="Doc", url="https://example.org/d",
                                     heading_path=["Doc"], section="Doc", text=t) for n, t in enumerate(PASSAGES)])


def _pairs() -> list[Pair]:
    """'belly' always asked of an abdomen passage, 'shot' of an injection one."""
    asked = [("belly", 0), ("belly", 1), ("shot", 2), ("shot", 3), ("belly ache", 0), ("shot ache", 2)]
    return [Pair(f"doc{n}", tuple(stem(w) for w in words.split()), row) for n, (words, row) in enumerate(asked)]


def test_the_table_learns_which_passage_word_a_lay_word_stands_for():
    keyword = _index()
    table = fit_table(_pairs(), keyword)
    t = {(v, w): table.matrix[i, j] for i, v in enumerate(table.sources) for j, w in enumerate(table.targets)}
    assert t[stem("abdomen"), stem("belly")] > 0.9 and t.get((stem("abdomen"), stem("shot")), 0) == 0
    assert t[stem("injection"), stem("shot")] > 0.9
    assert t[stem("pain"), stem("ache")] > t[stem("abdomen"), stem("ache")]  # pain is what both ache pairs share
    scores = table.for_index(keyword).scores("belly", np.arange(4))
    assert set(np.argsort(-scores)[:2]) == {0, 1}


def test_fold_tables_leave_out_their_own_summaries():
    pairs = _pairs()
    tables = fold_tables(pairs, _index())
    assert sorted(tables) == list(range(FOLDS))
    for k, table in tables.items():
        asked = {s for p in pairs if fold_of(p.doc_id) != k for s in p.stems}
        assert set(table.targets) == asked


def test_a_summary_s_fold_is_stable():
    assert fold_of("breast-cancer-treatment-pdq") == fold_of("breast-cancer-treatment-pdq")
    assert {fold_of(f"summary-{n}") for n in range(30)} == set(range(FOLDS))


@pytest.mark.model
def test_a_question_is_paired_with_the_passage_its_quote_is_in(seed_retriever):
    chunks = seed_retriever.chunks
    row = next(i for i in range(1, len(chunks)) if chunks[i].heading_path == chunks[i - 1].heading_path)
    c = chunks[row]  # the second passage of its section: the quote, not the section's first, decides
    quoted = TrainingQuestion(c.doc_id, "s", tuple(c.heading_path), "is the belly pain from the tumour?",
                              "question", c.text[:40])
    unquoted = TrainingQuestion(c.doc_id, "s", tuple(c.heading_path), "what does the lump mean", "question",
                                "nowhere at all")
    wordless = TrainingQuestion(c.doc_id, "s", tuple(c.heading_path), "what is this?", "question", c.text[:40])
    pairs = question_pairs([quoted, unquoted, wordless], seed_retriever)
    assert [p.row for p in pairs] == [row, row - 1]  # no quote found: the section's first passage
    assert stem("belly") in pairs[0].stems
