"""Faults, for real: a killed ingest and corrupted index files (a full disk:
``test_faults_disk.py``).

* ``python -m ingest`` is SIGKILLed at four points (while importing, while the model
  loads, while it embeds, while it writes the new version folder); after each kill the
  published index is still the old one, byte for byte, and loads; a later ingest succeeds
  (the lock died with the process) and tidies the half-written folders away.
* ``python -m service`` refuses a damaged index at start-up, before binding its port: a
  non-zero exit within seconds, one ``error:`` line naming the file (or the model) and the
  command that rebuilds the index, no traceback.

Processes run from the repository root with the test interpreter; the seed index of the
session is copied, never touched.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from eval.bench.server import free_port
from retriever import store
from retriever.search import Retriever
from tests.conftest import ROOT, SEEDS
from tests.ingest.faults import FIX_COMMAND, assert_clean_error, digests, env, publish_copy, versions

pytestmark = [pytest.mark.fault, pytest.mark.model]


# -- (a) SIGKILL during ingest ---------------------------------------------------------------

def extra_document(path: Path, paragraphs: int = 30, seed: int = 7) -> None:
    """A new document of seed-like sentences: new text, so ingest has something to embed."""
    vocab = sorted({w.strip(".,;:()").lower() for w in SEEDS.joinpath(
        next(p.name for p in SEEDS.glob("*.md"))).read_text(encoding="utf-8").split()
        if w.isalpha() and len(w) > 3})
    rng = random.Random(seed)
    body = ["# Fault drill document", "", "## Made-up section", ""]
    for n in range(paragraphs):
        if n % 8 == 0:
            body += [f"## Part {n // 8}", ""]
        sentences = [" ".join(rng.choice(vocab) for _ in range(rng.randint(6, 14))).capitalize() + "."
                     for _ in range(4)]
        body += [f"Drill{n} " + " ".join(sentences), ""]
    path.write_text("---\ntitle: Fault drill\nurl: https://example.org/drill\n---\n" + "\n".join(body),
                    encoding="utf-8")


class Ingest:
    """``python -m ingest`` in the background, its stderr collected as it comes."""

    def __init__(self, src: Path, index: Path, quiet: bool = False):
        cmd = [sys.executable, "-m", "ingest", str(src), "--index", str(index)] + (["--quiet"] if quiet else [])
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, errors="replace")
        self.err: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            chunk = self.proc.stderr.read(1)
            if not chunk:
                return
            self.err.append(chunk)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        rc = self.proc.wait(timeout=30)
        self._reader.join(timeout=5)
        return rc


def after_marker(marker: str, delay: float, next_phase):
    """A kill trigger: ``delay`` seconds after ``marker`` shows on the ingest's stderr.

    It also fires at the next phase's sign, should a library stop printing its progress.
    """
    seen = 0.0

    def trigger(run: Ingest) -> bool:
        nonlocal seen
        if next_phase(run):
            return True
        if marker not in run.stderr:
            return False
        seen = seen or time.monotonic()
        return time.monotonic() - seen >= delay
    return trigger


def test_sigkill_at_any_point_leaves_the_previous_index_serving(seed_index, seed_copy, tmp_path,
                                                                settings, embedder):
    rng = random.Random(20240611)
    extra_document(seed_copy / "fault-drill.md")
    link = publish_copy(seed_index, tmp_path)
    parent = tmp_path
    before = digests(link)
    chunks_before = json.loads((link / store.MANIFEST).read_text())["chunks_count"]

    # Each trigger sees the running ingest and says when to kill it.
    def after_start(run: Ingest) -> bool:
        return run.elapsed() >= after_start.delay
    after_start.delay = rng.uniform(0.3, 1.0)

    def writing(run: Ingest) -> bool:
        return bool(versions(parent) - {".index-v0"} - writing.known)
    writing.known = set()

    model_loading = after_marker("Loading weights", rng.uniform(0.0, 0.2),
                                 next_phase=lambda run: "embedding:" in run.stderr)
    embedding = after_marker("embedding:", rng.uniform(0.2, 0.8), next_phase=writing)

    phases = [("importing", after_start), ("loading the model", model_loading),
              ("embedding", embedding), ("writing", writing)]
    outcomes = []
    for name, trigger in phases:
        writing.known = versions(parent) - {".index-v0"}  # left by earlier kills
        run = Ingest(seed_copy, link)
        deadline = time.monotonic() + 120
        while not trigger(run):
            assert run.proc.poll() is None, (f"ingest ended before the kill point ({name}): "
                                             f"rc={run.proc.returncode}\n{run.stderr}")
            assert time.monotonic() < deadline, f"never reached {name}:\n{run.stderr}"
            # embedding ends in writing, which can finish within a coarser poll
            time.sleep(0.001 if name in ("embedding", "writing") else 0.02)
        at = run.elapsed()
        rc = run.kill()
        assert rc == -signal.SIGKILL, (name, rc, run.stderr)
        outcomes.append((name, round(at, 2)))
        if name == "writing":  # the kill did land mid-write: a half-made folder is left
            assert versions(parent) - {".index-v0"} - writing.known, outcomes

        assert os.readlink(link) == ".index-v0", (name, at)
        assert digests(link) == before, f"index changed by an ingest killed while {name}"
        r = Retriever.load(link, settings, embedder=embedder)
        assert len(r.chunks) == chunks_before
        assert r.search("carcinoid syndrome", k=3).hits

    print("killed at", outcomes)
    # The killed runs held the lock; it went with them. A full run now publishes the new
    # corpus and prunes the half-written folders (keeping the previous version).
    run = subprocess.run([sys.executable, "-m", "ingest", str(seed_copy), "--index", str(link), "--quiet"],
                         cwd=ROOT, env=env(), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, (outcomes, run.stderr)
    new = os.readlink(link)
    assert new != ".index-v0"
    assert versions(parent) == {new, ".index-v0"}, outcomes
    r = Retriever.load(link, settings, embedder=embedder)
    assert "fault-drill" in r.manifest.documents
    assert any(c.text.startswith("Drill0 ") for c in r.chunks)


# -- (b) start-up refuses a damaged index ----------------------------------------------------

def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _scribble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid:mid + 16] = b"\x00{not json at all"[:16]
    path.write_bytes(bytes(data))


def _rehash(index: Path, rel: str) -> None:
    """Make the manifest agree with a damaged file (as if it had been written damaged)."""
    manifest = json.loads((index / store.MANIFEST).read_text())
    manifest["files"][rel] = store.sha256_file(index / rel)
    (index / store.MANIFEST).write_text(json.dumps(manifest))


def _other_model(index: Path) -> None:
    manifest = json.loads((index / store.MANIFEST).read_text())
    manifest["model"] = "sentence-transformers/all-mpnet-base-v2"
    (index / store.MANIFEST).write_text(json.dumps(manifest))


# name -> (damage, words the error line must hold)
DAMAGE = {
    "truncated dense.faiss": (lambda d: _truncate(d / store.DENSE), [store.DENSE, "corrupted"]),
    "corrupted chunks.jsonl": (lambda d: _scribble(d / store.CHUNKS), [store.CHUNKS, "corrupted"]),
    "manifest names another model": (_other_model, ["all-mpnet-base-v2", "pdq-minilm-l6"]),
    "missing sentences.npz": (lambda d: (d / store.SENTENCES).unlink(), [store.SENTENCES, "missing"]),
    "missing manifest.json": (lambda d: (d / store.MANIFEST).unlink(), [store.MANIFEST, "missing"]),
    # Damage the checksums cannot see: the manifest was written after the file went bad.
    "truncated dense.faiss, checksum matching": (
        lambda d: (_truncate(d / store.DENSE), _rehash(d, store.DENSE)), [store.DENSE]),
    "corrupted chunks.jsonl, checksum matching": (
        lambda d: (_scribble(d / store.CHUNKS), _rehash(d, store.CHUNKS)), [store.CHUNKS, "line"]),
    "truncated sentences.npz, checksum matching": (
        lambda d: (_truncate(d / store.SENTENCES), _rehash(d, store.SENTENCES)), [store.SENTENCES]),
    # several workers: the index is checked in a throwaway process before they start
    "truncated dense.faiss, 2 workers": (lambda d: _truncate(d / store.DENSE), [store.DENSE, "corrupted"]),
    "manifest names another model, 2 workers": (_other_model, ["all-mpnet-base-v2"]),
}

@pytest.fixture(scope="module")
def refused_starts(seed_index, tmp_path_factory):
    """Start ``python -m service`` on every damaged copy at once; their results by name."""
    base = tmp_path_factory.mktemp("damaged")
    runs = {}
    for n, (name, (damage, _)) in enumerate(DAMAGE.items()):
        link = publish_copy(seed_index, base / f"case{n}")
        damage(link.resolve())
        port = free_port()
        workers = "2" if name.endswith("2 workers") else "1"
        proc = subprocess.Popen([sys.executable, "-m", "service", "--index", str(link), "--port", str(port),
                                 "--workers", workers],
                                cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        runs[name] = (proc, link, port, time.monotonic())
    results = {}
    for name, (proc, link, _port, t0) in runs.items():
        try:
            out, err = proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        results[name] = (proc.returncode, out + err, link, time.monotonic() - t0)
    return results


@pytest.mark.parametrize("case", list(DAMAGE))
def test_service_refuses_a_damaged_index_at_start_up(refused_starts, case):
    rc, output, link, seconds = refused_starts[case]
    assert rc not in (0, None), (rc, output)
    assert seconds < 60, seconds
    assert "Uvicorn running" not in output and "Started server" not in output, output
    # the rebuild command names the index path given, not the version folder behind it
    assert_clean_error(output, "cannot start", f"{FIX_COMMAND} SOURCE_FOLDER --index {link}", *DAMAGE[case][1])
    assert f"index {link}:" in output, output
