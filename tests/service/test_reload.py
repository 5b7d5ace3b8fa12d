"""Hot reload under traffic, against a real uvicorn server on loopback.

``python -m service`` runs over a published copy of the seed index with
``PDQ_ADMIN_RELOAD=true``, while two threads search without pause. Meanwhile:

1. a changed corpus (the seeds plus a document with a phrase found nowhere else) is
   ingested into the same index path, and ``POST /admin/reload`` swaps it in;
2. the index symlink is pointed at a broken folder: ``POST /admin/reload`` answers 409,
   SIGHUP is refused quietly, and the previous index keeps serving;
3. the link is repaired, a third corpus is published, and SIGHUP swaps it in.

Not one request may fail during the whole run, and each new index's content must be
served once it is reloaded.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from eval.bench.server import free_port
from ingest.indexing import build_index
from retriever import store
from tests.ingest.faults import env, publish_copy
from tests.service.conftest import ANSWERED, OFF_TOPIC, REPO
from tests.service.traffic import Traffic

pytestmark = [pytest.mark.fault, pytest.mark.model]

PHRASE_1 = "quokka lantern protocol"
PHRASE_2 = "axolotl harbour schedule"
QUESTIONS = [ANSWERED, OFF_TOPIC, "octreotide side effects", PHRASE_1, PHRASE_2]


def add_document(src: Path, name: str, phrase: str) -> None:
    (src / f"{name}.md").write_text(
        f"---\ntitle: {name}\nurl: https://example.org/{name}\ncancerTypes:\n- drill\n---\n"
        f"# {name}\n\n## Drill section\n\nThe {phrase} is described only in this drill document. "
        "It exists so that a reloaded index can be told apart from the one before it.\n",
        encoding="utf-8")


def wait_ready(base: str, proc: subprocess.Popen, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"server exited with {proc.returncode}"
        try:
            r = httpx.get(base + "/readyz", timeout=2)
            if r.status_code == 200:
                return r.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("server never became ready")


def found(base: str, phrase: str) -> bool:
    r = httpx.get(base + "/api/search", params={"q": phrase, "mode": "bm25", "k": 3}, timeout=30)
    assert r.status_code == 200, r.text
    return any(phrase in hit["text"] for hit in r.json()["results"])


def point_link(link: Path, target: str) -> None:
    """Swap the index symlink atomically, as ingest's publish does."""
    tmp = link.parent / f".{link.name}.test-link"
    tmp.symlink_to(target)
    os.replace(tmp, link)


@pytest.fixture
def server(seed_index, tmp_path):
    link = publish_copy(seed_index, tmp_path / "srv", "index")
    port = free_port()
    e = env()
    e["PDQ_ADMIN_RELOAD"] = "true"
    log = open(tmp_path / "server.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "service", "--index", str(link), "--port", str(port),
                             "--log-level", "warning"], cwd=REPO, env=e, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc)
        yield base, proc, link, log
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def server_log(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def test_reload_under_traffic_never_fails_a_request(server, seed_copy, settings, embedder):
    base, proc, link, log = server
    first = httpx.get(base + "/readyz").json()
    assert first["documents"] == 1 and not found(base, PHRASE_1)

    with Traffic(base, QUESTIONS) as traffic:
        time.sleep(1.0)

        # (i) a changed corpus is published into the same index path, then reloaded
        add_document(seed_copy, "drill-one", PHRASE_1)
        report = build_index(seed_copy, link, settings, embedder=embedder, progress=False)
        assert report.documents == 2
        good_version = os.readlink(link)
        r = httpx.post(base + "/admin/reload", timeout=60)
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "reloaded" and r.json()["documents"] == 2
        ready = httpx.get(base + "/readyz").json()
        assert ready["documents"] == 2 and ready["chunks"] == report.chunks
        assert found(base, PHRASE_1)
        time.sleep(0.5)

        # (ii) the link now names a broken folder: refused, the index of (i) keeps serving
        broken = link.parent / ".index-vbroken"
        shutil.copytree(link.resolve(), broken)
        dense = broken / store.DENSE
        dense.write_bytes(dense.read_bytes()[:100])
        point_link(link, broken.name)
        r = httpx.post(base + "/admin/reload", timeout=60)
        assert r.status_code == 409, r.text
        assert r.json()["error"]["code"] == "reload_failed"
        assert store.DENSE in r.json()["error"]["message"]
        proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while "reload refused" not in server_log(log):
            assert time.monotonic() < deadline, server_log(log)
            time.sleep(0.1)
        assert proc.poll() is None
        refused = httpx.get(base + "/readyz").json()  # still the index of (i), and why a restart would stop
        assert store.DENSE in refused["reload_refused"] and ready["reload_refused"] is None
        assert {**refused, "reload_refused": None} == ready
        assert found(base, PHRASE_1)

        # (iii) the link is repaired, a third corpus published, and SIGHUP reloads it
        point_link(link, good_version)
        add_document(seed_copy, "drill-two", PHRASE_2)
        report = build_index(seed_copy, link, settings, embedder=embedder, progress=False)
        assert report.documents == 3
        proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while httpx.get(base + "/readyz").json()["documents"] != 3:
            assert time.monotonic() < deadline, server_log(log)
            time.sleep(0.1)
        assert httpx.get(base + "/readyz").json()["reload_refused"] is None  # a reload that loads clears it
        assert found(base, PHRASE_2) and found(base, PHRASE_1)
        time.sleep(1.0)

    assert proc.poll() is None
    assert traffic.failures == [], traffic.failures[:5]
    assert traffic.ok >= 20, traffic.ok
    assert "Traceback" not in server_log(log)
    assert set(store.Manifest.read(link).documents) >= {"drill-one", "drill-two"}
