"""Shared fixtures: one seed index and one Retriever for the whole session.

Building the index (about 20 s) and loading the model dominate the run time, so every
test app is created around the same loaded `Retriever`; apps themselves are cheap.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import threading
import time
from html import unescape
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from retriever.models import Chunk, Hit, SearchResult
from retriever.search import Retriever
from retriever.settings import Settings
from retriever.store import DocumentEntry
from service.app import create_app

REPO = Path(__file__).resolve().parents[2]
DOC_ID = "gi-neuroendocrine-tumors-treatment"
ANSWERED = "what are the signs of a carcinoid tumor in the rectum?"
OFF_TOPIC = "When should adults get the flu vaccine?"


@pytest.fixture(scope="session")
def index_dir(seed_index) -> Path:
    """The seed documents indexed once for the whole session (tests/conftest.py)."""
    return seed_index


@pytest.fixture(scope="session")
def base_settings(index_dir) -> Settings:
    return Settings(index_dir=index_dir)


@pytest.fixture(scope="session")
def retriever(seed_retriever) -> Retriever:
    """The session's one loaded Retriever (tests/conftest.py), under the name service tests use."""
    return seed_retriever


@pytest.fixture(scope="session")
def client(base_settings, retriever):
    """A client of an app with default service settings."""
    with TestClient(create_app(base_settings, retriever)) as c:
        yield c


@pytest.fixture
def make_client(base_settings, retriever):
    """Build a client around an app with some settings changed (and/or another retriever)."""
    opened = []

    def make(retriever_=retriever, **overrides) -> TestClient:
        settings = base_settings.model_copy(update=overrides)
        c = TestClient(create_app(settings, retriever_), raise_server_exceptions=False)
        c.__enter__()
        opened.append(c)
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture
def index_copy(index_dir, tmp_path) -> Path:
    """A private, published copy of the index: ``live`` is a symlink to a version folder,
    like ingest makes, so tests can swap or corrupt it without touching the shared one."""
    version = tmp_path / ".live-v1"
    shutil.copytree(index_dir.resolve(), version)
    link = tmp_path / "live"
    link.symlink_to(version.name)
    return link


class FakeRetriever:
    """Stands in for a `Retriever` where a test needs a slow, failing or odd search.

    It borrows the real retriever's manifest and chunks so filters and pages work.
    """

    def __init__(self, real: Retriever, search):
        self.manifest = real.manifest
        self.chunks = real.chunks
        self.links = real.links
        self.childhood = real.childhood
        self.doc_ids = real.doc_ids
        self.index_dir = real.index_dir
        self.threshold = real.threshold
        self.planner, self.words = real.planner, real.words  # the pages read what the index's words are
        self._search = search

    def search(self, query, k=5, mode="hybrid", filters=None) -> SearchResult:
        return self._search(query, k, mode, filters)


# The seed's title as the pages show it, and its top heading, which repeats the title and
# is left out of breadcrumbs.
TITLE = "Gastrointestinal Neuroendocrine Tumors Treatment - NCI"
TITLE_HEADING = "Gastrointestinal Neuroendocrine Tumors Treatment (PDQ®)–Patient Version"


def _hit(doc_id: str, n: int, title: str) -> Hit:
    """A hit of a stand-in summary, for pages over several summaries."""
    chunk = Chunk(id=f"{doc_id}#{n}", doc_id=doc_id, source=f"{doc_id}.md", title=title,
                  url=f"https://www.cancer.gov/{doc_id}", heading_path=[title, "Side effects"],
                  section="Side effects", text=f"Surgery may cause pain ({doc_id}).")
    return Hit(rank=n, score=0.1, chunk=chunk, link=chunk.url)


# A manifest's "documents" for a three-summary index (one treatment, one screening, one CAM).
MANY = {
    "breast-treatment": DocumentEntry(source="breast-treatment.md", content_hash="",
                                      title="Breast Cancer Treatment - NCI",
                                      cancer_types=["breast"],
                                      url="https://www.cancer.gov/types/breast/patient/breast-treatment-pdq"),
    "colon-screening": DocumentEntry(source="colon-screening.md", content_hash="",
                                     title="Colorectal Cancer Screening - NCI", cancer_types=["colorectal"],
                                     url="https://www.cancer.gov/types/colorectal/patient/colorectal-screening-pdq"),
    "acupuncture": DocumentEntry(source="acupuncture.md", content_hash="", title="Acupuncture - NCI",
                                 url="https://www.cancer.gov/about-cancer/treatment/cam/patient/acupuncture-pdq"),
}


@contextlib.contextmanager
def serving(app, **options):
    """uvicorn on 127.0.0.1 in a thread, on a socket bound before it starts (no port race);
    ``options`` go to ``uvicorn.Config`` (``http=`` a protocol class). Yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port,
                            log_level="warning", access_log=False, lifespan="on", **options)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not srv.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(15)
        sock.close()


def assert_error(resp, status: int, code: str | None = None, field: str | None = "__any__"):
    """The one error shape, with the expected status (and code / field when given)."""
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"code", "message", "field"}
    assert isinstance(err["code"], str) and err["code"]
    assert isinstance(err["message"], str) and err["message"]
    assert "Traceback" not in resp.text and ".py" not in resp.text
    if code is not None:
        assert err["code"] == code, err
    if field != "__any__":
        assert err["field"] == field, err
    return err


def server_log(caplog) -> str:
    """Everything logged but the test client's own request lines (httpx logs URLs)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))


# The passages and breadcrumbs of a page.
def passages(html: str) -> list[str]:
    return re.findall(r'<article class="passage".*?</article>', html, re.S)


def crumbs(passage_html: str) -> list[str]:
    return [unescape(c) for c in re.findall(r'<span class="crumb">(.*?)</span>', passage_html)]


# -- the browser tests' servers and pages (test_browser*.py; helpers in browser.py). Module-scoped:
# Playwright's sync API must be closed before other modules' tests run their own event loops.


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    from tests.service import browser

    if not os.access(browser.CHROMIUM, os.X_OK):
        pytest.fail(browser.MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=browser.CHROMIUM, headless=True,
            args=browser.CHROMIUM_ARGS, viewport={"width": 1024, "height": 768}, locale="en-US")
        context.set_default_timeout(30_000)
        yield context
        context.close()


@pytest.fixture(scope="module")
def browser_server(base_settings, retriever):
    """The app on a real uvicorn server, for the browser tests."""
    yield from _serve(create_app(base_settings, retriever))


@pytest.fixture(scope="module")
def many_server(base_settings, retriever):
    """A three-summary index whose passages are nested lists (a stand-in retriever)."""
    from tests.service import browser

    yield from _serve(create_app(base_settings, browser.many_summaries(retriever)))


def _serve(app):
    with serving(app) as base:
        yield base


@pytest.fixture
def watched(browser_context, browser_server):
    from tests.service import browser

    w = browser.Watched(browser_context, browser_server)
    yield w
    w.page.close()


@pytest.fixture
def many(browser_context, many_server):
    from tests.service import browser

    w = browser.Watched(browser_context, many_server)
    yield w
    w.page.close()
