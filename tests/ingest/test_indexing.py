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


def test_a_ranker_it_cannot_read_is_named_and_the_index_kept(seed_copy, tmp_path, capsys, monkeypatch, embedder,
                                                             settings):
    """The ranker's hash was read while the index was written, and its PermissionError said
    "could not write the index under ..." of a folder that was writable."""
    import retriever.ranker

    index = tmp_path / "idx"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    target = index.resolve()
    monkeypatch.setattr(indexing, "get_embedder", lambda *args: embedder)

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(retriever.ranker, "sha256_file", denied)
    assert ingest_main([str(seed_copy), "--index", str(index), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "ranker/ranker.onnx: cannot be read (Permission denied); let this user read it" in err
    assert "could not write the index" not in err
    assert index.resolve() == target and "Traceback" not in err
    # with the ranker off, as searches, ingest needs it no more than they do
    off = build_index(seed_copy, index, settings.model_copy(update={"ranker": False}), embedder=embedder,
                      progress=False)
    assert off.documents == 1 and not off.errors


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
    # again, with nothing else changed: nothing is published, and it is not said to be indexed
    assert ingest_main([str(seed_copy), "--index", str(tmp_path / "idx"), "--quiet"]) == 1
    assert "the other document is served as it was" in capsys.readouterr().err

    code = ingest_main([str(seed_copy), "--index", str(tmp_path / "idx2"), "--strict", "--quiet"])
    assert code == 2
    err = capsys.readouterr().err  # a new folder had no previous index to keep
    assert "broken.md" in err and f"no index written to {tmp_path / 'idx2'}" in err and "previous" not in err
    assert not (tmp_path / "idx2").exists()
    assert ingest_main([str(seed_copy), "--index", str(tmp_path / "idx"), "--strict", "--quiet"]) == 2
    assert "(--strict: nothing indexed, previous index kept)" in capsys.readouterr().err


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
