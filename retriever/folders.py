"""What a folder named as an index holds: this program's index, a damaged one, or something
else that neither the service nor ingest may take for one (`store` reads the index itself)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from retriever.store import CHUNKS, DENSE, DOCUMENT_SUFFIXES, MANIFEST, TEXT_KEYS, IndexLoadError


def holds_index(folder: Path) -> bool:
    """Whether ``folder`` holds an index of this program, of any schema version: its manifest
    names a schema and a model. A web app's or a data set's manifest.json does not."""
    try:
        raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(raw, dict) and "schema_version" in raw and "model" in raw


def damaged_index(folder: Path) -> bool:
    """Whether ``folder`` holds this program's index files beside a manifest that names no
    schema and model (cut off, emptied or edited): an index to rebuild, not a stranger's
    folder. Told apart, "holds no index" sent an operator who had truncated a manifest away."""
    try:
        return ((folder / MANIFEST).is_file() and not holds_index(folder)
                and all((folder / name).is_file() for name in (CHUNKS, DENSE, TEXT_KEYS)))
    except OSError:
        return False


def not_an_index(index_dir: Path) -> IndexLoadError | None:
    """The error for a folder named as an index that holds something else, or None.

    Ingest rebuilds an index where one was published (a link to its version) or into an
    empty folder, but refuses to replace a folder of anything else, so the usual fix (ingest
    into the same folder) would fail there: a folder of documents only (served where its
    index was meant) is told to be indexed into a folder of its own, any other to be left alone.
    """
    try:
        if index_dir.is_file():  # "rebuild it there" would be refused by ingest too
            return IndexLoadError(index_dir, "is a file, not an index folder",
                                  "name the folder an index was built into (such as index or corpus-index)")
        if index_dir.is_symlink() or not index_dir.is_dir() or holds_index(index_dir):
            return None
        entries = list(index_dir.iterdir())
        files = [p for p in entries if p.is_file() and not p.name.startswith(".")]
    except OSError:
        return None  # the manifest read names it
    if not entries:
        return None  # an empty folder: ingest builds there
    if damaged_index(index_dir):
        return IndexLoadError(index_dir, f"holds an index whose {MANIFEST} is damaged (cut off or edited: it "
                                         "names no schema and model)",
                              f"rebuild it: python -m ingest SOURCE_FOLDER --index {index_dir}")
    documents = [p for p in files if p.suffix.lower() in DOCUMENT_SUFFIXES]
    if documents and len(documents) == len(files):
        full = index_dir.resolve()  # "." has no name of its own
        own = full.with_name(full.name + "-index")
        own = own if index_dir.is_absolute() else os.path.relpath(own)  # named as the folder was
        noun = "files" if len(documents) > 1 else "file"
        return IndexLoadError(index_dir, f"holds documents ({len(documents)} {noun} to index), not an index",
                              f"index them into a folder of their own: python -m ingest {index_dir} --index {own}, "
                              "and serve that folder")
    return IndexLoadError(index_dir, f"holds no index (no {MANIFEST} that ingest wrote)",
                          "build one in a new folder: python -m ingest SOURCE_FOLDER --index NEW_FOLDER, and "
                          "serve that folder")
