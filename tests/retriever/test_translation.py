"""The translation table: saved and read back, mapped onto an index, and scoring passages."""

from __future__ import annotations

import math
import time
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp

from retriever.keyword import KeywordIndex
from retriever.models import Chunk
from retriever.text import keyword_text
from retriever.tokenization import stem, tokenize
from retriever.translation import Bridges, TranslationError, TranslationTable, a_form


def _index(*texts: str) -> KeywordIndex:
    return KeywordIndex.build([Chunk(id=f"d#{n}", doc_id="d", source="d.md", title="Doc", url="https://example.org/d",
                                     heading_path=["Doc"], section="Doc", text=text) for n, text in enumerate(texts)])


def _table(entries: dict[tuple[str, str], float], counts: dict[str, float] | None = None) -> TranslationTable:
    """``{(passage word, question word): t}`` as a table over their stems, each passage word
    held by ``counts[word]`` passages (1 when not given)."""
    sources = sorted({stem(v) for v, _ in entries})
    targets = sorted({stem(w) for _, w in entries})
    rows = [sources.index(stem(v)) for v, _ in entries]
    cols = [targets.index(stem(w)) for _, w in entries]
    matrix = sp.csr_matrix((list(entries.values()), (rows, cols)), shape=(len(sources), len(targets)), dtype=np.float32)
    held = {stem(v): n for v, n in (counts or {}).items()}
    return TranslationTable(tuple(sources), tuple(targets), matrix,
                            np.array([held.get(v, 1.0) for v in sources], dtype=np.float32))


INDEX = ("Pain in the abdomen after surgery.", "Radiation therapy uses high-energy x-rays.", "The outlook is good.")


def test_a_lay_word_finds_the_passage_holding_its_translation():
    translation = _table({("abdomen", "belly"): 0.8, ("outlook", "survive"): 0.5}).for_index(_index(*INDEX))
    rows = np.arange(3)
    belly = translation.scores("my belly", rows)
    assert belly[0] > belly[1] and belly[1] == belly[2]  # no passage but the first holds a translation
    survive = translation.scores("will he survive", rows)
    assert survive.argmax() == 2


def test_a_question_read_once_scores_any_passages_as_scoring_them_directly():
    translation = _table({("abdomen", "belly"): 0.8, ("outlook", "survive"): 0.5}).for_index(_index(*INDEX))
    words = translation.read("my belly after radiation")
    for rows in (np.arange(3), np.array([2, 0]), np.array([1, 1])):
        assert np.array_equal(words.scores(rows), translation.scores("my belly after radiation", rows))
    unknown = translation.read("zzyzx qwerty")
    assert unknown.likely is None and unknown.scores(np.arange(3)).tolist() == [0.0, 0.0, 0.0]


def test_scores_are_the_translation_language_model_s_mean_log_likelihood():
    """log(0.9 * (0.5 * sum over the passage's words v of P(v|d) t(w|v) + 0.5 * P(w|d)) + 0.1 * P(w)),
    averaged over the question's words, each once; P(w) counts (passages holding w) + 1 over
    all, and a word the index lacks counts 0 + 1."""
    keyword = _index(*INDEX)
    entries = {("abdomen", "belly"): 0.8, ("surgery", "belly"): 0.1, ("outlook", "survive"): 0.5,
               ("radiation", "pain"): 0.3}
    translation = _table(entries).for_index(keyword)
    words = {n: set(tokenize(keyword_text("Doc", ["Doc"], text))) for n, text in enumerate(INDEX)}
    held = Counter(w for ws in words.values() for w in ws)
    total = sum(held.values()) + len(held) + 1
    t = {(stem(v), stem(w)): p for (v, w), p in entries.items()}

    def expected(question: str, n: int) -> float:
        logs = []
        for w in dict.fromkeys(stem(x) for x in question.split()):
            own = (w in words[n]) / len(words[n])
            learned = sum(p for (v, target), p in t.items() if target == w and v in words[n]) / len(words[n])
            logs.append(math.log(0.9 * (0.5 * learned + 0.5 * own) + 0.1 * (held[w] + 1) / total))
        return sum(logs) / len(logs)

    question = "belly pain pain survive"  # a word twice counts once; "survive" is no word of the index
    got = translation.scores(question, np.array([2, 0, 1, 0]))
    assert np.isfinite(got).all()
    assert got.tolist() == pytest.approx([expected(question, n) for n in (2, 0, 1, 0)], rel=1e-5)


def test_a_word_the_passage_holds_counts_without_the_table():
    translation = _table({("abdomen", "belly"): 0.8}).for_index(_index(*INDEX))
    scores = translation.scores("radiation", np.arange(3))
    assert scores.argmax() == 1 and scores[0] == scores[2]


def test_words_neither_the_index_nor_the_table_knows_score_nothing():
    translation = _table({("abdomen", "belly"): 0.8}).for_index(_index(*INDEX))
    assert translation.scores("zzyzx qwerty", np.arange(3)).tolist() == [0.0, 0.0, 0.0]
    assert translation.scores("belly", np.arange(0)).shape == (0,)


def test_passage_words_the_index_lacks_are_dropped_when_mapped():
    """One table serves any index: a seed of 57 passages lacks most of the corpus's words."""
    translation = _table({("abdomen", "belly"): 0.8, ("leukemia", "belly"): 0.2}).for_index(_index(*INDEX))
    assert translation.translated.nnz == 1  # abdomen's, in the first passage
    assert translation.scores("belly", np.arange(3)).argmax() == 0


def test_a_table_reads_back_as_saved(tmp_path, monkeypatch):
    table = _table({("abdomen", "belly"): 0.8, ("outlook", "survive"): 0.5})
    path = tmp_path / "translation.npz.partial"  # any name: training writes a partial file first
    table.save(path)
    assert path.is_file() and not (tmp_path / "translation.npz.partial.npz").exists()
    again = TranslationTable.load(path)
    assert (again.sources, again.targets) == (table.sources, table.targets)
    assert (again.matrix != table.matrix).nnz == 0 and again.counts.tolist() == table.counts.tolist()
    monkeypatch.setattr(time, "time", lambda: 2e9)  # saved again in 2033
    table.save(tmp_path / "again.npz")
    assert (tmp_path / "again.npz").read_bytes() == path.read_bytes()  # no time stamped in: reproducible


def test_a_file_that_is_no_table_is_named(tmp_path):
    path = tmp_path / "translation.npz"
    path.write_bytes(b"not a table")
    with pytest.raises(TranslationError, match=r"translation\.npz: not a translation table"):
        TranslationTable.load(path)


@pytest.mark.parametrize("damage, why", [
    ("indices", "indices must be"), ("indptr", "non-decreasing"), ("data", "no probability"),
    ("sources", "not lists of words"), ("counts", "not one count per passage word"),
    ("counts nan", "not one count per passage word"), ("counts zero", "not one count per passage word"),
    ("counts text", "not one count per passage word"), ("no counts", "counts"),
])
def test_a_table_whose_entries_do_not_hold_together_is_named(tmp_path, damage, why):
    """Its hash matching its record: a table written wrong, which would crash or mislead a search."""
    good = _table({("abdomen", "belly"): 0.8, ("outlook", "survive"): 0.5})
    m = good.matrix.tocsr()
    arrays = {"sources": np.array(good.sources), "targets": np.array(good.targets), "data": m.data,
              "indices": m.indices, "indptr": m.indptr, "counts": good.counts}
    if damage == "indices":
        arrays["indices"] = m.indices + 1000
    elif damage == "indptr":  # rows out of order: only a full check of the matrix sees it
        arrays["indptr"] = np.array([0, 2, 1])
    elif damage == "data":
        arrays["data"] = np.full_like(m.data, np.nan)
    elif damage == "counts":  # one short: a table from another fit's words
        arrays["counts"] = good.counts[:-1]
    elif damage == "counts nan":
        arrays["counts"] = np.full_like(good.counts, np.nan)
    elif damage == "counts zero":  # every word is held by some passage of the index fitted over
        arrays["counts"] = np.zeros_like(good.counts)
    elif damage == "counts text":
        arrays["counts"] = np.array(["1"] * len(good.counts))
    elif damage == "no counts":  # a table written before abstention read it
        del arrays["counts"]
    else:
        arrays["sources"] = np.arange(len(good.sources))
    path = tmp_path / "translation.npz"
    with path.open("wb") as f:
        np.savez_compressed(f, **arrays)
    with pytest.raises(TranslationError, match=rf"translation\.npz: not a translation table \(.*({why})"):
        TranslationTable.load(path)


def test_a_bridge_is_a_passage_word_a_question_word_is_asked_of_both_ways():
    """"belly" is asked of passages saying abdomen (t 0.8), and abdomen's passages hold most of
    its asking: a bridge. "melanoma" is asked of passages saying "anyone" (t 0.4), but the
    passages holding "melanoma" itself take nearly all its asking: topical company, no bridge."""
    table = _table({("abdomen", "belly"): 0.8, ("surgery", "belly"): 0.1, ("melanoma", "melanoma"): 0.6,
                    ("anyone", "melanoma"): 0.4, ("prognosis", "survive"): 0.3, ("good", "survive"): 0.29,
                    ("75", "dose"): 0.9, ("714", "cancel"): 0.9, ("uv", "sunbed"): 0.9},
                   counts={"abdomen": 40, "surgery": 300, "melanoma": 200, "anyone": 5, "prognosis": 10, "good": 10})
    assert table.bridges().names == {stem("belly"): {stem("abdomen")}, stem("survive"): {stem("prognosis")}}
    # one way only: anyone's 5 passages take 2 of melanoma's 122 askings (0.016), under the share
    assert table.bridges(share=0.0).names[stem("melanoma")] == {stem("anyone")}
    assert table.bridges(share=0.01).names[stem("melanoma")] == {stem("anyone")}
    assert stem("melanoma") not in table.bridges(share=0.02).names
    # surgery is asked "belly" 0.1 of the time: under the probability; never a word itself, nor a number
    assert table.bridges(probability=0.05, share=0.0).names[stem("belly")] == {stem("abdomen"), stem("surgery")}
    # no number, no stem of two letters
    assert not {stem("dose"), stem("cancel"), stem("sunbed")} & set(table.bridges(share=0.0).names)
    assert table.bridges(probability=0.95).names == {}


def test_a_form_of_the_question_word_is_a_bridge_at_a_lower_probability():
    """"spine" is asked of passages saying "spinal" 0.16 of the time: under the probability, but a
    form of the word (its first letters); "intrathecal" at 0.19 is only its company."""
    table = _table({("spine", "spine"): 0.6, ("spinal", "spine"): 0.16, ("intrathecal", "spine"): 0.19,
                    ("vulvar", "vulva"): 0.05},
                   counts={"spine": 20, "spinal": 60, "intrathecal": 30, "vulvar": 30})
    assert table.bridges().names == {stem("spine"): {stem("spinal")}}
    assert table.bridges(derived=0.2).names == {}  # a form under its own probability
    assert table.bridges(derived=0.04).names == {stem("spine"): {stem("spinal")}, stem("vulva"): {stem("vulvar")}}
    assert table.bridges(probability=0.15, derived=0.5).names == {stem("spine"): {stem("spinal"), stem("intrathecal")}}


@pytest.mark.parametrize(("source", "target"), [("spinal", "spine"), ("testicular", "testicl"), ("vulvar", "vulva"),
                                               ("thymic", "thymus"), ("rhabdomyosarcoma", "rhabdo")])
def test_a_form_shares_the_words_letters_but_its_last_two(source, target):
    assert a_form(source, target)


@pytest.mark.parametrize(("source", "target"), [
    ("mening", "meningioma"),  # the tumour's start, not the tumour
    ("thymoma", "thymus"), ("pineoblastoma", "pineal"),  # a tumour named after an organ
    ("hyperthyroid", "hypothyroid"),  # the same start, another word
    ("spix", "spine"),
])
def test_a_word_sharing_a_start_is_no_form(source, target):
    assert not a_form(source, target)


def test_a_bridge_the_question_says_itself_names_nothing_else():
    """"plasma cell myeloma": a passage on plasma is none on myeloma, whatever the table says."""
    bridges = Bridges({stem("myeloma"): frozenset({stem("plasma")}), stem("belly"): frozenset({stem("abdomen")})})
    assert bridges.of(["myeloma", "belly"], "a sore belly and myeloma") == {
        "myeloma": {stem("plasma")}, "belly": {stem("abdomen")}}
    assert bridges.of(["myeloma"], "what is plasma cell myeloma") == {}
    assert bridges.of(["lung"], "lung") == {}
