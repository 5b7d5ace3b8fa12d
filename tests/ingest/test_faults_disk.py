"""Faults, for real: a full disk (``RLIMIT_FSIZE`` with SIGXFSZ ignored, so writes fail with
EFBIG) makes ingest exit non-zero with one clean line, keeping the old index and no partial
folder. The seed index of the session is copied, never touched."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from retriever import store
from retriever.search import Retriever
from tests.conftest import ROOT, SEEDS
from tests.ingest.faults import assert_clean_error, digests, env, publish_copy, versions

pytestmark = [pytest.mark.fault, pytest.mark.model]


# -- (c) full disk during ingest --------------------------------------------------------------

def _limit_file_size(limit: int):
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def _size(index: Path, rel: str) -> int:
    return (index.resolve() / rel).stat().st_size


# name -> (extra ingest arguments, limit from the seed index's file sizes)
FULL_DISK = {
    # the first file written, chunks.jsonl, is cut off
    "at chunks.jsonl": ([], lambda idx: _size(idx, store.CHUNKS) // 2),
    # everything up to the FAISS index fits; sentences.npz (the largest) does not
    "at sentences.npz": ([], lambda idx: max(_size(idx, f) for f in (
        store.CHUNKS, store.EMBEDDINGS, store.DENSE, store.TEXT_KEYS)) + 1024),
    # an HNSW graph is larger than the embeddings written before it, so the FAISS index is
    # the file cut off (FAISS's own writer raised RuntimeError, a traceback, on a failed write)
    "at dense.faiss (hnsw)": (["--faiss-index", "hnsw"], lambda idx: _size(idx, store.EMBEDDINGS) + 512),
}


@pytest.fixture(scope="module")
def full_disk_runs(seed_index, tmp_path_factory):
    """Each case on its own copy (the ingest lock is per index), run side by side."""
    base = tmp_path_factory.mktemp("fulldisk")
    runs = {}
    for n, (name, (args, limit_of)) in enumerate(FULL_DISK.items()):
        parent = base / f"case{n}"
        link = publish_copy(seed_index, parent)
        limit = limit_of(link)
        before = digests(link)
        # Unchanged seeds: every vector is reused, so the run goes quickly to writing.
        proc = subprocess.Popen([sys.executable, "-m", "ingest", str(SEEDS), "--index", str(link),
                                 "--quiet", *args], cwd=ROOT, env=env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, preexec_fn=_limit_file_size(limit))
        runs[name] = (proc, parent, link, before)
    results = {}
    for name, (proc, parent, link, before) in runs.items():
        out, err = proc.communicate(timeout=300)
        results[name] = (proc.returncode, out, err, parent, link, before)
    return results


@pytest.mark.parametrize("case", list(FULL_DISK))
def test_full_disk_during_ingest_fails_cleanly(full_disk_runs, settings, embedder, case):
    rc, out, err, parent, link, before = full_disk_runs[case]
    # the previous index first: it must survive whatever the message looks like
    assert os.readlink(link) == ".index-v0"
    assert digests(link) == before
    assert Retriever.load(link, settings, embedder=embedder).search("carcinoid syndrome").hits
    assert versions(parent) == {".index-v0"}, "a partial version folder was left behind"
    assert not list(parent.glob(".index.link-*"))
    assert rc not in (0, None), (rc, err)
    assert_clean_error(err, "File too large", "previous index kept")
