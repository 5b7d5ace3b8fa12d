"""Drugs' other names read as the names the summaries use (`retriever.drug_names`)."""

from __future__ import annotations

from collections import Counter

from retriever.drug_names import drug_names, read_drug_names
from retriever.planning import Planner
from retriever.spelling import Speller


def test_the_shipped_table_reads_brands_as_the_summaries_names():
    table = drug_names()
    assert table["sutent"] == "sunitinib" and table["sandostatin"] == "octreotide"
    assert table["zometa"] == "zoledronic acid" and table["taxol"] == "paclitaxel"
    assert "armour" not in table  # a word of its own in English, not the thyroid drug


def test_a_brand_is_read_as_its_drug_only_where_the_index_names_the_drug_exactly():
    assert read_drug_names(["my", "sutent"], {"sunitinib"}.__contains__) == ({"sutent": "sunitinib"}, [])
    assert read_drug_names(["sutents"], {"sunitinib"}.__contains__) == ({"sutents": "sunitinib"}, [])
    assert read_drug_names(["sutent"], {"stent"}.__contains__) == ({}, ["sutent"])  # kept as typed
    # in the question's order, as the topics a refusal names are
    assert read_drug_names(["votrient", "or", "sutent"], {"or"}.__contains__) == ({}, ["votrient", "sutent"])
    assert read_drug_names(["sutent"], {"sutent", "sunitinib"}.__contains__) == ({}, [])  # the index's own word
    assert read_drug_names(["zometa"], {"zoledronic"}.__contains__) == ({}, ["zometa"])  # every word of the name


def test_a_brand_the_index_lacks_is_no_slip_of_another_word_and_a_topic_it_must_name():
    """"sutent" was read as "stent", one letter away, and answered with stent passages."""
    planner = Planner(Speller(Counter({"stent": 5, "side": 9, "effects": 9})))
    plan = planner.plan("sutent side effects")
    assert plan.corrections == {} and "sutent" in plan.topics
    planner = Planner(Speller(Counter({"stent": 5, "sunitinib": 3})))
    plan = planner.plan("my dad is on Sutent")
    assert plan.corrections == {"sutent": "sunitinib"} and "sunitinib" in plan.dense_text
    assert planner.plan('"sutent" side effects').corrections == {}  # quoted: searched as typed


def test_the_index_must_write_the_drug_word_for_word():
    """By stem or first letters, "hydroxyurea" passed for hydroxyzine, and "atarax for itching"
    was answered with a hydrazine sulfate passage."""
    plan = Planner(Speller(Counter({"sunitinibs": 3, "stent": 5}))).plan("sutent side effects")
    assert plan.corrections == {} and "sutent" in plan.topics
