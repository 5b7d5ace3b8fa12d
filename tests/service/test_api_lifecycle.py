"""The API's lifespan: not ready until the index is loaded, swapping it under a running API (admin
route, SIGHUP), and the command line's refusals."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from fastapi.testclient import TestClient

from retriever.models import SearchResult
from retriever.store import CHUNKS
from service.app import create_app
from service.state import RetrieverHolder
from tests.service.conftest import ANSWERED, REPO, FakeRetriever, assert_error

pytestmark = pytest.mark.model


# -- reload ---------------------------------------------------------------------------


def test_admin_reload_is_off_by_default(client):
    assert_error(client.post("/admin/reload"), 404, "not_found")
    assert "/admin/reload" not in client.get("/openapi.json").json()["paths"]  # nor offered in /docs


def test_admin_reload_refuses_other_sites_parameters_and_bodies(make_client, index_copy):
    """A form on any web page could POST here from an operator's browser; curl sends no Origin."""
    c = make_client(index_dir=index_copy, admin_reload=True)
    holder = c.app.state.holder
    first = holder.retriever
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site", "Origin": "http://testserver"}, {"Origin": "null"}):
        err = assert_error(c.post("/admin/reload", headers=headers), 403, "cross_site")
        assert "another site" in err["message"] and "curl -X POST http://testserver/admin/reload" in err["message"]
        assert f"(Sec-Fetch-Site {headers['Sec-Fetch-Site']})" in err["message"] if "Sec-Fetch-Site" in headers \
            else f"(Origin {headers['Origin']})" in err["message"]
    assert_error(c.post("/admin/reload", params={"index": "/etc"}), 422, "unknown_parameter", "index")
    assert_error(c.post("/admin/reload", json={"index": "/etc"}), 422, "invalid_body")
    assert_error(c.post("/admin/reload", params={"": "x"}), 422, "unknown_parameter", "a parameter")
    assert holder.retriever is first  # nothing was reloaded
    assert "/admin/reload" in c.get("/openapi.json").json()["paths"]
    # /docs on this server, also behind a TLS proxy (https, another port); scripts send no Origin
    for headers in ({"Origin": "http://testserver"}, {"Origin": "https://TestServer:443"},
                    {"Sec-Fetch-Site": "same-origin", "Origin": "https://testserver"}, {}):
        before = holder.retriever
        assert c.post("/admin/reload", headers=headers).status_code == 200, headers
        assert holder.retriever is not before


def test_admin_reload_swaps_and_refuses_a_bad_index(make_client, index_copy, base_settings):
    c = make_client(index_dir=index_copy, admin_reload=True)
    holder = c.app.state.holder
    first = holder.retriever
    resp = c.post("/admin/reload")
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "reloaded" and resp.json()["chunks"] == len(first.chunks)
    assert holder.retriever is not first

    # Publish a corrupted version the way ingest would (swap the symlink).
    good = holder.retriever
    bad = index_copy.parent / ".live-v2"
    shutil.copytree(index_copy.resolve(), bad)
    with open(bad / CHUNKS, "a", encoding="utf-8") as f:
        f.write("\n")
    tmp = index_copy.parent / "tmp-link"
    tmp.symlink_to(bad.name)
    os.replace(tmp, index_copy)
    err = assert_error(c.post("/admin/reload"), 409, "reload_failed")
    assert "corrupted" in err["message"] and "python -m ingest" in err["message"]
    assert holder.retriever is good
    assert c.get("/api/search", params={"q": ANSWERED}).json()["results"]


def test_requests_in_flight_keep_their_retriever(make_client, index_copy, retriever):
    started = threading.Event()

    def old_and_slow(query, k, mode, filters):
        started.set()
        time.sleep(1.0)
        return SearchResult(query=query, hits=[], abstained=True, mode=mode)

    c = make_client(FakeRetriever(retriever, old_and_slow), index_dir=index_copy, admin_reload=True)
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("r", c.get("/api/search", params={"q": ANSWERED})))
    t.start()
    assert started.wait(5)
    assert c.post("/admin/reload").status_code == 200
    t.join(10)
    assert out["r"].status_code == 200 and out["r"].json()["abstained"] is True  # the old object answered
    assert c.get("/api/search", params={"q": ANSWERED}).json()["abstained"] is False  # the new one now


def test_sighup_reloads(index_copy, base_settings, retriever):
    from service.admin import install_sighup, remove_sighup

    holder = RetrieverHolder(base_settings.model_copy(update={"index_dir": index_copy}), retriever)

    async def main():
        assert install_sighup(holder)
        try:
            os.kill(os.getpid(), signal.SIGHUP)
            for _ in range(200):
                await asyncio.sleep(0.05)
                if holder.retriever is not retriever:
                    break
        finally:
            remove_sighup()

    asyncio.run(main())
    assert holder.retriever is not retriever
    assert holder.retriever.index_dir == index_copy.resolve()


def test_a_reload_frees_the_index_it_replaced(index_copy, base_settings):
    """Without waiting for the cyclic collector: four reloads kept four replaced versions'
    vectors mapped, their disk space held after ingest had deleted them."""
    import gc
    import weakref

    holder = RetrieverHolder(base_settings.model_copy(update={"index_dir": index_copy}))
    asyncio.run(holder.load())
    replaced = weakref.ref(holder.retriever)
    gc.disable()
    try:
        asyncio.run(holder.reload())
        assert holder.retriever is not None and replaced() is None
    finally:
        gc.enable()
        holder.close()


def test_a_worker_that_cannot_load_its_index_says_why_in_one_line(index_copy, base_settings):
    """What a uvicorn worker reports when its start-up fails (a SIGHUP finding a damaged
    index): one line naming the file, not Starlette's traceback."""
    from service.app import create_app

    (index_copy / "manifest.json").write_text("garbage", encoding="utf-8")
    app = create_app(base_settings.model_copy(update={"index_dir": index_copy}))
    sent = []

    async def receive():
        return {"type": "lifespan.startup"}

    async def send(message):
        sent.append(message)

    with pytest.raises(Exception, match="manifest.json is not valid JSON"):
        asyncio.run(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send))
    assert [m["type"] for m in sent] == ["lifespan.startup.failed"]
    said = sent[0]["message"]
    assert said.startswith("cannot start this worker: index ") and "not valid JSON" in said
    assert "python -m ingest" in said
    assert "Traceback" not in said and "\n" not in said


# -- command line ---------------------------------------------------------------------


def test_cli_refuses_a_missing_index_without_a_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "service", "--index", str(tmp_path / "nothing"), "--port", "0"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "does not exist" in proc.stderr and "python -m ingest" in proc.stderr


def test_cli_refuses_an_incompatible_index(tmp_path, index_copy):
    manifest = index_copy / "manifest.json"
    text = manifest.read_text(encoding="utf-8").replace('"schema_version": 1', '"schema_version": 99')
    manifest.unlink()
    manifest.write_text(text, encoding="utf-8")
    # any free port: the README's service may be running on the default one beside the tests
    proc = subprocess.run([sys.executable, "-m", "service", "--index", str(index_copy), "--port", "0"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "schema version 99" in proc.stderr and "python -m ingest" in proc.stderr


def test_not_ready_until_the_index_is_loaded(base_settings):
    # Without entering the client, the lifespan (which loads the index) never runs.
    c = TestClient(create_app(base_settings))
    assert c.get("/healthz").status_code == 200
    assert_error(c.get("/readyz"), 503, "not_ready")
    assert_error(c.get("/api/search", params={"q": ANSWERED}), 503, "not_ready")
    page = c.get("/", params={"q": ANSWERED})
    assert page.status_code == 503 and "starting up" in page.text


def test_lifespan_loads_the_index(base_settings):
    with TestClient(create_app(base_settings)) as c:
        assert c.get("/readyz").status_code == 200
        assert c.get("/api/search", params={"q": ANSWERED}).json()["results"]
