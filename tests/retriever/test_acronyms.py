"""Acronyms the summaries define, written out in questions (`retriever/acronyms.py`)."""

from __future__ import annotations

from retriever.acronyms import acronyms, write_out


def never(word: str) -> bool:
    return False


def test_the_table_is_the_corpus_s_own_definitions():
    table = acronyms()
    assert table["NETs"] == "neuroendocrine tumors" and table["NET"] == "neuroendocrine tumor"  # singular added
    assert table["MEN1"] == "multiple endocrine neoplasia type 1"
    assert not {"IV", "US", "ALL"} & set(table)  # a roman numeral and stop words are no acronyms


def test_an_acronym_the_index_never_uses_is_written_out_before_it():
    assert write_out("rectal NET surgery", never) == "rectal neuroendocrine tumor (NET) surgery"
    assert write_out("NETs", never) == "neuroendocrine tumors (NETs)"
    assert write_out("GI NET", never) == "gastrointestinal (GI) neuroendocrine tumor (NET)"  # all acronyms


def test_an_acronym_the_index_uses_and_other_words_are_left_as_typed():
    uses_men1 = {"men1"}.__contains__
    assert write_out("gastric NET with MEN1", uses_men1) == "gastric neuroendocrine tumor (NET) with MEN1"
    assert write_out("a net and a pet", never) == "a net and a pet"  # not capitals: words
    assert write_out("stage IV NETWORK", never) == "stage IV NETWORK"  # not defined
    assert write_out("WILL MY DAD NEED A PET SCAN", never) == "WILL MY DAD NEED A PET SCAN"  # shouted
