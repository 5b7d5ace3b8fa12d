"""The speller's list of the corpus's own words (`retriever/pdq_words.txt`)."""

from __future__ import annotations

from collections import Counter

from retriever.spelling import PDQ_WORDS, Speller, everyday_slips
from retriever.tokenization import zipf
from training.__main__ import main
from training.cli import CORPUS
from training.words import corpus_counts, pdq_words, render


def test_the_shipped_list_is_the_corpus_s_own():
    assert PDQ_WORDS.read_text(encoding="utf-8") == render(corpus_counts(CORPUS)), \
        "retriever/pdq_words.txt is stale: run python -m training words"


def test_it_holds_rare_terms_one_slip_from_everyday_words_and_not_the_corpus_s_own_slips():
    counts = corpus_counts(CORPUS)
    listed = pdq_words(counts)
    assert {"desmoid", "protocel"} <= set(listed)
    assert all(zipf(w) < 1 and everyday_slips(w) for w in listed)
    assert counts["thryoid"] == 1 and "thryoid" not in listed  # the corpus's slip beside "thyroid"
    assert Speller(Counter({"tumor": 3})).correct("thryoid") == "thyroid"
    assert Speller(Counter({"tumor": 3})).correct("desmoid") is None


def test_a_folder_without_summaries_is_named_and_the_list_kept(tmp_path, capsys):
    out = tmp_path / "words.txt"
    out.write_text("kept\n", encoding="utf-8")
    assert main(["--corpus", str(tmp_path), "words", "--out", str(out)]) == 2
    assert f"{tmp_path}: no PDQ summaries" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "kept\n"
