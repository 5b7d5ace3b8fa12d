"""The JSON API through FastAPI's TestClient: contract, errors, odd input, security, logs."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from fastapi.testclient import TestClient

from retriever.calibration import model_threshold
from retriever.citation import citation_line
from retriever.embedding import resolve_model
from retriever.models import SearchResult
from retriever.store import CHUNKS
from service.app import create_app
from service.security import CSP
from service.state import RetrieverHolder
from tests.service.conftest import ANSWERED, DOC_ID, MANY, OFF_TOPIC, REPO, FakeRetriever

pytestmark = pytest.mark.model

RESULT_FIELDS = {"rank": int, "score": float, "doc_id": str, "source": str, "title": str, "url": str,
                 "link": str, "heading_path": list, "section": str, "text": str, "highlights": list}


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


# -- contract -------------------------------------------------------------------------


def test_search_get_contract(client):
    resp = client.get("/api/search", params={"q": ANSWERED})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) >= {"query", "abstained", "results", "took_ms"}
    assert body["query"] == ANSWERED
    assert body["abstained"] is False
    assert body["not_covered"] == []
    assert isinstance(body["took_ms"], float | int)
    assert len(body["results"]) == 5
    for rank, result in enumerate(body["results"], 1):
        for name, kind in RESULT_FIELDS.items():
            assert isinstance(result[name], kind), (name, result[name])
        assert result["rank"] == rank
        assert result["doc_id"] == DOC_ID
        assert result["link"].startswith("https://www.cancer.gov/")
        assert all(isinstance(h, str) for h in result["heading_path"])
        for span in result["highlights"]:
            assert set(span) == {"start", "end"}
            assert 0 <= span["start"] < span["end"] <= len(result["text"])
        assert result["citation"] == citation_line(result["title"], result["heading_path"][1:], result["link"])
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_the_rectum_section_answers_the_rectum_question(client):
    results = client.get("/api/search", params={"q": ANSWERED, "k": 3}).json()["results"]
    assert any(r["heading_path"][-1] == "Rectum" for r in results)


@pytest.mark.parametrize("k", [1, 3, 12])
def test_k_is_honoured(client, k):
    body = client.get("/api/search", params={"q": ANSWERED, "k": k}).json()
    assert len(body["results"]) == k


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_answers(client, mode):
    resp = client.get("/api/search", params={"q": "surgery to remove a tumor in the stomach", "mode": mode, "k": 3})
    assert resp.status_code == 200
    body = resp.json()
    assert not body["abstained"] and len(body["results"]) == 3


def test_doc_and_cancer_type_filters(client):
    resp = client.get("/api/search", params=[("q", ANSWERED), ("doc", DOC_ID), ("doc", DOC_ID),
                                             ("cancer_type", "GI neuroendocrine tumors")])
    assert resp.status_code == 200
    assert {r["doc_id"] for r in resp.json()["results"]} == {DOC_ID}


def test_unknown_filters_are_named(client):
    assert_error(client.get("/api/search", params={"q": ANSWERED, "doc": "no-such-doc"}), 422, "invalid_doc", "doc")
    assert_error(client.post("/api/search", json={"q": ANSWERED, "cancer_type": ["martian flu"]}),
                 422, "invalid_cancer_type", "cancer_type")


def test_filters_that_together_allow_no_passage_are_named(make_client, retriever):
    many = FakeRetriever(retriever, lambda *a: pytest.fail("searched despite filters that allow nothing"))
    many.manifest = dataclasses.replace(retriever.manifest, documents=MANY)
    c = make_client(many)
    resp = c.get("/api/search", params={"q": "surgery", "doc": "acupuncture", "cancer_type": "breast"})
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "invalid_filters" and resp.json()["error"]["field"] == "cancer_type"


def test_each_result_says_which_rankings_found_it(client):
    results = client.get("/api/search", params={"q": ANSWERED, "k": 10}).json()["results"]
    assert all(r["found_by"] and set(r["found_by"]) <= {"dense", "bm25", "sentence"} for r in results)
    assert results[0]["found_by"] == ["dense", "bm25", "sentence"]  # the best passage: every ranking
    only_keywords = client.get("/api/search", params={"q": ANSWERED, "mode": "bm25"}).json()["results"]
    assert all("bm25" in r["found_by"] for r in only_keywords)


def test_a_refused_figure_question_returns_related_passages_apart(client):
    body = client.get("/api/search", params={"q": "what is the survival rate"}).json()
    assert body["abstained"] is True and body["results"] == [] and "a figure" in body["not_covered"]
    assert [r["section"] for r in body["related"]] == [
        "Certain factors affect prognosis (chance of recovery) and treatment options."]
    assert client.get("/api/search", params={"q": "flu vaccine for adults"}).json()["related"] == []


def test_off_topic_question_abstains(client):
    body = client.get("/api/search", params={"q": OFF_TOPIC}).json()
    assert body["abstained"] is True
    assert body["results"] == []
    assert body["not_covered"] == ["flu", "vaccine"]


def test_post_equals_get(client):
    params = {"q": ANSWERED, "k": 4, "mode": "bm25"}
    got = client.get("/api/search", params={**params, "doc": DOC_ID}).json()
    posted = client.post("/api/search", json={**params, "doc": [DOC_ID]}).json()
    got.pop("took_ms"), posted.pop("took_ms")
    assert got == posted


def test_control_characters_are_stripped(client):
    body = client.get("/api/search", params={"q": "signs\x00 of\x07 carcinoid\ttumor\n in the rectum\x1b"}).json()
    assert body["query"] == "signs of carcinoid tumor in the rectum"
    assert not body["abstained"]


def test_healthz_and_readyz(client, retriever):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready"
    assert body["model"] == retriever.manifest.model
    assert body["documents"] == 1 and body["chunks"] == len(retriever.chunks)
    assert body["index_created"] == retriever.manifest.created
    # the shipped ranker, the same one the index's manifest recorded when it was built
    assert body["ranker"] == retriever.reranker.sha256[:12] == retriever.manifest.ranker_sha256[:12]
    # the threshold in force: the shipped model's own (threshold.json), not the stock model's
    assert body["abstain_threshold"] == retriever.threshold == model_threshold(resolve_model(retriever.manifest.model))


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


def test_documents_list(client):
    body = client.get("/api/documents").json()
    types = ["gi neuroendocrine tumors", "breast", "skin", "pancreatic", "liver"]
    assert body["documents"] == [{"doc_id": DOC_ID, "cancer_types": types,
                                  "title": "Gastrointestinal Neuroendocrine Tumors Treatment - NCI"}]
    assert "gi neuroendocrine tumors" in body["cancer_types"]


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/documents", "/healthz", "/readyz"):
        assert path in spec["paths"]
    assert {"get", "post"} <= set(spec["paths"]["/api/search"])
    schemas = spec["components"]["schemas"]
    assert schemas["SearchRequest"].get("examples")
    assert schemas["SearchResponse"].get("examples")
    assert "ErrorResponse" in schemas
    assert "/" not in spec["paths"] and "/staff" not in spec["paths"]


def test_docs_page_uses_local_assets_under_the_site_csp(client):
    resp = client.get("/docs")
    assert resp.status_code == 200
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "http" not in csp and "'unsafe-inline'" not in csp
    srcs = re.findall(r'(?:src|href)="([^"]+)"', resp.text)
    assert srcs and all(s.startswith("/static/") for s in srcs), srcs
    for src in srcs:
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src
    assert "<script>" not in resp.text  # no inline script


def test_one_result_shape_and_one_mode_list(client):
    from retriever.models import MODES

    spec = client.get("/openapi.json").json()
    mode = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "mode")
    assert tuple(mode["schema"]["enum"]) == MODES
    result = client.get("/api/search", params={"q": "carcinoyd rectum", "k": 1}).json()
    assert set(result["results"][0]) == set(spec["components"]["schemas"]["Result"]["properties"])
    assert result["corrections"] == {"carcinoyd": "carcinoid"}


# -- errors ---------------------------------------------------------------------------

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("method, kwargs, status, code, field", [
    ("get", {"params": {"q": ""}}, 422, "invalid_query", "q"),
    ("get", {"params": {"q": "   \t  "}}, 422, "invalid_query", "q"),
    ("get", {}, 422, "invalid_query", "q"),
    ("get", {"params": {"q": "x" * 1001}}, 422, "query_too_long", "q"),
    ("get", {"params": {"q": "x", "k": 0}}, 422, "invalid_k", "k"),
    ("get", {"params": {"q": "x", "k": 51}}, 422, "invalid_k", "k"),
    ("get", {"params": {"q": "x", "k": "ten"}}, 422, "invalid_k", "k"),
    ("get", {"params": {"q": "x", "k": "2.5"}}, 422, "invalid_k", "k"),
    ("get", {"params": {"q": "x", "mode": "magic"}}, 422, "invalid_mode", "mode"),
    ("get", {"params": {"q": "x", "mode": "keyword"}}, 422, "invalid_mode", "mode"),
    ("post", {"json": {"q": ""}}, 422, "invalid_query", "q"),
    ("post", {"json": {"k": 3}}, 422, "invalid_query", "q"),
    ("post", {"json": {"q": "x", "k": 99}}, 422, "invalid_k", "k"),
    ("post", {"json": {"q": "x", "k": "many"}}, 422, "invalid_k", "k"),
    ("post", {"json": {"q": "x", "k": True}}, 422, "invalid_k", "k"),
    ("post", {"json": {"q": "x", "k": "5"}}, 422, "invalid_k", "k"),
    ("post", {"json": {"q": "x", "k": 2.5}}, 422, "invalid_k", "k"),
    ("post", {"json": {"q": "x", "mode": 3}}, 422, "invalid_mode", "mode"),
    ("post", {"json": {"q": 42}}, 422, "invalid_query", "q"),
    ("post", {"json": {"q": ["a", "b"]}}, 422, "invalid_query", "q"),
    ("post", {"json": {"q": {"nested": "object"}}}, 422, "invalid_query", "q"),
    ("post", {"json": {"q": None}}, 422, "invalid_query", "q"),
    ("post", {"json": {"q": "x", "doc": "not-a-list"}}, 422, "invalid_doc", "doc"),
    ("post", {"json": {"q": "x", "doc": [["nested"]]}}, 422, "invalid_doc", "doc"),
    ("post", {"json": {"q": "x", "cancer_type": [1, 2]}}, 422, "invalid_cancer_type", "cancer_type"),
    ("post", {"json": ["q", "x"]}, 422, "invalid_body", "body"),
    ("post", {"json": "just a string"}, 422, "invalid_body", "body"),
    ("post", {"content": b"{\"q\": \"x\",", "headers": JSON}, 400, "invalid_json", "body"),
    ("post", {"content": b"{'q': 'x'}", "headers": JSON}, 400, "invalid_json", "body"),
    ("post", {"content": b"{\"q\": \"\xff\xfe\"}", "headers": JSON}, 400, "invalid_json", "body"),
    ("post", {"content": b"", "headers": JSON}, 422, "invalid_body", "body"),
    ("post", {"content": b"q=x", "headers": {"content-type": "application/x-www-form-urlencoded"}},
     422, "invalid_body", "body"),
])
def test_errors_have_one_shape(client, method, kwargs, status, code, field):
    assert_error(getattr(client, method)("/api/search", **kwargs), status, code, field)


def test_query_length_counts_characters_not_bytes(client):
    assert client.get("/api/search", params={"q": "é" * 1000}).status_code == 200
    assert_error(client.post("/api/search", json={"q": "é" * 1001}), 422, "query_too_long", "q")


def test_unknown_route_and_wrong_method(client):
    assert_error(client.get("/no/such/page"), 404, "not_found", None)
    assert_error(client.get("/api/search/extra"), 404, "not_found", None)
    resp = client.delete("/api/search")
    assert_error(resp, 405, "method_not_allowed", None)
    assert "GET" in resp.headers["allow"]
    assert_error(client.put("/healthz"), 405, "method_not_allowed")


def test_body_over_the_limit_is_413(make_client):
    c = make_client(max_body_bytes=1024)
    big = {"q": "x" * 2000}
    assert_error(c.post("/api/search", json=big), 413, "body_too_large", "body")

    def chunked():  # no Content-Length: the limit is enforced while reading
        for _ in range(10):
            yield b" " * 200
        yield b'{"q": "x"}'

    assert_error(c.post("/api/search", content=chunked(), headers=JSON), 413, "body_too_large", "body")
    assert c.post("/api/search", json={"q": ANSWERED}).status_code == 200


def test_default_body_limit_applies(client):
    assert_error(client.post("/api/search", json={"q": "a" * 100_000}), 413, "body_too_large", "body")


def test_a_slow_search_times_out_in_the_error_shape(make_client, retriever):
    def slow(query, k, mode, filters):
        time.sleep(1.5)
        return SearchResult(query=query, hits=[], abstained=True, mode=mode)

    c = make_client(FakeRetriever(retriever, slow), request_timeout_s=0.2)
    t0 = time.perf_counter()
    assert_error(c.get("/api/search", params={"q": ANSWERED}), 504, "timeout")
    assert time.perf_counter() - t0 < 1.2  # answered at the timeout, not when the search ended
    page = c.get("/", params={"q": ANSWERED})
    assert page.status_code == 504 and "took too long" in page.text


def test_an_unexpected_error_is_a_clean_500(make_client, retriever, caplog):
    def broken(query, k, mode, filters):
        raise RuntimeError(f"boom in /secret/path/module.py for {query}")

    c = make_client(FakeRetriever(retriever, broken))
    with caplog.at_level(logging.INFO):
        resp = c.get("/api/search", params={"q": "private question"})
    err = assert_error(resp, 500, "internal_error", None)
    assert "boom" not in err["message"] and "secret" not in resp.text
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "RuntimeError" in server_log(caplog)
    assert "private question" not in server_log(caplog)
    page = c.get("/", params={"q": "private question"})
    assert page.status_code == 500 and "secret" not in page.text


ODD_QUERIES = [
    "\x00", "\x00\x00\x00abc\x00", "\x1b[31mred\x1b[0m", "line\r\nbreak", "\u202eevil\u202c", "\ufeffbom",
    "😀🎗️👩‍⚕️", "🎗" * 500, "a" * 1000, "Ω≈ç√∫˜µ≤≥÷", "日本語の質問", "ﷺ", "\u200b\u200b",
    "' OR 1=1; DROP TABLE chunks; --", "\" OR \"\"=\"", "1; SELECT * FROM users",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "javascript:alert(1)", "{{7*7}}", "${7*7}", "%s%s%s%n", "../../etc/passwd", "\\", "NaN", "null",
    "-1", "9" * 400, "?" * 200, "AND OR NOT", "*", "\"", "'", "()[]{}",
]


@pytest.mark.parametrize("q", ODD_QUERIES)
def test_odd_queries_never_fail(client, q):
    for resp in (client.get("/api/search", params={"q": q}), client.post("/api/search", json={"q": q}),
                 client.get("/", params={"q": q}), client.get("/staff", params={"q": q})):
        assert resp.status_code < 500, resp.text
        if resp.status_code >= 400 and resp.headers["content-type"].startswith("application/json"):
            assert_error(resp, resp.status_code)


@pytest.mark.parametrize("body", [
    b'{"q": "\\ud800 lone surrogate"}', b'{"q": "\\u0000"}', b'{"q": "x", "k": 1e400}',
    b'{"q": "x", "k": -1}', b'{"q": "x", "k": true}', b'{"q": "x", "k": [5]}', b'{"q": "x", "k": {"n": 5}}',
    b'{"q": "x", "mode": ["hybrid"]}', b'{"q": "x", "mode": null}', b'{"q": "x", "doc": {"a": 1}}',
    b'{"q": "x", "doc": [null]}', b'{"q": "x", "doc": [[["deep"]]]}', b'{"q": [[["deep"]]]}',
    b'{"q": "x", "extra": {"ignored": true}}', b'{"q": "x", "q": "y"}', b'[[[[[[[[[[]]]]]]]]]]',
    b'{"q": "x", "k": 99999999999999999999999999999}', b'"\\ud83d"', b"123", b"true", b"null",
    b'{"q": "' + b"a" * 15000 + b'"}', b"{" * 5000, b"[" * 5000, b"\x00\x01\x02", b"\xef\xbb\xbf{\"q\": \"x\"}",
])
def test_odd_json_never_fails(client, body):
    resp = client.post("/api/search", content=body, headers=JSON)
    assert resp.status_code < 500, resp.text
    if resp.status_code >= 400:
        assert_error(resp, resp.status_code)


@pytest.mark.parametrize("params", [
    [("q", "x"), ("k", "")], [("q", "x"), ("k", "1e3")], [("q", "x"), ("k", "0x10")], [("q", "x"), ("k", "-0")],
    [("q", "x"), ("mode", "")], [("q", "x"), ("doc", "")], [("q", "x"), ("doc", "\x00")],
    [("q", "a"), ("q", "b")], [("q", "x"), ("cancer_type", "<b>")], [("q", "x" * 50_000)],
])
def test_odd_query_strings_never_fail(client, params):
    resp = client.get("/api/search", params=params)
    assert resp.status_code < 500, resp.text
    if resp.status_code >= 400:
        assert_error(resp, resp.status_code)


def test_raw_percent_encoding_never_fails(client):
    for url in ("/api/search?q=%ED%A0%80", "/api/search?q=%FF%FE", "/api/search?q=%", "/?q=%00%ZZ",
                "/%ff", "/staff?k=%00&q=x", "/api/search?q=x&k=%F0%9F%98%80"):
        resp = client.get(url)
        assert resp.status_code < 500, (url, resp.text)


# -- security -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/staff", "/api/search?q=tumor", "/api/search", "/healthz", "/nope",
                                  "/static/style.css"])
def test_security_headers_everywhere(client, path):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]
    assert "access-control-allow-origin" not in headers


def test_answers_are_not_cached(client):
    assert client.get("/api/search", params={"q": ANSWERED}).headers["cache-control"] == "no-store"
    assert client.get("/", params={"q": ANSWERED}).headers["cache-control"] == "no-store"


def test_cors_only_when_configured(client, make_client):
    origin = {"Origin": "https://staff.example.org"}
    assert "access-control-allow-origin" not in client.get("/api/search?q=x", headers=origin).headers
    c = make_client(cors_origins=["https://staff.example.org"])
    resp = c.get("/api/search", params={"q": ANSWERED}, headers=origin)
    assert resp.headers["access-control-allow-origin"] == "https://staff.example.org"
    other = c.get("/api/search", params={"q": ANSWERED}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_rate_limit(make_client):
    c = make_client(rate_limit_per_minute=3)
    codes = [c.get("/api/search", params={"q": ANSWERED}).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    resp = c.get("/api/search", params={"q": ANSWERED})
    assert_error(resp, 429, "rate_limited")
    assert int(resp.headers["retry-after"]) >= 1
    assert resp.headers["x-frame-options"] == "DENY"
    assert c.get("/healthz").status_code == 200  # probes are never limited
    assert c.get("/", params={"q": ANSWERED}).status_code == 429


def test_no_rate_limit_by_default(client):
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))
    assert all(client.get("/api/search", params={"q": "x", "k": 1}).status_code == 200 for _ in range(5))


# -- privacy --------------------------------------------------------------------------

SECRET = "my husband has a lump near his rectum"


def server_log(caplog) -> str:
    """Everything logged but the test client's own request lines (httpx logs URLs)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))


def test_questions_are_not_logged_by_default(client, caplog):
    with caplog.at_level(logging.DEBUG):
        client.get("/api/search", params={"q": SECRET})
        client.post("/api/search", json={"q": SECRET})
        client.get("/", params={"q": SECRET})
        client.get("/api/search", params={"q": SECRET, "k": 0})
    assert "lump" not in server_log(caplog) and "husband" not in server_log(caplog)
    access = [r.getMessage() for r in caplog.records if r.name == "service.access"]
    assert "GET /api/search 200" in access[0] and access[0].endswith("ms")
    assert "POST /api/search 200" in access[1]
    assert access[2].startswith("GET / 200")
    assert "GET /api/search 422" in access[3]
    assert all("?" not in line for line in access)


def test_questions_are_logged_when_enabled(make_client, caplog):
    c = make_client(log_queries=True)
    with caplog.at_level(logging.INFO):
        c.get("/api/search", params={"q": SECRET})
    assert SECRET in server_log(caplog)


def test_log_lines_cannot_be_forged(client, caplog):
    with caplog.at_level(logging.INFO):
        client.get("/nope%0AGET /admin 200 1.0ms")
    line = [r.getMessage() for r in caplog.records if r.name == "service.access"][-1]
    assert "\n" not in line and "404" in line


# -- reload ---------------------------------------------------------------------------


def test_admin_reload_is_off_by_default(client):
    assert_error(client.post("/admin/reload"), 404, "not_found")


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
    proc = subprocess.run([sys.executable, "-m", "service", "--index", str(index_copy)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "schema version 99" in proc.stderr and "python -m ingest" in proc.stderr
