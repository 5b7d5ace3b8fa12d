"""Ingest end to end on the seed: needs the embedding model (session fixture)."""

import json
import re
import shutil
from pathlib import Path

import pytest

import ingest.indexing as indexing
from ingest.__main__ import main as ingest_main
from ingest.indexing import IngestError, build_index
from retriever import store
from retriever.search import Retriever
from retriever.text import embedding_text

pytestmark = pytest.mark.model


def test_seed_index_contents(seed_index: Path, embedder):
    manifest = json.loads((seed_index / "manifest.json").read_text())
    assert manifest["schema_version"] == store.SCHEMA_VERSION
    assert manifest["documents_count"] == 1 and manifest["dimension"] == embedder.dimension
    assert set(manifest["files"]) >= {"chunks.jsonl", "dense.faiss", "embeddings.npy", "sentences.npz"}
    chunks = store.read_chunks(seed_index)
    assert manifest["chunks_count"] == len(chunks) > 30
    for c in chunks:
        assert c.heading_path and c.section and c.text.strip()
        assert embedder.count_tokens(embedding_text(c.heading_path, c.text, c.title)) <= embedder.max_seq_length
        assert not re.search(r"\]\(|!\[|\[Enlarge\]", c.text)
    assert sum("clinical trial search" in c.text for c in chunks) == 1
    assert {"Hormone therapy", "Treatment of Neuroendocrine Tumors in the Rectum"} <= {c.section for c in chunks}


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


def test_an_empty_folder_or_a_plain_index_folder_is_published_over(seed_copy, seed_index, tmp_path, settings,
                                                                     embedder):
    """What `publish` may replace: a folder made by hand for the index, or an index of an
    older layout (not a link), which is kept as the previous version."""
    empty, plain = tmp_path / "empty", tmp_path / "plain"
    empty.mkdir()
    shutil.copytree(seed_index.resolve(), plain)
    for target in (empty, plain):
        report = build_index(seed_copy, target, settings, embedder=embedder, progress=False)
        assert target.is_symlink() and report.chunks == len(store.read_chunks(target))
    assert report.embedded == 0  # the plain index's vectors were read before it was moved aside
    [kept] = tmp_path.glob(".plain-vlegacy-*")
    assert (kept / "manifest.json").is_file()


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


def test_failed_ingest_keeps_previous_index_whole(seed_copy, tmp_path, settings, embedder, monkeypatch):
    index = tmp_path / "idx"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    before = {p.name: p.read_bytes() for p in index.iterdir() if p.is_file()}
    target = index.resolve()

    def boom(version, *args, **kwargs):
        (version / "chunks.jsonl").write_text("half written")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(indexing, "_write", boom)
    with pytest.raises(IngestError, match="No space left on device"):
        build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert index.resolve() == target
    assert {p.name: p.read_bytes() for p in index.iterdir() if p.is_file()} == before
    assert Retriever.load(index, settings, embedder=embedder).search("carcinoid syndrome").hits
    leftovers = [p for p in tmp_path.glob(".idx-v*") if p != target]
    assert leftovers == []


def test_empty_or_missing_source_folder_is_an_error(tmp_path, settings, embedder):
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError, match="no .md or .txt files"):
        build_index(tmp_path / "empty", tmp_path / "idx", settings, embedder=embedder)
    with pytest.raises(IngestError, match="does not exist"):
        build_index(tmp_path / "nope", tmp_path / "idx", settings, embedder=embedder)
    (tmp_path / "empty" / "a.md").write_text("---\ntitle: A\n---\nBody.\n")
    with pytest.raises(IngestError, match=r"a.md is a file: give the folder that holds the documents \(.*empty\)"):
        build_index(tmp_path / "empty" / "a.md", tmp_path / "idx", settings, embedder=embedder)
    assert not (tmp_path / "idx").exists()


def test_cli_skips_bad_files_names_them_and_exits_non_zero(seed_copy, tmp_path, capsys, monkeypatch, embedder):
    monkeypatch.setattr(indexing, "get_embedder", lambda *args: embedder)
    (seed_copy / "broken.md").write_text("---\ntitle: [oops\n---\nbody\n")
    code = ingest_main([str(seed_copy), "--index", str(tmp_path / "idx"), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "broken.md: malformed front matter" in err
    assert "1 file(s) could not be ingested (listed above); the other document was indexed" in err
    assert "indexed 1 document -> " in out and "chunks/s" in out
    assert Retriever.load(tmp_path / "idx", embedder=embedder).search("hormone therapy").hits

    code = ingest_main([str(seed_copy), "--index", str(tmp_path / "idx2"), "--strict", "--quiet"])
    assert code == 2
    assert "broken.md" in capsys.readouterr().err
    assert not (tmp_path / "idx2").exists()


def test_a_served_summary_whose_file_now_fails_is_not_dropped(seed_copy, tmp_path, capsys, monkeypatch, embedder):
    monkeypatch.setattr(indexing, "get_embedder", lambda *args: embedder)
    index = tmp_path / "idx"
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 0
    served = index.resolve()
    capsys.readouterr()
    (seed_copy / "new.md").write_text("---\ntitle: A new summary\n---\n# New\n\nIts text.\n")
    [seed] = [p for p in seed_copy.glob("*.md") if p.name != "new.md"]
    seed.write_text("---\ntitle: [oops\n---\nbody\n")  # the served summary's file, broken
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "1 file(s) of summaries the index serves now fail" in err and f"{seed.name}: malformed front matter" in err
    assert index.resolve() == served  # nothing published: the seed is still served
    seed.unlink()  # dropped on purpose: the new summary alone is published, and the drop said
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"no longer indexed (1, their files are not in the folder): {seed.stem}" in out
    assert "A service already running on this index serves the new one after a reload: SIGHUP, or POST" in out
    assert set(Retriever.load(index, embedder=embedder).manifest.documents) == {"new"}
    (seed_copy / "another.md").write_text("---\ntitle: [oops\n---\nbody\n")  # a new bad file: skipped
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 1
    assert set(Retriever.load(index, embedder=embedder).manifest.documents) == {"new"}


def test_a_copy_of_a_served_summary_sorted_first_does_not_take_its_place(seed_copy, tmp_path, capsys, monkeypatch,
                                                                        embedder):
    """The copy is read first; the served file is kept all the same and the copy skipped
    (exit 1), so the summary keeps its id and saved links and filters still find it. It had
    been indexed under the copy's id."""
    monkeypatch.setattr(indexing, "get_embedder", lambda *args: embedder)
    index = tmp_path / "idx"
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 0
    before = Retriever.load(index, embedder=embedder)
    [seed] = seed_copy.glob("*.md")
    (seed_copy / f"0-copy-{seed.name}").write_bytes(seed.read_bytes())
    capsys.readouterr()
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 1
    assert f"0-copy-{seed.name}: the same summary as {seed.name}" in capsys.readouterr().err
    after = Retriever.load(index, embedder=embedder)
    assert set(after.manifest.documents) == set(before.manifest.documents) == {seed.stem}
    assert [c.id for c in after.chunks] == [c.id for c in before.chunks]


def test_two_served_files_found_to_be_one_summary_stop_ingest(seed_copy, tmp_path, capsys, monkeypatch, embedder):
    """Both ids are served; indexing one file would drop the other's id: a stop, exit 2."""
    monkeypatch.setattr(indexing, "get_embedder", lambda *args: embedder)
    index = tmp_path / "idx"
    [seed] = seed_copy.glob("*.md")
    other = seed_copy / "other.md"
    text = seed.read_bytes()
    other.write_bytes(text.replace(b"\n# ", b"\n# Other ", 1).replace(b"www.cancer.gov", b"example.org", 1))
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 0
    served = index.resolve()
    other.write_bytes(text)  # now a copy of the seed: one summary in two served files
    capsys.readouterr()
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "of summaries the index serves now fail" in err and "the same summary as" in err
    assert index.resolve() == served


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


def test_unless_other_leaves_an_index_built_from_another_folder(seed_copy, tmp_path, capsys, monkeypatch,
                                                                embedder):
    """scripts/serve.sh indexes the seeds into ./index on every start: with ``--unless-other``
    an index built there from another folder is served as it is, not replaced by the seeds."""
    monkeypatch.setattr(indexing, "get_embedder", lambda *args: embedder)
    other, index = tmp_path / "other", tmp_path / "idx"
    other.mkdir()
    (other / "mine.md").write_text("---\ntitle: My summary\n---\n# Mine\n\nIts text about surgery.\n")
    assert ingest_main([str(other), "--index", str(index), "--quiet"]) == 0
    assert "after a reload" not in capsys.readouterr().out  # a first index: no service serves one yet
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet", "--unless-other"]) == 0
    out = capsys.readouterr().out
    assert f"serves 1 document(s) that {seed_copy} does not hold (mine.md): left as it is" in out
    assert f"python -m ingest {seed_copy} --index {index}" in out
    assert set(store.Manifest.read(index).documents) == {"mine"}
    # an index of the folder's own documents is indexed again (an edit is picked up)
    assert ingest_main([str(other), "--index", str(index), "--quiet", "--unless-other"]) == 0
    assert "indexed 1 document -> " in capsys.readouterr().out


def test_a_folder_that_cannot_be_read_and_holds_a_served_summary_stops_ingest(seed_copy, tmp_path, capsys,
                                                                             monkeypatch, embedder):
    """Exit 2 and the previous index kept, as for a served summary's file that cannot be read."""
    from tests.ingest.test_loading import refuse_to_list
    monkeypatch.setattr(indexing, "get_embedder", lambda *args: embedder)
    index, sub = tmp_path / "idx", seed_copy / "sub"
    sub.mkdir()
    (sub / "mine.md").write_text("---\ntitle: My summary\n---\n# Mine\n\nIts text about surgery.\n")
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 0
    served = index.resolve()
    capsys.readouterr()
    refuse_to_list(monkeypatch, sub)
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "summaries the index serves now fail" in err and "sub/: a folder that cannot be read" in err
    assert index.resolve() == served and "sub--mine" in store.Manifest.read(index).documents


def test_unless_other_leaves_an_index_it_cannot_read(tmp_path, capsys, seed_copy):
    """What it holds is unknown, so it is not replaced on a guess (nothing is embedded)."""
    index = tmp_path / "idx"
    index.mkdir()
    (index / "manifest.json").write_text("{not json")
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet", "--unless-other"]) == 0
    assert f"{index} serves an index whose manifest cannot be read: left as it is" in capsys.readouterr().out
    assert (index / "manifest.json").read_text() == "{not json"


def test_an_unreadable_folder_counts_for_every_served_summary_under_its_path():
    from ingest.indexing import _serves

    assert _serves(frozenset({"v2.0--mine"}), "v2.0/") and _serves(frozenset({"a--b--c"}), "a/b/")
    assert not _serves(frozenset({"sub"}), "sub/") and not _serves(frozenset({"subway--x"}), "sub/")
    assert _serves(frozenset({"sub"}), "sub.md") and not _serves(frozenset({"sub--x"}), "sub.md")


def test_a_source_folder_that_cannot_be_read_is_named(tmp_path, settings, monkeypatch):
    """It was reported as holding no .md or .txt files."""
    src = tmp_path / "docs"
    src.mkdir()
    monkeypatch.setattr(indexing.os, "access", lambda path, mode: Path(path) != src)
    with pytest.raises(IngestError, match=f"source folder {src} cannot be read"):
        build_index(src, tmp_path / "idx", settings)


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


def test_ctrl_c_while_tidying_after_the_swap_keeps_the_index_just_published(seed_copy, tmp_path, settings,
                                                                           embedder, monkeypatch):
    """A reviewer's finding: an interrupt in `prune_versions`, after the link was swapped,
    reached the handler that discards the new version: the link then pointed at nothing."""
    from ingest import publish as publishing

    index = tmp_path / "idx"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    (seed_copy / "new.md").write_text("---\ntitle: A new summary\n---\n# New\n\nIts text.\n", encoding="utf-8")

    def interrupted(*args):
        raise KeyboardInterrupt
    monkeypatch.setattr(publishing, "prune_versions", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    assert index.resolve().is_dir() and "new" in store.Manifest.read(index).documents  # published, whole
