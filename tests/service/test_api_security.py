"""The JSON API's headers, caching, CORS and rate limit, and what its log keeps of questions."""

from __future__ import annotations

import logging

import pytest

from service.security import CSP
from tests.service.conftest import ANSWERED, assert_error, server_log

pytestmark = pytest.mark.model


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
    page = c.get("/", params={"q": ANSWERED}, headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")  # a browser: a page
    assert "Too many requests" in page.text and int(page.headers["retry-after"]) >= 1
    api = c.get("/api/search", params={"q": ANSWERED}, headers={"Accept": "text/html"})
    assert_error(api, 429, "rate_limited")  # the API answers JSON whatever is accepted


def test_no_rate_limit_by_default(client):
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))
    assert all(client.get("/api/search", params={"q": "x", "k": 1}).status_code == 200 for _ in range(5))


# -- privacy --------------------------------------------------------------------------

SECRET = "my husband has a lump near his rectum"


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


def test_questions_are_logged_when_enabled_and_the_start_says_so(make_client, caplog):
    with caplog.at_level(logging.INFO):
        make_client()
        assert "PDQ_LOG_QUERIES is on" not in server_log(caplog)
        c = make_client(log_queries=True)  # an operator's trial: nothing said questions were being kept
        assert "PDQ_LOG_QUERIES is on: questions are written to the log as typed" in server_log(caplog)
        c.get("/api/search", params={"q": SECRET})
    assert SECRET in server_log(caplog)


def test_log_lines_cannot_be_forged(client, caplog):
    from service.access_log import printable

    with caplog.at_level(logging.INFO):
        client.get("/nope%0AGET /admin 200 1.0ms")
    line = [r.getMessage() for r in caplog.records if r.name == "service.access"][-1]
    assert line.startswith("GET (unknown path) 404")
    assert printable("/static/a\nGET /admin 200") == "/static/a\\nGET /admin 200"  # what is logged is escaped


def test_a_question_put_in_the_path_is_not_logged(make_client, caplog):
    """A client may put the question in the path as it would in the query string; the rate
    limit answers before any route is matched."""
    c = make_client(rate_limit_per_minute=2)
    with caplog.at_level(logging.INFO):
        codes = [c.get(f"/api/search/{SECRET}").status_code for _ in range(3)] + [c.get("/healthz").status_code]
        c.get("/api/search", params={"q": "x"})
    access = [r.getMessage() for r in caplog.records if r.name == "service.access"]
    assert codes == [404, 404, 429, 200] and "lump" not in server_log(caplog)
    unknown = [" ".join(a.split(" ")[1:4]) for a in access[:3]]
    assert unknown == ["(unknown path) 404", "(unknown path) 404", "(unknown path) 429"]
    assert access[3].startswith("GET /healthz 200") and access[4].startswith("GET /api/search 429")


def _asgi(middleware, messages: list[dict], hold: bool = False) -> list[dict]:
    """``middleware``'s sent messages for a POST whose body is ``messages``, then nothing more
    (``hold``: the client waits, sending nothing) or a hang-up."""
    import asyncio

    pending, sent = list(messages), []

    async def receive():
        if pending:
            return pending.pop(0)
        if hold:
            await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/search", "headers": [(b"content-length", b"100")]}
    asyncio.run(middleware(scope, receive, send))
    return sent


def test_a_body_that_never_arrives_is_answered_408_within_the_timeout():
    """An operator's trial: a POST declaring 100 bytes and sending 17 hung until the client left."""
    import json

    from service.security import BodyLimitMiddleware

    async def app(scope, receive, send):
        raise AssertionError("the route must not be reached")

    sent = _asgi(BodyLimitMiddleware(app, max_bytes=1000, timeout_s=0.05),
                 [{"type": "http.request", "body": b'{"q": "carcinoid', "more_body": True}], hold=True)
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["error"]["code"] == "request_timeout"


def test_a_client_that_hangs_up_before_an_answer_is_logged_499_not_500(caplog):
    from service.access_log import AccessLogMiddleware
    from service.security import BodyLimitMiddleware

    async def app(scope, receive, send):
        raise AssertionError("the route must not be reached")

    caplog.set_level(logging.INFO, logger="service.access")
    sent = _asgi(AccessLogMiddleware(BodyLimitMiddleware(app, max_bytes=1000, timeout_s=5)),
                 [{"type": "http.request", "body": b'{"q"', "more_body": True}])
    assert sent == [] and any(" 499 " in r.getMessage() for r in caplog.records if r.name == "service.access")


def test_a_body_trickling_in_is_timed_as_a_whole_not_per_part():
    """A review: each part within the timeout, the whole past it, was answered."""
    import asyncio

    from service.security import BodyLimitMiddleware

    async def app(scope, receive, send):
        raise AssertionError("the route must not be reached")

    parts = iter([b'{"q"', b': "car', b'cinoid', b'"}'])
    sent = []

    async def receive():
        await asyncio.sleep(0.03)
        part = next(parts, None)
        return {"type": "http.request", "body": part or b"", "more_body": part is not None}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/search", "headers": []}
    asyncio.run(BodyLimitMiddleware(app, max_bytes=1000, timeout_s=0.08)(scope, receive, send))
    assert sent[0]["status"] == 408
