"""What a re-ingest keeps from the index it replaces: vectors by text, only when sound and
run the same way; an unchanged index is not published again. Needs the embedding model."""

import json
from pathlib import Path

import pytest

import ingest.indexing as indexing
from ingest.__main__ import main as ingest_main
from ingest.indexing import build_index
from retriever import store
from retriever.search import Retriever

pytestmark = pytest.mark.model


def test_second_run_reuses_every_embedding(seed_copy, tmp_path, settings, embedder):
    index = tmp_path / "idx"
    first = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    again = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert first.embedded > 0
    assert again.embedded == 0 and again.reused_documents == 1


def test_damaged_vectors_are_embedded_again_not_copied(seed_copy, tmp_path, settings, embedder):
    """Reuse read embeddings.npy unchecked: vectors changed on disk were copied into the
    new index, whose manifest then vouched for them."""
    import numpy as np

    index = tmp_path / "idx"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    path = index.resolve() / store.EMBEDDINGS
    sound = np.load(path)
    path.unlink()
    np.save(path, -sound)  # a readable file of the right shape, but not the vectors embedded
    again = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert again.embedded > 0 and again.reused_documents == 0
    assert np.allclose(np.load(index.resolve() / store.EMBEDDINGS), sound, atol=1e-6)


def test_vectors_of_the_shipped_model_named_by_its_folder_are_reused(seed_copy, tmp_path, settings, embedder):
    """The shipped model's name and its folder's path are one model (`same_model`): an index
    built under the path keeps its vectors for an ingest under the name."""
    from retriever.embedding import resolve_model

    index = tmp_path / "idx"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    manifest = json.loads((index / "manifest.json").read_text())
    manifest["model"] = str(Path(resolve_model(manifest["model"])).resolve())
    (index.resolve() / "manifest.json").write_text(json.dumps(manifest))
    again = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert again.embedded == 0 and again.reused_documents == 1


def test_vectors_run_another_way_are_embedded_again(seed_copy, tmp_path, settings, embedder):
    """An index from before int8 ran one text at a time holds batch-run vectors: reusing them
    would mix the two kinds in one index, and serving it would compare questions run alone
    with passages run in batches."""
    index = tmp_path / "idx"
    first = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["encoder_runs"] == embedder.runs
    del manifest["encoder_runs"]  # as written before it was recorded
    (index.resolve() / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(store.IndexLoadError, match="its vectors were run as 'batches' but the onnx-int8 "
                                                   "encoder now runs 'one text a run'.*python -m ingest"):
        Retriever.load(index, settings, embedder=embedder)  # served as is, its passages would not match
    again = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert again.embedded == first.embedded > 0 and again.reused_documents == 0
    assert Retriever.load(index, settings, embedder=embedder).manifest.runs == "one text a run"


def test_changed_document_alone_is_re_embedded(seed_copy, tmp_path, settings, embedder):
    doc = next(seed_copy.glob("*.md"))
    (seed_copy / "small.md").write_text("---\ntitle: Small\nurl: https://example.org/s\n---\n"
                                        "# Small\n\n## Part\n\nA short passage about nothing else.\n")
    index = tmp_path / "idx"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    text = doc.read_text(encoding="utf-8").replace("Heartburn.", "Heartburn or indigestion.")
    doc.write_text(text, encoding="utf-8")
    report = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert report.reused_documents == 1  # small.md
    assert 0 < report.embedded <= 3  # the edited chunk and its edited sentence


def test_the_summary_says_what_reused_vectors_are():
    """A first ingest reuses the vectors of texts the documents repeat: "reused 22" alone
    read, on a fresh clone, as if an earlier index had been found."""
    line = indexing.BuildReport(documents=1, chunks=57, embedded=405, reused=22, seconds=4.0).summary()
    assert "embedded 405 texts, reused 22 vectors (texts the documents repeat)" in line
    assert "previous" not in line and "unchanged" not in line  # there was none: a fresh clone's first ingest
    again = indexing.BuildReport(documents=1, chunks=57, embedded=0, reused=427, reused_documents=1, seconds=1.0,
                                 replaced=True).summary()
    assert "reused 427 vectors (texts repeated in the documents or already in the previous index; " \
           "1 unchanged document)" in again


def test_an_unchanged_index_is_not_published_again(seed_copy, tmp_path, capsys, monkeypatch, embedder):
    """An operator's trial: every `scripts/serve.sh` start published a new version of the
    same seed and said a running service "serves the new one after a reload"; two such runs
    retired the version a service was reading."""
    monkeypatch.setattr(indexing, "get_embedder", lambda *args: embedder)
    index = tmp_path / "idx"
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 0
    served = index.resolve()
    capsys.readouterr()
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "nothing was published" in out and "after a reload" not in out
    assert index.resolve() == served and len(list(tmp_path.glob(".idx-v*"))) == 1
    (seed_copy / "new.md").write_text("---\ntitle: A new summary\n---\n# New\n\nIts text.\n", encoding="utf-8")
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 0
    assert index.resolve() != served and "after a reload" in capsys.readouterr().out


def test_a_damaged_published_index_is_rebuilt_even_when_nothing_else_changed(seed_copy, tmp_path, settings,
                                                                             embedder):
    """A reviewer's finding: a cut-off dense.faiss is named with "rebuild it with: python -m
    ingest ...", and that rebuild came out the same as the manifest said, so nothing was
    published and the broken index stayed."""
    index = tmp_path / "idx"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    served = index.resolve()
    (served / store.DENSE).write_bytes((served / store.DENSE).read_bytes()[:100])
    again = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert not again.unchanged and index.resolve() != served
    store.verify_files(index, store.Manifest.read(index))
    # an operator's trial: the damaged version became the one to roll back to, without a word
    assert again.damaged == f"file {store.DENSE} is corrupted (checksum differs from {store.MANIFEST})"
    assert f"the index served before is damaged ({again.damaged})" in again.summary()
    sound = build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert sound.damaged == "" and "damaged" not in sound.summary()
