"""Abstention's list of the lines that only name another summary (`retriever/pdq_cross_references.txt`)."""

from __future__ import annotations

from retriever.boilerplate import CROSS_REFERENCES
from training.cli import CORPUS
from training.crossrefs import cross_references, render
from training.words import summaries


def test_the_shipped_list_is_the_corpus_s_own():
    bodies = [text for _, text in summaries(CORPUS)]
    assert CROSS_REFERENCES.read_text(encoding="utf-8") == render(bodies), \
        "retriever/pdq_cross_references.txt is stale: run python -m training words --force"
    listed = set(cross_references(bodies))
    assert "pancreatic neuroendocrine tumors (islet cell tumors) treatment" in listed  # the seed's pointer
    assert "depression" not in listed  # a summary's link, and a symptom in other summaries' lists


def test_only_a_list_item_that_is_one_link_to_a_summary_s_page_is_listed():
    body = ("# Title\n\nSee the following for other tumors:\n\n"
            "- [Pancreatic Neuroendocrine Tumors (Islet Cell Tumors) Treatment]"
            "(/types/pancreatic/patient/pnet-treatment-pdq)\n"
            "- [Octreotide Acetate](/about-cancer/treatment/drugs/octreotide)\n"
            "- See [Fatigue](/about-cancer/treatment/side-effects/fatigue/fatigue-pdq) for more.\n")
    assert cross_references([body]) == ["pancreatic neuroendocrine tumors (islet cell tumors) treatment"]


def test_a_line_the_corpus_also_writes_as_content_is_not_listed():
    linked = "# A\n\nSee also:\n\n- [Fatigue](/about-cancer/treatment/side-effects/fatigue/fatigue-pdq)\n"
    listed = "# B\n\nSide effects may include:\n\n- Nausea.\n- Fatigue\n"
    assert cross_references([linked]) == ["fatigue"]
    assert cross_references([linked, listed]) == []
