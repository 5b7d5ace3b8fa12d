"""Stage numbers typed in digits or words are read as the summaries write them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retriever.stage_numbers import roman_stages

CORPUS = Path(__file__).resolve().parents[2] / "training" / "corpus"
LUNG = CORPUS / "types-lung-patient-non-small-cell-lung-treatment-pdq.md"


@pytest.fixture(scope="module")
def lung_retriever(tmp_path_factory, settings, embedder):
    """The non-small cell lung cancer summary alone: its treatment sections are headed by
    stage in Roman numerals only ("Treatment of Stage IV ... Non-Small Cell Lung Cancer")."""
    from ingest.indexing import build_index
    from retriever.search import Retriever

    docs = tmp_path_factory.mktemp("lung") / "docs"
    docs.mkdir()
    shutil.copy(LUNG, docs / LUNG.name)
    build_index(docs, docs.parent / "index", settings, embedder=embedder, progress=False)
    return Retriever.load(docs.parent / "index", settings, embedder=embedder)


@pytest.mark.parametrize("typed, read", [
    ("stage 4 melanoma treatment", "stage IV melanoma treatment"),
    ("Stage 3b or 4 colon cancer", "Stage IIIB or IV colon cancer"),
    ("stages 2 and 3", "stages II and III"),
    ("stage 2-3 rectal", "stage II-III rectal"),
    ("stage 3c1 cervical cancer", "stage IIIC1 cervical cancer"),
    ("my mom has stage four ovarian cancer", "my mom has stage IV ovarian cancer"),
    ("what does STAGE TWO mean", "what does STAGE II mean"),
])
def test_a_stage_number_is_written_as_the_summaries_write_it(typed, read):
    assert roman_stages(typed) == read


@pytest.mark.parametrize("typed", [
    "stage 0 breast cancer",        # the summaries write "stage 0"
    "stage 5",                      # no summary's stages reach it
    "what stage is a 4 cm tumor",   # a size, not a stage
    "it was staged 3 times",
    "type 2 diabetes",
    "stage IV already in numerals",
])
def test_other_numbers_are_left_as_typed(typed):
    assert roman_stages(typed) == typed


@pytest.mark.model
@pytest.mark.parametrize("question", ["non small cell lung cancer stage 4 treatment",
                                      "how do they treat stage four lung cancer"])
def test_a_stage_in_digits_finds_the_passages_of_that_stage(lung_retriever, question):
    """Typed in digits, the stage found the summary's stage I passage first: to BM25 "4" is
    not "iv", and the model places the two only roughly together."""
    heading = lung_retriever.search(question, k=1).hits[0].chunk.heading_path[-1]
    assert "Stage IV" in heading
