"""The learned ranker: its features, its files, and what a search does with it."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from retriever.embedding import resolve_model
from retriever.keyword import KeywordIndex
from retriever.models import Chunk
from retriever.ranker import (
    FEATURES,
    FOLDER,
    MODEL_FILE,
    RECORD_FILE,
    TRANSLATION_FILE,
    LearnedRanker,
    RankerError,
    ranker_sha256,
)

QUESTION = "what are the signs of a carcinoid tumor in the rectum?"


def _chunk(n: int, text: str) -> Chunk:
    return Chunk(id=f"d#{n}", doc_id="d", source="d.md", title="Doc", url="https://example.org/d",
                 heading_path=["Doc"], section="Doc", text=text)


def test_coverage_counts_terms_in_any_form_or_alternative():
    keyword = KeywordIndex.build([_chunk(0, "Nausea and vomiting after chemotherapy."),
                                  _chunk(1, "The prognosis depends on the stage."),
                                  _chunk(2, "Surgery removes the tumor."),
                                  _chunk(3, "The outlook is good.")])
    terms = [("vomited",), ("outlook", "prognosis")]
    assert keyword.coverage(terms).tolist() == [0.5, 0.5, 0.0, 0.5]
    assert keyword.coverage([]).tolist() == [1.0, 1.0, 1.0, 1.0]


@pytest.mark.model
def test_a_hybrid_search_orders_passages_by_the_ranker_s_scores(seed_retriever):
    from retriever.ranker import signal_features

    ranker = seed_retriever.reranker
    assert isinstance(ranker, LearnedRanker)
    sig = seed_retriever.signals(QUESTION)
    ids, X = signal_features(seed_retriever, sig, seed_retriever.fuse(sig, "hybrid"), ranker.translation)
    predicted = dict(zip(ids, ranker.predict(X).tolist()))
    result = seed_retriever.search(QUESTION, k=5)
    assert [h.score for h in result.hits] == pytest.approx([predicted[ids[[seed_retriever.chunks[i].id
                                                                            for i in ids].index(h.chunk.id)]]
                                                             for h in result.hits])
    assert [h.score for h in result.hits] == sorted(predicted.values(), reverse=True)[:5]


@pytest.mark.model
def test_the_ranker_s_table_bridges_lay_words_for_abstention(seed_retriever, seed_index, settings, embedder):
    from retriever.judging import bridges
    from retriever.search import Retriever
    from retriever.tokenization import stem
    from retriever.translation import NO_BRIDGES

    assert stem("abdomen") in bridges(seed_retriever).names[stem("belly")]
    assert bridges(seed_retriever) == seed_retriever.reranker.table.bridges()
    plain = Retriever.load(seed_index, settings.model_copy(update={"ranker": False}), embedder=embedder)
    assert plain.reranker is None and bridges(plain) is NO_BRIDGES  # they ship with the ranker


@pytest.mark.model
def test_a_search_reads_the_bridges_when_it_looks_for_missing_topics(seed_retriever):
    """A drug name no passage holds is a missing topic, unless a passage holds a word it is
    bridged to that the question does not say itself."""
    from retriever.tokenization import stem
    from retriever.translation import Bridges

    question = "is zorglumab used for carcinoid tumors"
    assert "zorglumab" in seed_retriever.search(question, k=3).missing
    bridged = seed_retriever.with_settings(seed_retriever.settings)  # a copy: the session's retriever stays
    bridged.reranker.bridges = Bridges({stem("zorglumab"): frozenset({stem("hormone")})})
    assert "zorglumab" not in bridged.search(question, k=3).missing
    assert "zorglumab" in bridged.search("is zorglumab a hormone for carcinoid tumors", k=3).missing
    assert "zorglumab" in seed_retriever.search(question, k=3).missing


@pytest.mark.model
def test_features_have_one_row_per_candidate_within_their_ranges(seed_retriever):
    from retriever.ranker import signal_features

    sig = seed_retriever.signals(QUESTION)
    fused = seed_retriever.fuse(sig, "hybrid")
    ids, X = signal_features(seed_retriever, sig, fused, seed_retriever.reranker.translation)
    assert ids == list(fused) and X.shape == (len(fused), len(FEATURES))
    col = {name: X[:, j] for j, name in enumerate(FEATURES)}
    assert col["dense_margin"].max() == 0 and (col["dense_margin"] <= 0).all()
    assert ((0 <= col["coverage"]) & (col["coverage"] <= 1)).all()
    assert ((0 <= col["bm25"]) & (col["bm25"] <= 1)).all() and col["bm25"].max() == 1
    assert (col["translation"] < 0).all() and col["translation_margin"].max() == 0  # log-likelihoods
    # one summary: no document ranking, every candidate from the same document
    assert (col["document_title"] == 0).all() and (col["document_share"] == 1).all()


def test_a_model_without_a_ranker_has_none(tmp_path):
    assert LearnedRanker.load(tmp_path, retriever=None) is None
    assert ranker_sha256(tmp_path) == ""


def test_a_lightgbm_ranker_without_its_onnx_form_is_named_with_the_rebuild_command(tmp_path):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "ranker.txt").write_text("tree\n", encoding="utf-8")
    with pytest.raises(RankerError, match=r"ranker\.txt: a LightGBM ranker without its ONNX form.*training ranker"):
        LearnedRanker.load(tmp_path, retriever=None)


def _ranker_folder(tmp_path, features, model: bytes, recorded: bytes | None = None):
    folder = tmp_path / FOLDER
    folder.mkdir()
    sha = hashlib.sha256(model if recorded is None else recorded).hexdigest()
    table = _shipped(TRANSLATION_FILE)
    (folder / RECORD_FILE).write_text(json.dumps({"features": features, "sha256": sha,
                                                  "translation_sha256": hashlib.sha256(table).hexdigest()}),
                                      encoding="utf-8")
    (folder / MODEL_FILE).write_bytes(model)
    (folder / TRANSLATION_FILE).write_bytes(table)
    return folder


def _shipped(name: str = MODEL_FILE) -> bytes:
    with open(resolve_model("pdq-minilm-l6") + f"/{FOLDER}/{name}", "rb") as f:
        return f.read()


@pytest.mark.parametrize("damage, why", [("missing", "missing beside ranker.onnx"),
                                         ("edited", r"sha256 \w+ does not match its record.*partial or edited")])
def test_a_translation_table_gone_or_edited_is_named_with_the_fix(tmp_path, damage, why):
    folder = _ranker_folder(tmp_path, list(FEATURES), _shipped())
    if damage == "missing":
        (folder / TRANSLATION_FILE).unlink()
    else:
        (folder / TRANSLATION_FILE).write_bytes(_shipped(TRANSLATION_FILE)[:-10])
    with pytest.raises(RankerError, match=rf"{TRANSLATION_FILE}: {why}.*restore the shipped files"):
        LearnedRanker.load(tmp_path, retriever=None)


@pytest.mark.parametrize("content", [b"not a table", b"", None], ids=["text", "empty", "cut-off zip"])
def test_a_file_that_is_no_translation_table_is_named(tmp_path, content):
    """Its record matching it: a table written wrong, not damaged since."""
    folder = _ranker_folder(tmp_path, list(FEATURES), _shipped())
    content = _shipped(TRANSLATION_FILE)[:5000] if content is None else content
    (folder / TRANSLATION_FILE).write_bytes(content)
    record = json.loads((folder / RECORD_FILE).read_text(encoding="utf-8"))
    record["translation_sha256"] = hashlib.sha256(content).hexdigest()
    (folder / RECORD_FILE).write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RankerError, match=rf"{TRANSLATION_FILE}: not a translation table.*restore"):
        LearnedRanker.load(tmp_path, retriever=None)


def test_a_record_without_the_table_s_hash_says_so(tmp_path):
    folder = _ranker_folder(tmp_path, list(FEATURES), _shipped())
    record = json.loads((folder / RECORD_FILE).read_text(encoding="utf-8"))
    del record["translation_sha256"]
    (folder / RECORD_FILE).write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(RankerError, match=rf"{RECORD_FILE}: records no translation_sha256.*restore"):
        LearnedRanker.load(tmp_path, retriever=None)


def test_a_table_that_cannot_be_read_is_named_with_the_fix_that_helps(tmp_path, monkeypatch):
    import retriever.ranker

    _ranker_folder(tmp_path, list(FEATURES), _shipped())
    monkeypatch.setattr(retriever.ranker, "sha256_file", _denied)  # the table's read; the ranker's is store's
    with pytest.raises(RankerError, match=rf"{TRANSLATION_FILE}: cannot be read \(Permission denied\); let this"):
        LearnedRanker.load(tmp_path, retriever=None)


def test_ingest_s_ranker_hash_names_a_missing_table_before_the_index_is_built(tmp_path):
    folder = _ranker_folder(tmp_path, list(FEATURES), _shipped())
    (folder / TRANSLATION_FILE).unlink()
    with pytest.raises(RankerError, match=rf"{TRANSLATION_FILE}: missing beside {MODEL_FILE}"):
        ranker_sha256(tmp_path)
    assert ranker_sha256(tmp_path, used=False) == ""  # the ranker off: searches run without it


def test_the_shipped_ranker_loads_and_scores_one_row_per_candidate(tmp_path):
    _ranker_folder(tmp_path, list(FEATURES), _shipped())
    ranker = LearnedRanker.load(tmp_path, retriever=None)
    rows = np.random.default_rng(0).random((7, len(FEATURES)), dtype=np.float32)
    scores = ranker.predict(rows)
    assert scores.shape == (7,) and np.isfinite(scores).all() and len(set(scores.tolist())) > 1
    assert ranker_sha256(tmp_path) == ranker.sha256


def test_a_corrupt_ranker_is_named_with_the_rebuild_command(tmp_path):
    _ranker_folder(tmp_path, list(FEATURES), b"not an onnx model")
    with pytest.raises(RankerError, match=rf"{FOLDER}.*python -m training ranker"):
        LearnedRanker.load(tmp_path, retriever=None)


def test_a_ranker_fitted_on_other_features_is_refused(tmp_path):
    _ranker_folder(tmp_path, ["fused", "dense"], _shipped())
    with pytest.raises(RankerError, match=r"fitted on features \['fused', 'dense'\].*rebuild"):
        LearnedRanker.load(tmp_path, retriever=None)


def test_a_cut_off_ranker_is_refused_before_onnxruntime_reads_it(tmp_path):
    model = _shipped()
    _ranker_folder(tmp_path, list(FEATURES), model[:len(model) // 2], recorded=model)
    with pytest.raises(RankerError, match=rf"{MODEL_FILE}: sha256 \w+ does not match its record.*partial") as err:
        LearnedRanker.load(tmp_path, retriever=None)
    assert "restore the shipped files (git checkout" in str(err.value)  # committed: restored before refitted


@pytest.mark.parametrize("damage, why", [("missing", f"missing, though {RECORD_FILE} records it"),
                                         ("folder", "not a file")])
def test_a_ranker_file_gone_is_no_model_without_a_ranker(tmp_path, damage, why):
    """Searches ran without the ranker and said nothing; ingest recorded no ranker."""
    folder = _ranker_folder(tmp_path, list(FEATURES), _shipped())
    (folder / MODEL_FILE).unlink()
    if damage == "folder":
        (folder / MODEL_FILE).mkdir()
    for read in (lambda: LearnedRanker.load(tmp_path, retriever=None), lambda: ranker_sha256(tmp_path)):
        with pytest.raises(RankerError, match=rf"{MODEL_FILE}: {why}; restore the shipped files"):
            read()


def test_a_ranker_that_cannot_be_read_is_named_as_the_model_s(tmp_path, monkeypatch):
    """Ingest hashed it while writing the index, and said it could not write the index folder."""
    import retriever.ranker

    _ranker_folder(tmp_path, list(FEATURES), _shipped())
    monkeypatch.setattr(retriever.ranker, "sha256_file", _denied)
    with pytest.raises(RankerError, match=rf"{FOLDER}/{MODEL_FILE}: cannot be read \(Permission denied\)"):
        ranker_sha256(tmp_path)


def test_a_ranker_the_service_cannot_read_is_named_with_the_fix_that_helps(tmp_path, monkeypatch):
    """It was "ranker.json: not a ranker record ([Errno 13] ...); restore the shipped files":
    the record named, and a fix that changes nothing."""
    import retriever.store

    _ranker_folder(tmp_path, list(FEATURES), _shipped())
    monkeypatch.setattr(retriever.store, "sha256_file", _denied)
    with pytest.raises(RankerError, match=rf"{MODEL_FILE}: cannot be read \(Permission denied\); let this user read"):
        LearnedRanker.load(tmp_path, retriever=None)


def _denied(path):
    raise PermissionError(13, "Permission denied", str(path))


def test_a_record_without_a_hash_is_named(tmp_path):
    folder = _ranker_folder(tmp_path, list(FEATURES), _shipped())
    (folder / RECORD_FILE).write_text(json.dumps({"features": list(FEATURES)}), encoding="utf-8")
    with pytest.raises(RankerError, match=rf"{RECORD_FILE}: not a ranker record.*sha256"):
        LearnedRanker.load(tmp_path, retriever=None)


@pytest.mark.model
def test_a_retriever_with_its_ranker_is_freed_as_soon_as_it_is_dropped(seed_index, settings, embedder):
    """The ranker held its retriever and the retriever its ranker: a cycle that kept every
    index a reload replaced loaded, its files mapped, until the cyclic collector ran."""
    import gc
    import weakref

    from retriever.search import Retriever

    retriever = Retriever.load(seed_index, settings, embedder=embedder)
    assert retriever.reranker is not None and retriever.search(QUESTION).hits
    gone = weakref.ref(retriever)
    gc.disable()
    try:
        del retriever
        assert gone() is None
    finally:
        gc.enable()


@pytest.mark.model
def test_a_copy_of_a_retriever_ranks_after_the_original_is_gone(seed_index, settings, embedder):
    """The ranker's reference is weak, so a copy (other settings, another reranker) gets a
    ranker of its own: it held the original's and failed once that was freed."""
    import dataclasses

    from retriever.search import Retriever

    original = Retriever.load(seed_index, settings, embedder=embedder)
    ranker = original.reranker
    other = original.with_settings(dataclasses.replace(original.settings, candidates=30))
    again = original.with_reranker(ranker)
    del original
    assert other.search(QUESTION).hits and again.search(QUESTION).hits
