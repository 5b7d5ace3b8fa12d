"""Stage 6's tiers: what a search names outright comes first (no model needed)."""

from types import SimpleNamespace

from retriever.lifting import heading_rows


def _chunk(*path: str):
    return SimpleNamespace(heading_path=list(path))


def test_each_heading_below_the_title_names_the_rows_under_it_by_its_words():
    rows = heading_rows([_chunk("Colon Cancer Treatment", "Stages of Colon Cancer", "Stage I"),
                         _chunk("Colon Cancer Treatment", "Stages of Colon Cancer", "Stage II"),
                         _chunk("Colon Cancer Treatment", "Treatment Option Overview")])
    assert rows[("stages", "of", "colon", "cancer")] == {0, 1}
    assert rows[("stage", "ii")] == {1} and rows[("treatment", "option", "overview")] == {2}
    assert ("colon", "cancer", "treatment") not in rows  # the title: every passage of the summary
