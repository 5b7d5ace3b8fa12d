"""The speller's list of the corpus's own words (`retriever/pdq_words.txt`)."""

from __future__ import annotations

from retriever.spelling import PDQ_WORDS
from retriever.tokenization import zipf
from training.__main__ import main
from training.cli import CORPUS
from training.words import pdq_words, render


def test_the_shipped_list_is_the_corpus_s_own():
    assert PDQ_WORDS.read_text(encoding="utf-8") == render(CORPUS), \
        "retriever/pdq_words.txt is stale: run python -m training words"


def test_it_holds_rare_terms_and_no_everyday_word():
    listed = pdq_words(CORPUS)
    assert {"desmoid", "protocel", "wermer"} <= set(listed)
    assert all(zipf(w) < 1 and len(w) >= 5 for w in listed)
    assert "neuroendocrine" not in listed and "tumor" not in listed  # English uses them


def test_a_missing_corpus_folder_is_named(tmp_path, capsys):
    assert main(["--corpus", str(tmp_path / "none"), "words", "--out", str(tmp_path / "w.txt")]) == 2
    assert "none is not a folder of PDQ summaries" in capsys.readouterr().err
    assert not (tmp_path / "w.txt").exists()
