"""Abstention's list of the sentences every PDQ summary carries (`retriever/boilerplate.py`)."""

from __future__ import annotations

from retriever.boilerplate import boilerplate, own_text

NOTICE = ("PDQ is a registered trademark. However, a user would be allowed to write a sentence such as "
          "“NCI’s PDQ cancer information summary about breast cancer prevention states the risks in the "
          "following way: [include excerpt from the summary].”")


def test_the_notes_every_summary_carries_are_listed_folded():
    listed = boilerplate()
    assert "pdq is a registered trademark." in listed
    assert any("breast cancer prevention" in s for s in listed)
    assert all(s == s.lower() for s in listed)


def test_a_passage_keeps_its_own_sentences_only():
    own = own_text("Octreotide is given as a shot. " + NOTICE)
    assert "breast" not in own and "trademark" not in own
    assert own == "Octreotide is given as a shot."


def test_a_passage_without_notes_is_returned_as_it_is():
    text = "Carcinoid tumors   form in the\nlining of the gut. They grow slowly."
    assert own_text(text) is text


def test_a_passage_of_notes_alone_has_no_own_text():
    assert own_text("PDQ is a registered trademark.  PDQ is a service of the NCI.") == ""


def test_a_line_naming_another_summary_is_no_text_of_the_passage():
    """The seed's first passage ends pointing to the pancreatic summary; its words are no sign
    that the passage answers "pancreatic neuroendocrine tumor treatment"."""
    text = ("GI neuroendocrine tumors are rare.\n\nSee the following for information about other types of "
            "neuroendocrine tumors:\n\n- Pancreatic Neuroendocrine Tumors (Islet Cell Tumors) Treatment")
    own = own_text(text)
    assert "Pancreatic" not in own and own.startswith("GI neuroendocrine tumors are rare.")
