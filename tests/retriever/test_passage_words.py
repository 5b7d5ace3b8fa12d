"""Passage words made by ingest: the vocabularies abstention and quoted phrases read."""

import json
import shutil

import numpy as np
import pytest

from retriever import store
from retriever.boilerplate import own_text
from retriever.models import Chunk
from retriever.passage_words import PassageWords, about
from retriever.search import Retriever
from retriever.tokenization import TOKENIZER_VERSION, Vocabulary, passage_vocabulary


def _chunk(n: int, text: str, headings: list[str]) -> Chunk:
    return Chunk(id=f"renal-cell#{n}", doc_id="renal-cell", source="renal-cell.md", title="Renal Cell Cancer",
                 url="https://example.org/types/kidney/patient/kidney-treatment-pdq", heading_path=headings,
                 section=headings[-1], text=text)


CHUNKS = [
    _chunk(0, "Non-Hodgkin lymphoma and MEN-1 are not renal cell cancer.", ["Renal Cell Cancer", "Other cancers"]),
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
    assert words.of(1).knows("drug") and not words.of(1).knows("lymphoma")
    assert len(words.ids) < 2 * sum(len(words.of(i).words) for i in range(3))  # a repeated passage stored once


def test_passage_words_saved_and_read_back_unchanged(tmp_path):
    words = PassageWords.build(CHUNKS)
    words.save(tmp_path / store.PASSAGE_WORDS)
    again = PassageWords.load(tmp_path / store.PASSAGE_WORDS, len(CHUNKS))
    assert again.table == words.table and np.array_equal(again.spans, words.spans)
    assert all(_same(again.of(i), words.of(i)) and _same(again.own(i), words.own(i)) for i in range(len(CHUNKS)))


def test_passage_words_of_another_tokenizer_or_index_are_refused(tmp_path):
    path = tmp_path / store.PASSAGE_WORDS
    PassageWords.build(CHUNKS).save(path)
    with pytest.raises(ValueError, match=f"has {len(CHUNKS) + 1} chunks"):
        PassageWords.load(path, len(CHUNKS) + 1)
    with np.load(path) as data:
        fields = dict(data)
    np.savez(path, **{**fields, "version": np.int64(TOKENIZER_VERSION - 1)})
    with pytest.raises(ValueError, match=f"tokenizer version {TOKENIZER_VERSION - 1}, this program's is"):
        PassageWords.load(path, len(CHUNKS))


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
