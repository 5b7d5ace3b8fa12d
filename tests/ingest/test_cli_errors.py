"""``python -m ingest`` on a folder with nothing valid names every bad file and its problem.

No model is loaded: ingest gives up before embedding when no document is valid.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingest.__main__ import main
from ingest.indexing import IngestError, build_index
from retriever.settings import Settings


def _broken_folder(tmp_path: Path) -> Path:
    src = tmp_path / "docs"
    (src / "sub").mkdir(parents=True)
    (src / "only.md").write_bytes(b"---\nurl: https://example.org\n---\n# H\n\nBody.\n")
    (src / "sub" / "latin1.txt").write_bytes(b"---\ntitle: T\n---\n# H\n\ncaf\xe9\n")
    return src


def test_cli_names_each_bad_file_and_why(tmp_path, capsys):
    src = _broken_folder(tmp_path)
    assert main([str(src), "--index", str(tmp_path / "index"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"no valid documents in {src}; nothing indexed, no index written to {tmp_path / 'index'}" in err
    assert "only.md: missing front-matter field 'title'" in err
    assert "sub/latin1.txt: not UTF-8 text" in err
    assert not (tmp_path / "index").exists()


def test_the_error_carries_the_bad_files(tmp_path):
    src = _broken_folder(tmp_path)
    with pytest.raises(IngestError) as info:
        build_index(src, tmp_path / "index", Settings(), progress=False)
    assert sorted(e.source for e in info.value.errors) == ["only.md", "sub/latin1.txt"]


def test_a_folder_that_holds_no_index_is_never_published_over(tmp_path, capsys):
    """It was moved aside and, two ingests later, deleted: a mistyped --index lost its files."""
    src = tmp_path / "docs"  # a valid document: refused before any model is loaded
    src.mkdir()
    (src / "note.md").write_text("---\ntitle: T\n---\n# H\n\nA body.\n", encoding="utf-8")
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "important.txt").write_text("keep me", encoding="utf-8")
    for target in (notes, src):  # another folder, or the documents' own
        assert main([str(src), "--index", str(target), "--quiet"]) == 2
        err = capsys.readouterr().err
        assert f"--index {target} is a folder that holds no index (no manifest.json that ingest wrote)" in err
        assert target.is_dir() and not target.is_symlink()
    assert (notes / "important.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "notes"]  # nothing moved aside


def test_a_file_named_as_the_index_is_refused(tmp_path, capsys):
    src, target = _broken_folder(tmp_path), tmp_path / "index.txt"
    target.write_text("not an index", encoding="utf-8")
    assert main([str(src), "--index", str(target), "--quiet"]) == 2
    assert f"--index {target} is a file, not an index folder" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "not an index"


def test_a_folder_whose_manifest_json_is_someone_elses_is_no_index(tmp_path, capsys):
    """A web app's manifest.json made the folder look like an index; it was then deleted."""
    src = _broken_folder(tmp_path)
    app = tmp_path / "webapp"
    app.mkdir()
    (app / "manifest.json").write_text('{"name": "My app", "start_url": "/"}', encoding="utf-8")
    (app / "index.html").write_text("<html></html>", encoding="utf-8")
    assert main([str(src), "--index", str(app), "--quiet"]) == 2
    assert f"--index {app} is a folder that holds no index" in capsys.readouterr().err
    assert (app / "index.html").is_file() and not app.is_symlink()


def test_an_index_under_a_file_is_refused_before_anything_is_read(tmp_path, capsys):
    src, afile = _broken_folder(tmp_path), tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    assert main([str(src), "--index", str(afile / "index"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"--index {afile / 'index'}: {afile} is a file, not a folder" in err and "Traceback" not in err


@pytest.mark.parametrize("raised, said, code", [
    (PermissionError(13, "Permission denied", "/srv/pdq/.index.lock"),
     "error: /srv/pdq/.index.lock: Permission denied; nothing was published", 2),
    (OSError(28, "No space left on device"), "No space left on device; nothing was published", 2),
    (KeyboardInterrupt(), "interrupted: the index served is whole", 130),
])
def test_a_folder_it_may_not_write_or_an_interrupt_is_one_line_not_a_traceback(
        tmp_path, capsys, monkeypatch, raised, said, code):
    """An operator's trial: an index folder without write permission ended in Python's
    PermissionError traceback (exit 1, as for skipped files), Ctrl-C in onnxruntime's."""
    import ingest.__main__ as cli

    def stopped(*args, **kwargs):
        raise raised
    monkeypatch.setattr(cli, "build_index", stopped)
    assert main([str(_broken_folder(tmp_path)), "--index", str(tmp_path / "index"), "--quiet"]) == code
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_a_bad_flag_is_named_as_typed_and_a_bad_variable_as_set(tmp_path, capsys, monkeypatch):
    """`--model nonsense` was reported as "PDQ_MODEL='nonsense'", a variable the user never set,
    and, with a good PDQ_MODEL in .env, as coming from .env."""
    seeds = Path("seeds").resolve()
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("PDQ_MODEL=pdq-minilm-l6\n", encoding="utf-8")
    assert main([str(seeds), "--index", str(tmp_path / "idx"), "--model", "nonsense"]) == 2
    assert "error: invalid setting: --model (PDQ_MODEL)='nonsense': no model of that name" in capsys.readouterr().err
    (tmp_path / ".env").unlink()
    monkeypatch.setenv("PDQ_MODEL", "nonsense")
    assert main([str(seeds), "--index", str(tmp_path / "idx")]) == 2
    assert "error: invalid setting: PDQ_MODEL='nonsense': no model of that name" in capsys.readouterr().err
    assert not (tmp_path / "idx").exists()


def test_a_file_far_larger_than_a_summary_is_noted_before_the_long_ingest(tmp_path):
    """An operator's trial: a 30 MB file took 9 minutes with no word of it first."""
    from ingest.__main__ import LARGE_FILE_BYTES, large_files

    (tmp_path / "small.md").write_text("---\ntitle: t\n---\nbody\n", encoding="utf-8")
    (tmp_path / "big.md").write_bytes(b"x" * (LARGE_FILE_BYTES + 1))
    [note] = large_files(tmp_path)
    assert note.startswith(f"note: {tmp_path / 'big.md'} is 1.0 MB, far larger than a PDQ summary; it is indexed")
    assert large_files(tmp_path / "small.md") == []
    (tmp_path / "blob.md").write_bytes(b"\xff\xfe" + b"x" * LARGE_FILE_BYTES)  # skipped as not UTF-8: no "is indexed"
    assert [n for n in large_files(tmp_path) if "blob.md" in n] == []


def test_an_empty_source_is_refused_not_read_as_the_working_folder(capsys):
    """An operator's trial: an unset "$DOCS" indexed the whole repository for 20 minutes."""
    for src in ("", "  "):
        with pytest.raises(SystemExit) as stop:
            main([src, "--index", "idx"])
        assert stop.value.code == 2
        assert "argument src: it is empty; name the folder of summaries to index" in capsys.readouterr().err


@pytest.mark.model
def test_a_link_to_another_index_is_published_through_only_when_nothing_changed(tmp_path, settings, embedder):
    """An operator's trial: "alias -> scratch-index" was re-pointed at the new version, and
    scratch-index, which the service read, kept its old one. A review: `scripts/serve.sh` on
    such a link, with nothing to publish, must still start."""
    from tests.conftest import SEEDS

    real, alias = tmp_path / "scratch-index", tmp_path / "alias"
    build_index(SEEDS, real, settings, embedder=embedder, progress=False)
    alias.symlink_to("scratch-index")
    assert build_index(SEEDS, alias, settings, embedder=embedder, progress=False).unchanged
    served = os.readlink(real)
    docs = tmp_path / "docs"
    shutil.copytree(SEEDS, docs)
    (docs / "extra.md").write_text("---\ntitle: Extra\n---\n# Extra\n\nA note on follow-up visits.\n",
                                   encoding="utf-8")
    with pytest.raises(IngestError, match=rf"--index {alias} is a link to scratch-index, not to a version ingest "
                                          rf"published for it: .*name the index itself \(--index {real}\); "
                                          rf"nothing was published, previous index kept"):
        build_index(docs, alias, settings, embedder=embedder, progress=False)
    assert os.readlink(alias) == "scratch-index" and os.readlink(real) == served
    assert not any(p.name.startswith(".alias-v") for p in tmp_path.iterdir())  # no version left behind
