"""Passage words made by ingest: the vocabularies abstention and quoted phrases read."""

import json
import shutil

import numpy as np
import pytest

from retriever import passage_words, store
from retriever.boilerplate import own_text
from retriever.models import Chunk
from retriever.passage_words import PassageWords, PassageWordsError, about, recipe
from retriever.search import Retriever
from retriever.tokenization import Vocabulary, passage_vocabulary


def _chunk(n: int, text: str, headings: list[str]) -> Chunk:
    return Chunk(id=f"renal-cell#{n}", doc_id="renal-cell", source="renal-cell.md", title="Renal Cell Cancer",
                 url="https://example.org/types/kidney/patient/kidney-treatment-pdq", heading_path=headings,
                 section=headings[-1], text=text)


# PDQ's notes (retriever/pdq_boilerplate.txt): no evidence of a topic, so not among a passage's own words
NOTES = ("PDQ is a registered trademark.\n\nHowever, a user would be allowed to write a sentence such as "
         "\u201cNCI\u2019s PDQ cancer information summary about breast cancer prevention states the risks in "
         "the following way: [include excerpt from the summary].\u201d")
CHUNKS = [
    _chunk(0, "Non-Hodgkin lymphoma and MEN-1 are not renal cell cancer.", ["Renal Cell Cancer", "Other cancers"]),
    _chunk(3, "The content of this summary can be used freely.\n\n" + NOTES, ["Renal Cell Cancer", "Permission"]),
    _chunk(1, "Sunitinib and pazopanib are targeted therapy drugs.", ["Renal Cell Cancer", "Targeted therapy"]),
    _chunk(2, "Sunitinib and pazopanib are targeted therapy drugs.", ["Renal Cell Cancer", "Targeted therapy"]),
]


def _same(a: Vocabulary, b: Vocabulary) -> bool:
    return (a.words, a.stems, a.prefixes) == (b.words, b.stems, b.prefixes)


def test_each_passage_s_words_are_those_made_at_search_time_before():
    words = PassageWords.build(CHUNKS)
    for i, c in enumerate(CHUNKS):
        assert _same(words.of(i), passage_vocabulary(c.text, about(c)))
        assert _same(words.own(i), passage_vocabulary(own_text(c.text), about(c)))
    first = words.of(0)
    assert first.knows("nonhodgkin") and first.knows("men1") and not first.knows("pancreas")
    assert first.knows("kidney") and first.knows("renal")  # the url's and the headings' words
    assert words.of(2).knows("drug") and not words.of(2).knows("lymphoma")
    assert words.own(2) is words.of(2) is words.of(3)  # no notes, the same text: stored and made once
    assert len(words.ids) == sum(len(v.words) for v in (words.of(0), words.of(1), words.own(1), words.of(2)))
    notes = words.of(1)
    assert notes.knows("breast") and notes.knows("trademark") and notes.knows("freely")
    own = words.own(1)
    assert not own.knows("breast") and not own.knows("trademark") and own.knows("freely") and own.knows("kidney")


def test_passage_words_saved_and_read_back_unchanged(tmp_path):
    words = PassageWords.build(CHUNKS)
    words.save(tmp_path / store.PASSAGE_WORDS)
    again = PassageWords.load(tmp_path / store.PASSAGE_WORDS, len(CHUNKS))
    assert again.table == words.table and np.array_equal(again.spans, words.spans)
    assert all(_same(again.of(i), words.of(i)) and _same(again.own(i), words.own(i)) for i in range(len(CHUNKS)))
    assert not _same(again.own(1), again.of(1))


def _rewritten(path, change):
    with np.load(path) as data:
        fields = dict(data)
    np.savez(path, **{**fields, **change(fields)})


def _ids_past_the_words(fields):
    ids = fields["ids"].copy()
    ids[0] = len(fields["table"])
    return {"ids": ids}


ROWS = 2 * len(CHUNKS)


@pytest.mark.parametrize("change, message", [
    (lambda f: {}, None),
    (lambda f: {"recipe": np.str_("0" * 16)}, r"made by another version of the program or with other PDQ notes"),
    (lambda f: {"spans": f["spans"].astype(np.float64)}, r"two rows of word ids for each of the index's 4"),
    (lambda f: {"spans": f["spans"][0]}, r"two rows of word ids for each"),
    (lambda f: {"spans": np.tile([[3, 1]], (ROWS, 1))}, r"its rows point outside its word ids"),
    (lambda f: {"spans": np.tile([[0, len(f["ids"]) + 1]], (ROWS, 1))}, r"its rows point outside its word ids"),
    (_ids_past_the_words, r"its word ids point outside its words"),
])
def test_passage_words_made_otherwise_or_not_the_index_s_are_refused(tmp_path, change, message):
    path = tmp_path / store.PASSAGE_WORDS
    PassageWords.build(CHUNKS).save(path)
    _rewritten(path, change)
    if message is None:  # rewritten unchanged: still read
        assert PassageWords.load(path, len(CHUNKS)).chunks == len(CHUNKS)
        with pytest.raises(PassageWordsError, match="for each of the index's 5 chunks"):
            PassageWords.load(path, len(CHUNKS) + 1)
        return
    with pytest.raises(PassageWordsError, match=message):
        PassageWords.load(path, len(CHUNKS))


def test_the_index_s_own_words_leave_out_what_only_pdq_s_notes_say():
    """The planner reads whether the index mentions a subject in these: "breast" stands only in
    the permission notice, so an index of this summary does not mention it."""
    own = PassageWords.build(CHUNKS).own_words()
    assert {"sunitinib", "pazopanib", "lymphoma", "content", "renal"} <= set(own)
    assert not {"breast", "trademark", "prevention"} & set(own)
    assert "breast" in PassageWords.build(CHUNKS).table  # among all its words, as the passage holds it


def test_the_recipe_follows_pdq_s_notes(tmp_path, monkeypatch):
    """The notes list is remade by python -m training words: words stored with the old list
    would look for topics in what it now calls notes, so they are refused."""
    shipped = recipe()
    notes = tmp_path / "notes.txt"
    notes.write_bytes(passage_words.BOILERPLATE.read_bytes() + b"pdq is a service of the nci.\n")
    monkeypatch.setattr(passage_words, "BOILERPLATE", notes)
    assert recipe() != shipped
    monkeypatch.undo()
    named = tmp_path / "named.txt"
    named.write_bytes(passage_words.CROSS_REFERENCES.read_bytes() + b"lip and oral cavity cancer treatment\n")
    monkeypatch.setattr(passage_words, "CROSS_REFERENCES", named)
    assert recipe() != shipped


@pytest.mark.model
def test_the_seed_index_stores_every_passage_s_words(seed_retriever):
    words, chunks = seed_retriever.words, seed_retriever.chunks
    assert words.chunks == len(chunks)
    for i, c in enumerate(chunks):
        assert _same(words.of(i), passage_vocabulary(c.text, about(c)))
        assert _same(words.own(i), passage_vocabulary(own_text(c.text), about(c)))
    assert any(words.own(i).words < words.of(i).words for i in range(len(chunks)))  # PDQ's notes left out


@pytest.mark.model
def test_an_index_made_before_passage_words_is_refused_with_the_rebuild(seed_index, settings, embedder, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(seed_index.resolve(), copy)
    manifest = json.loads((copy / store.MANIFEST).read_text())
    del manifest["files"][store.PASSAGE_WORDS]
    (copy / store.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (copy / store.PASSAGE_WORDS).unlink()
    with pytest.raises(store.IndexLoadError, match=rf"no {store.PASSAGE_WORDS} \(made by an earlier version.*"
                                                   r"rebuild it with: python -m ingest"):
        Retriever.load(copy, settings, embedder=embedder)
