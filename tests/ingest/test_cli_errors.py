"""``python -m ingest`` on a folder with nothing valid names every bad file and its problem.

No model is loaded: ingest gives up before embedding when no document is valid.
"""

from __future__ import annotations

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
    assert "no valid documents" in err
    assert "only.md: missing front-matter field 'title'" in err
    assert "sub/latin1.txt: not UTF-8 text" in err
    assert not (tmp_path / "index").exists()


def test_the_error_carries_the_bad_files(tmp_path):
    src = _broken_folder(tmp_path)
    with pytest.raises(IngestError) as info:
        build_index(src, tmp_path / "index", Settings(), progress=False)
    assert sorted(e.source for e in info.value.errors) == ["only.md", "sub/latin1.txt"]
