"""Stage 5's last step: what a search names outright comes first (no model needed)."""

from types import SimpleNamespace

import numpy as np

from retriever.lifting import heading_rows, tiers


def _chunk(*path: str):
    return SimpleNamespace(heading_path=list(path))


def test_each_heading_below_the_title_names_the_rows_under_it_by_its_words():
    rows = heading_rows([_chunk("Colon Cancer Treatment", "Stages of Colon Cancer", "Stage I"),
                         _chunk("Colon Cancer Treatment", "Stages of Colon Cancer", "Stage II"),
                         _chunk("Colon Cancer Treatment", "Treatment Option Overview")])
    assert rows[("stages", "of", "colon", "cancer")] == {0, 1}
    assert rows[("stage", "ii")] == {1} and rows[("treatment", "option", "overview")] == {2}
    assert ("colon", "cancer", "treatment") not in rows  # the title: every passage of the summary


def _retriever():
    """Two summaries with a section of the same heading, as the corpus's pancreatic summary and
    Rare Cancers of Childhood's "Pancreatic Cancer"."""
    chunks = [_chunk("Pancreatic Cancer Treatment", "General Information"), _chunk("Rare Cancers", "Pancreatic Cancer"),
              _chunk("Pancreatic Cancer Treatment", "Stages", "Pancreatic Cancer")]
    return SimpleNamespace(headings=heading_rows(chunks), doc_ids=np.array(["pancreatic", "rare", "pancreatic"]),
                           childhood=np.zeros(3, dtype=bool), chunks=chunks)


def _plan(text: str, phrases=()):
    return SimpleNamespace(text=text, dense_text=text, phrases=phrases, audience=None,
                           terms=[(w,) for w in text.split()])


def test_a_heading_typed_whole_lifts_its_passages_in_the_summary_already_first():
    r, scores = _retriever(), {0: 3.0, 1: 2.0, 2: 1.0}
    assert tiers(r, _plan("pancreatic cancer"), scores) == {0: 0, 1: 0, 2: 2}  # not the other summary's
    assert tiers(r, _plan("Pancreatic Cancer."), {1: 3.0, 0: 2.0}) == {1: 2, 0: 0}
    assert tiers(r, _plan("pancreatic cancer"), scores, mode="dense") == {}  # staff asked for meaning alone
    assert tiers(r, _plan("pancreatic cancers"), scores) == {}  # not a heading word for word
