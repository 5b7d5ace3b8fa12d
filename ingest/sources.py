"""Find the source files under a folder and read one, naming each problem by its path.

A file or folder that is there but cannot be read is listed and reported, never passed
over: passed over, a summary the index serves would silently drop out of it.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from retriever.store import DOCUMENT_SUFFIXES

SUFFIXES = DOCUMENT_SUFFIXES


class DocumentError(ValueError):
    """A source file that cannot be ingested, and why."""

    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


def find_sources(src_dir: Path) -> list[Path]:
    """All ``.md``/``.txt`` files under ``src_dir``, in a stable order, hidden ones aside. A
    link to a file that is not there is listed too, and so is a folder that cannot be read,
    so that each is reported rather than passed over. A link to a folder is followed (an
    operator's trial linked NCI's summaries and their own into one folder, and 173 files were
    dropped without a word); a folder reached a second time, by a link back up or a second
    link to it, is read once, under its own path when it has one outside links (the folders
    of each level are walked in name order, those that are no link first), so that adding a
    link to it changes no document's id."""
    found: list[Path] = []
    unreadable: list[Path] = []
    walked: set[str] = set()
    for root, dirs, names in os.walk(src_dir, onerror=lambda exc: unreadable.append(Path(exc.filename)),
                                     followlinks=True):
        if (real := os.path.realpath(root)) in walked:
            dirs[:] = []
            continue
        walked.add(real)
        dirs[:] = sorted((d for d in dirs if not d.startswith(".")), key=lambda d: (os.path.islink(Path(root) / d), d))
        for path in (Path(root) / n for n in names if not n.startswith(".")):
            if path.suffix.lower() in SUFFIXES and (path.is_file() or (path.is_symlink() and not path.exists())):
                found.append(path)
    return sorted(found + [d for d in unreadable if d != Path(src_dir)])


def doc_id_for(source: str) -> str:
    """The document id: its path without suffix, folders joined by ``--``."""
    return str(Path(source).with_suffix("")).replace("/", "--")


def id_prefix(folder: str) -> str:
    """How the id of every file under ``folder`` (``"a/b/"``, as `find_sources` lists it) starts: "a--b--"."""
    return folder.rstrip("/").replace("/", "--") + "--"


def read_source(path: Path, source: str) -> bytes:
    """A file's bytes; `DocumentError` for a file or folder (``find_sources``) that cannot be read."""
    if path.is_dir():
        try:
            os.listdir(path)
        except OSError as exc:
            raise DocumentError(source, f"a folder that cannot be read ({exc.strerror or exc}): none of its "
                                        f"files was read") from None
    try:
        return path.read_bytes()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DocumentError(source, "a link that leads back to itself") from None
        if path.is_symlink() and not path.exists():
            raise DocumentError(source, f"a link to {os.path.realpath(path)}, which does not exist") from None
        raise DocumentError(source, f"cannot be read ({exc.strerror or exc})") from None
