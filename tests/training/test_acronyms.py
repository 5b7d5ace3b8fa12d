"""The acronym table's mining (`training/acronyms.py`)."""

from __future__ import annotations

from retriever.acronyms import ACRONYMS
from training.acronyms import pdq_acronyms, render_acronyms, typed_lower
from training.cli import CORPUS
from training.words import summaries, training_questions


def test_the_shipped_acronyms_are_the_corpus_s_own_definitions():
    bodies = [text for _, text in summaries(CORPUS)]
    asked = training_questions(CORPUS.parent / "questions" / "questions.jsonl")
    assert ACRONYMS.read_text(encoding="utf-8") == render_acronyms(bodies, asked), \
        "retriever/pdq_acronyms.txt is stale: run python -m training words --force"
    body = ("# T\n\nGastrointestinal stromal tumors (GISTs) are rare. Stage IV (IV) is late. The United "
            "States (US) and the Office of Alternative Medicine (OAM) are named. Fluorescence in situ "
            "hybridization (FISH) and fish oil. See [it](https://x.gov/gist-treatment-pdq). Acute "
            "lymphoblastic leukemia (ALL) is all. Chronic lymphocytic leukemia (CLL) is slow.\n")
    # "US" and "ALL" are stop words, which a search reads only through their definitions;
    # "FISH" the summaries also write in lower case ("fish oil"), and no question types it
    assert pdq_acronyms([body]) == {"GIST": ("gastrointestinal stromal tumor", False),
                                    "GISTs": ("gastrointestinal stromal tumors", False),
                                    "US": ("united states", True), "ALL": ("acute lymphoblastic leukemia", True),
                                    "CLL": ("chronic lymphocytic leukemia", False)}  # Roman numerals' letters
    assert pdq_acronyms([body], ["is a FISH test painful"])["FISH"] == ("fluorescence in situ hybridization", True)


def test_acronyms_the_training_questions_type_in_small_letters_often_and_that_are_no_word_are_marked():
    table = {"CLL": ("chronic lymphocytic leukemia", False), "ALK": ("anaplastic lymphoma kinase", False),
             "GIST": ("gastrointestinal stromal tumor", False), "ALL": ("acute lymphoblastic leukemia", True),
             "MEN1": ("multiple endocrine neoplasia type 1", False), "GVHD": ("graft-versus-host disease", False),
             "NHL": ("non-hodgkin lymphoma", False)}
    asked = ["stage 0 cll", "is cll slow", "cll in kids", "can i alk to someone", "gist stomach wall",
             "gist in kids", "gist surgery", "all of it", "all done", "all gone", "men1 genes", "men1", "men1 test",
             "gvhd rash", "gvhd gut", "gvhd skin", "nhl stages", "nhl in kids", "is nhl curable"]
    # alk once; gist and all words; men1 no letters alone; gvhd no cancer; nhl common in English, but no word
    assert typed_lower(table, asked) == {"CLL", "NHL"}
    assert typed_lower(table, asked[:2]) == set()  # cll twice
    assert "CLL\tchronic lymphocytic leukemia\tlower" in ACRONYMS.read_text(encoding="utf-8").splitlines()
