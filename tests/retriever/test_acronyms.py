"""Acronyms the summaries define, written out in questions (`retriever/acronyms.py`)."""

from __future__ import annotations

from retriever.acronyms import (
    acronyms,
    also_words,
    as_initials,
    definitions,
    typed_acronyms,
    write_out,
)


def never(word: str) -> bool:
    return False


def test_the_table_is_the_corpus_s_own_definitions():
    table = acronyms()
    assert table["NETs"] == "neuroendocrine tumors" and table["NET"] == "neuroendocrine tumor"  # singular added
    assert table["MEN1"] == "multiple endocrine neoplasia type 1"
    assert "IV" not in table  # a roman numeral is no acronym
    # but a run of a numeral's letters that is no numeral is one
    assert table["CLL"] == "chronic lymphocytic leukemia" and table["ICC"] == "interstitial cells of cajal"
    assert table["ALL"] == "acute lymphoblastic leukemia" and table["FIT"] == "fecal immunochemical test"
    assert {"ALL", "WHO", "FIT", "FISH", "MEN"} <= also_words() and not {"NET", "PET", "MEN1"} & also_words()
    assert "REDUCE" not in table  # a trial's name the training questions never type in capitals


def test_an_acronym_the_index_never_uses_is_written_out_before_it():
    assert write_out("rectal NET surgery", never) == "rectal neuroendocrine tumor (NET) surgery"
    assert write_out("NETs", never) == "neuroendocrine tumors (NETs)"
    assert write_out("GI NET", never) == "gastrointestinal (GI) neuroendocrine tumor (NET)"  # all acronyms


def test_hyphenated_and_capital_plural_acronyms():
    assert write_out("GIST-like tumor", never) == "gastrointestinal stromal tumor (GIST)-like tumor"
    assert write_out("a GI-NET", never) == "a gastrointestinal (GI)-neuroendocrine tumor (NET)"
    assert write_out("NETS", never) == "neuroendocrine tumors (NETS)"
    # an acronym the index uses in every part is left as typed ("T-ALL": "t" and "all")
    assert write_out("adult T-ALL treatment", {"t", "all"}.__contains__) == "adult T-ALL treatment"
    assert typed_acronyms("is HAART or T-ALL a net") == ["HAART", "T-ALL"]


def test_an_acronym_the_index_uses_and_other_words_are_left_as_typed():
    uses_men1 = {"men1"}.__contains__
    assert write_out("gastric NET with MEN1", uses_men1) == "gastric neuroendocrine tumor (NET) with MEN1"
    assert write_out("a net and a pet", never) == "a net and a pet"  # not capitals: words
    assert write_out("stage IV NETWORK", never) == "stage IV NETWORK"  # not defined
    assert write_out("WILL MY DAD NEED A PET SCAN", never) == "WILL MY DAD NEED A PET SCAN"  # shouted


def test_an_acronym_that_is_also_a_word_is_written_out_though_the_index_has_the_word():
    """Support staff searching "ALL" got link lists of other summaries, refused: BM25 drops
    "all" and the uncased model reads it as the word, so only the definition finds it.
    "FIT" found "younger, fit patients" in the myeloma summary first."""
    has_all = {"all", "adult", "t", "fit", "pet"}.__contains__
    assert write_out("adult ALL", has_all) == "adult acute lymphoblastic leukemia (ALL)"
    assert write_out("FIT test", has_all) == "fecal immunochemical test (FIT) test"
    assert write_out("PET scan", has_all) == "PET scan"  # the index uses it, and "pet" is no word of it
    # in a question, a stop word after it says it is the word typed for emphasis
    assert write_out("do I have to stop ALL my medicines", has_all) == "do I have to stop ALL my medicines"
    assert write_out("why does my mom's ALL make her tired", has_all) == \
        "why does my mom's acute lymphoblastic leukemia (ALL) make her tired"
    assert write_out("ALL in adults", has_all) == "acute lymphoblastic leukemia (ALL) in adults"  # a search
    assert write_out("adult B-ALL", has_all) == "adult B-ALL"  # a name holding it
    assert write_out("ALL", has_all) == "acute lymphoblastic leukemia (ALL)"  # every word an acronym: not shouted
    assert write_out("all adults", has_all) == "all adults"  # not capitals: the word
    assert write_out("adult T-ALL", has_all) == "adult T-ALL"  # a name holding it, used whole by the index


def test_an_acronym_typed_in_small_letters_is_read_as_one_where_the_training_questions_type_it_so():
    """Search boxes get "stage 0 cll no symptoms": read only in capitals, "how is cll treated"
    was answered from an index without the CLL summary."""
    assert write_out("how is cll treated", never) == "how is chronic lymphocytic leukemia (cll) treated"
    assert write_out("Cll treatment", never) == "chronic lymphocytic leukemia (Cll) treatment"  # a phone's capital
    assert write_out("my husband Vin has a carcinoid", never) == "my husband Vin has a carcinoid"  # a name
    assert write_out("how is cll treated", {"cll"}.__contains__) == "how is cll treated"  # the index uses it
    assert write_out('what did the "mds" say', never, {"mds"}) == 'what did the "mds" say'  # quoted: as typed
    assert write_out('what did the "MDS" say', never, {"mds"}) == 'what did the "myelodysplastic syndromes (MDS)" say'
    for word in ("cmml", "lch", "CMML", "nhl"):
        assert write_out(word, never) != word, word
    assert typed_acronyms("is cll slow") == []  # the speller may still read it as "cell" ("small cll lung")
    # not words ("pet", "nets", "gist", "psa"), nor letters typed as slips of words ("alk" for talk, "ett" for eat),
    # nor acronyms naming no cancer, typed for other words too ("hrt" for hurt) or read as everyday words
    for word in ("pet", "all", "nets", "gist", "psa", "men", "fit", "alk", "ett", "mrt", "cl", "cLL", "men1", "hrt",
                 "gvhd", "tbi", "fsh"):
        assert write_out(word, never) == word, word
    assert write_out("can i alk after a pet scan", never) == "can i alk after a pet scan"
    assert write_out("is g-csf a shot", never) == "is g-csf a shot"  # part of a name: no cerebrospinal fluid
    assert definitions("cll and GVHD after a pet scan", never) == ["chronic lymphocytic leukemia",
                                                                    "graft-versus-host disease"]
    assert definitions("NET", {"net"}.__contains__) == []  # the index writes it
    assert definitions("do I have to stop ALL my medicines", never) == []  # the word, as write_out reads it
    assert definitions("WILL MY DAD NEED A PET SCAN", never) == []  # shouted: nothing written out


def test_as_initials_are_those_typed_in_capitals_or_written_out_not_those_bracketed_by_the_question():
    typed = "my dad (diabetic) has a NET, what is the DLBCL outlook"
    text = typed.replace("NET", "neuroendocrine tumor (NET)")
    assert as_initials(typed, text) == {"net", "dlbcl"}
    assert as_initials("MY DAD HAS GOUT", "MY DAD HAS GOUT") == set()  # a shout names no initials

