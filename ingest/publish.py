"""Publish a finished index atomically, and keep two ingests from writing at once.

``INDEX_DIR`` is a symbolic link to a versioned sibling folder (``.NAME-v<stamp>``). A new
index is written into a fresh version folder and the link is replaced with ``rename(2)``,
which is atomic: a reader sees the old index or the new one, never a mix, and an ingest
killed at any point leaves the old link (and the old index) untouched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

from retriever import store
from retriever.folders import damaged_index, holds_index
from retriever.store import MANIFEST


class IngestLockedError(RuntimeError):
    pass


def version_prefix(index_dir: Path) -> str:
    return f".{index_dir.name}-v"


def new_version_dir(index_dir: Path) -> Path:
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    path = index_dir.parent / f"{version_prefix(index_dir)}{stamp}"
    path.mkdir()
    return path


@contextmanager
def ingest_lock(index_dir: Path):
    """An exclusive lock per index, released even when the process is killed."""
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = index_dir.parent / f".{index_dir.name}.lock"
    with open(lock_path, "w") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestLockedError(f"another ingest is writing {index_dir} "
                                    f"(lock {lock_path}); wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def target_problem(index_dir: Path) -> str | None:
    """Why ingest must not publish at ``index_dir``, or None.

    Publishing turns ``index_dir`` into a link and, two ingests later, removes what stood
    there. That is right for an index (a plain one from an older layout is kept as the
    previous version until then) and for an empty folder, never for a folder of anything
    else: a mistyped ``--index``, or the documents' own folder, was moved aside and later
    deleted without a word (a link of the operator's own to another index: `foreign_link`).
    """
    if index_dir.is_symlink() or not index_dir.exists():
        parent = next((p for p in index_dir.absolute().parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            return f"--index {index_dir}: {parent} is a file, not a folder; name a folder for the index"
        return None
    if not index_dir.is_dir():
        return f"--index {index_dir} is a file, not an index folder; name a new folder for the index"
    try:
        ours = holds_index(index_dir) or damaged_index(index_dir) or not any(index_dir.iterdir())
    except OSError as exc:
        return f"--index {index_dir} cannot be read ({exc.strerror or exc})"
    if ours:
        return None
    return (f"--index {index_dir} is a folder that holds no index (no {MANIFEST} that ingest wrote) and "
            "ingest replaces the folder it publishes to; name a new folder, or an index, for --index "
            "(nothing was changed)")


def foreign_link(index_dir: Path) -> str | None:
    """Why ingest must not publish through ``index_dir``, a link of the operator's own to
    another index ("current -> docs-index"), or None: the link was pointed at the new version,
    and the index it named kept its old one, which a service reloading it still served (an
    operator's trial). Read just before publishing: an ingest that finds the index unchanged
    publishes nothing, and `scripts/serve.sh` starts on such a link as before (a review)."""
    if not index_dir.is_symlink() or (target := Path(os.readlink(index_dir))).name.startswith(
            version_prefix(index_dir)):
        return None
    itself = Path(os.path.normpath(index_dir.parent / target))
    if itself.name.startswith(".") or not itself.is_dir():  # another index's version, or nothing
        fix = "point the link at an index folder, or name that index with --index"
    else:
        fix = f"name the index itself (--index {itself})"
    return (f"--index {index_dir} is a link to {target}, not to a version ingest published for it: "
            f"publishing would point the link elsewhere; {fix}")


def publish(version_dir: Path, index_dir: Path) -> None:
    """Point ``index_dir`` at ``version_dir`` in one atomic step, then tidy old versions.

    A plain folder already at ``index_dir`` (made by hand or by an older layout) is first
    moved aside as a version of its own, so it too is kept until the swap has happened.
    """
    if index_dir.exists() and not index_dir.is_symlink():
        legacy = index_dir.parent / f"{version_prefix(index_dir)}legacy-{time.time_ns()}"
        os.rename(index_dir, legacy)
        os.symlink(legacy.name, index_dir)
    # by name: a link written with an absolute path must still keep its version from pruning
    previous = Path(os.readlink(index_dir)).name if index_dir.is_symlink() else None
    tmp_link = index_dir.parent / f".{index_dir.name}.link-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    os.symlink(version_dir.name, tmp_link)
    os.replace(tmp_link, index_dir)
    # Published from here on: what follows only tidies, and a failure of it must not read as
    # a failed ingest (whose handler discards the version, here the one now served).
    try:
        _fsync_dir(index_dir.parent)
    except OSError:
        pass  # the link is in place; only its surviving a power cut right now is less sure
    prune_versions(index_dir, {version_dir.name, previous})


def prune_versions(index_dir: Path, keep: set) -> None:
    """Remove version folders that are neither current nor the one before (a reload may still read it)."""
    prefix = version_prefix(index_dir)
    for path in index_dir.parent.glob(prefix + "*"):
        if path.name not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def discard(version_dir: Path, index_dir: Path | None = None) -> None:
    """Remove an unpublished version; never the one ``index_dir`` links to (an ingest stopped
    by Ctrl-C while tidying after its swap deleted the index it had just published)."""
    if index_dir is not None and index_dir.is_symlink() and Path(os.readlink(index_dir)).name == version_dir.name:
        return
    shutil.rmtree(version_dir, ignore_errors=True)


# What reading a published index's manifest or files may raise when it is missing, cut off or
# of another version: ingest then treats the index as one it cannot read.
UNREADABLE = (store.IndexLoadError, OSError, ValueError, KeyError, TypeError)


def sources_elsewhere(index_dir: Path, src_dir: Path) -> list[str] | None:
    """The source files of the published index's documents that ``src_dir`` does not hold:
    an index built from another folder, which indexing ``src_dir`` would replace. None for
    an index whose manifest cannot be read: what it holds is unknown, so it is not replaced
    on a guess."""
    if not index_dir.is_dir() or not any(index_dir.iterdir()):  # nothing there yet: nothing to keep
        return []
    try:
        documents = store.Manifest.read(index_dir).documents
    except UNREADABLE:
        return None
    return sorted(d.source for d in documents.values() if not (src_dir / d.source).is_file())


def served_ids(index_dir: Path) -> frozenset[str]:
    """The document ids the published index serves (none: no index yet, or one that cannot be
    read): the ids that saved links and filters use, which a re-ingest must keep."""
    try:
        return frozenset(store.Manifest.read(index_dir).documents)
    except UNREADABLE:
        return frozenset()


def kept(index_dir: Path) -> str:
    """What a failed ingest says of ``index_dir``: the index it serves is kept, or, where it
    serves none yet, that none was written ("previous index kept" misled for a new folder)."""
    return "previous index kept" if served_ids(Path(index_dir)) else f"no index written to {index_dir}"
