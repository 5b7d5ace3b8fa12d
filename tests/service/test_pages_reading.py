"""What a reader reads on the pages: corrections in the case they were typed, and passages
of one section told apart."""

from __future__ import annotations

import re

import pytest

from service.presentation import passage_views
from tests.service.conftest import _hit

pytestmark = pytest.mark.model


def test_a_corrected_word_is_shown_in_the_case_it_was_typed(client):
    """"HODGKINS LYMPHOMA SURVIVAL" was shown as "hodgkin LYMPHOMA SURVIVAL"."""
    html = client.get("/", params={"q": "CARCINOYD Apendix treatment"}).text
    assert "Showing results for <q>CARCINOID Appendix treatment</q>." in html


def test_passages_of_one_section_are_told_apart_by_their_opening_words(client):
    """Two passages of one section had the same heading and the same link name, so a screen
    reader could not tell them apart."""
    for html in (client.get("/", params={"q": "tests to diagnose"}).text,
                 client.get("/staff", params={"q": "tests to diagnose", "view": "compact"}).text):
        labels = re.findall(r'<a href="[^"]+" aria-label="(Read[^"]+)"', html)
        assert len(labels) >= 3 and len(set(labels)) == len(labels), labels
        repeated = [label for label in labels if "he passage beginning" in label]
        assert len(repeated) >= 2 and len(repeated) < len(labels)  # a section shown once needs no more
        hidden = re.findall(r'<span class="visually-hidden">([^<]*he passage beginning[^<]*)</span>', html)
        assert len(hidden) == len(repeated)
        # after a heading ending its sentence, a new one: "tumors., the passage" was read out
        assert not re.search(r"[.?!:], the passage beginning", html) and "tumors. The passage beginning" in html


def test_links_to_sections_of_one_name_in_two_summaries_name_their_summary():
    """A review found four "Read on cancer.gov: Chemotherapy" links on one staff page, each
    of another summary: the heading shows the summary, the link's label did not."""
    views = passage_views([_hit("breast-treatment", 1, "Breast Cancer Treatment - NCI"),
                           _hit("acupuncture", 2, "Acupuncture - NCI"),
                           _hit("acupuncture", 3, "Acupuncture - NCI")])
    assert [v.link_name for v in views] == ["Side effects in Breast Cancer Treatment",
                                            "Side effects in Acupuncture", "Side effects in Acupuncture"]
    assert [bool(v.opening) for v in views] == [False, True, True]  # one summary's two: their opening words
    assert passage_views([_hit("acupuncture", 1, "Acupuncture - NCI")])[0].link_name == "Side effects"


def test_an_answer_to_a_question_in_another_language_says_the_summary_is_in_english(client):
    """A trial's Spanish question was answered, with a half-Spanish "Showing results for" line
    and no word that the passages had met it through a few words of the model. The question here
    is answered well above the threshold on every int8 target: the trial's own ("tratamiento del
    tumor neuroendocrino del apéndice") sits at it, answered on avx512_vnni and refused on avx2."""
    html = client.get("/", params={"q": "tratamiento del síndrome carcinoide"}).text
    assert "What NCI&#39;s information says" in html or "What NCI's information says" in html
    assert re.findall(r'<p class="hint-language">([^<]*)</p>', html) == [
        "The summary we search is written in English, so asking in English may find a better answer."]
    assert "Showing results for" not in html
    english = client.get("/", params={"q": "treatment of a neuroendocrine tumor of the appendix"}).text
    assert "hint-language" not in english


def test_an_answer_to_a_question_naming_something_in_passing_says_the_passages_do_not_mention_it(client):
    """Answered by the in-passing check (`retriever.passing`): the reader, the staff and an
    API client are told what the passages leave out."""
    question = ("my husband has diabetes and they found a neuroendocrine tumor in his appendix, what surgery will "
                "he need")
    html = client.get("/", params={"q": question}).text
    answers = html.split('class="answers"', 1)[1]
    assert '<ol class="passages">' in answers and "seem to answer this question" not in answers
    assert "The passages below don't mention <q>diabetes</q>." in answers
    api = client.get("/api/search", params={"q": question}).json()
    assert not api["abstained"] and api["not_covered"] == ["diabetes"] and "Appendix" in api["results"][0]["section"]
    staff = client.get("/staff", params={"q": question}).text
    assert "These passages don't mention <q>diabetes</q>." in staff


def test_an_answer_says_when_no_passage_shown_has_a_quoted_phrase(client):
    """A patient's trial asked what "watchful waiting" is, which the seed never writes, and got
    the carcinoid syndrome passage with no word that nothing shown holds the phrase."""
    html = client.get("/", params={"q": 'the doctor speak about "watchful waiting" what is'}).text
    assert "None of the passages below has <q>watchful waiting</q> as you typed it" in html
    typed = client.get("/", params={"q": 'what is the "Ki-67 Index" of a carcinoid tumor'}).text
    assert "None of the passages below has <q>Ki-67 Index</q> as you typed it" in typed  # not "ki 67 index"
    pasted = client.get("/", params={"q": 'the doctor speak about "\u200bwatchful waiting" what is'}).text
    assert "has <q>watchful waiting</q> as you typed it" in pasted
    held = client.get("/", params={"q": '"carcinoid syndrome" diarrhea'}).text
    assert 'class="passages"' in held and "None of the passages below has" not in held
