"""Fitting the translation table: what IBM Model 1 learns from question-passage pairs."""

from __future__ import annotations

import numpy as np
import pytest

from retriever.keyword import KeywordIndex
from retriever.models import Chunk
from retriever.tokenization import stem
from retriever.translation import MIN_PROBABILITY
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


def _bare(*texts: str) -> KeywordIndex:
    """Passages with no title or heading: their tokens are their text's words alone."""
    return KeywordIndex.build([Chunk(id=f"d#{n}", doc_id="d", source="d.md", title="", url="https://example.org/d",
                                     heading_path=[], section="", text=t) for n, t in enumerate(texts)])


def test_one_round_of_em_gives_the_hand_computed_table():
    """x asked of (kidney, liver) and of (kidney, bone), y of (kidney, liver). Counts:
    t(x|kidney) 2/3, t(x|liver) 1/2, t(x|bone) 1. One round: x's credit in its first pair is
    4/7 kidney's and 3/7 liver's, in its second 2/5 kidney's and 3/5 bone's; y's 2/5 kidney's
    and 3/5 liver's. So t(x|kidney) = (4/7 + 2/5) / (4/7 + 2/5 + 2/5) = 17/24, t(x|liver) =
    (3/7) / (3/7 + 3/5) = 5/12, t(x|bone) = 1."""
    keyword = _bare("kidney liver", "kidney bone")
    pairs = [Pair("a", ("x",), 0), Pair("b", ("x",), 1), Pair("c", ("y",), 0)]
    table = fit_table(pairs, keyword, rounds=1)
    t = {(v, w): table.matrix[i, j] for i, v in enumerate(table.sources) for j, w in enumerate(table.targets)}
    assert t["kidney", "x"] == pytest.approx(17 / 24) and t["kidney", "y"] == pytest.approx(7 / 24)
    assert t["liver", "x"] == pytest.approx(5 / 12) and t["liver", "y"] == pytest.approx(7 / 12)
    assert t["bone", "x"] == pytest.approx(1.0) and t.get(("bone", "y"), 0) == 0
    # each passage word with the index's passages holding it: the weight of the other direction
    assert dict(zip(table.sources, table.counts.tolist())) == {"kidney": 2, "liver": 1, "bone": 1}


def test_translations_under_the_floor_are_dropped():
    """1,200 words each asked once of (kidney, liver): each keeps a 1/1,200 share of those two."""
    keyword = _bare("kidney liver", "kidney bone")
    pairs = [Pair(f"s{n}", (f"w{n}",), 0) for n in range(1200)] + [Pair("b", ("x",), 1)]
    table = fit_table(pairs, keyword)
    assert table.matrix.data.min() >= MIN_PROBABILITY
    for word in ("kidney", "liver"):
        assert table.matrix[table.sources.index(word)].nnz == 0
    assert table.matrix[table.sources.index("bone"), table.targets.index("x")] > 0.5


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
