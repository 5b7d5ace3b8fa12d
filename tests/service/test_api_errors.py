"""The JSON API's errors: one shape, named parameters, limits and odd input that never fails."""

from __future__ import annotations

import logging
import time

import pytest

from retriever.models import SearchResult
from tests.service.conftest import ANSWERED, FakeRetriever, assert_error, server_log

pytestmark = pytest.mark.model


# -- errors ---------------------------------------------------------------------------

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("method, kwargs, status, code, field", [
    ("get", {"params": {"q": ""}}, 422, "invalid_query", "q"),
    ("get", {"params": {"q": "   \t  "}}, 422, "invalid_query", "q"),
    ("get", {}, 422, "invalid_query", "q"),
    ("get", {"params": {"q": "x" * 1001}}, 422, "query_too_long", "q"),
    ("get", {"params": {"q": "???!!!...,,"}}, 422, "invalid_query", "q"),  # nothing to search for
    # a blank filter is no filter: refused, not searched unfiltered as if filtered
    ("get", {"params": {"q": "surgery", "doc": ""}}, 422, "invalid_doc", "doc"),
    ("get", {"params": {"q": "surgery", "cancer_type": " "}}, 422, "invalid_cancer_type", "cancer_type"),
    ("post", {"json": {"q": "surgery", "doc": [""]}}, 422, "invalid_doc", "doc"),
    ("post", {"json": {"q": "surgery", "doc": []}}, 422, "invalid_doc", "doc"),  # a list built wrongly
    ("post", {"json": {"q": "surgery", "cancer_type": []}}, 422, "invalid_cancer_type", "cancer_type"),
    ("post", {"json": {"q": "", "doc": []}}, 422, "invalid_query", "q"),  # the question's fault first
    ("get", {"params": {"q": "", "doc": ""}}, 422, "invalid_query", "q"),  # the question is said first
    ("get", {"params": {"q": "x", "k": 0}}, 422, "invalid_k", "k"),
    ("get", {"params": {"q": "x", "k": 51}}, 422, "invalid_k", "k"),
    ("get", {"params": {"q": "x", "k": "ten"}}, 422, "invalid_k", "k"),
    ("get", {"params": {"q": "x", "k": "2.5"}}, 422, "invalid_k", "k"),
    ("get", {"params": {"q": "x", "k": "5.0"}}, 422, "invalid_k", "k"),  # as the body refuses 5.0
    ("get", {"params": {"q": "x", "k": "5_0"}}, 422, "invalid_k", "k"),  # not 50
    ("get", {"params": {"q": "x", "k": "-1"}}, 422, "invalid_k", "k"),
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
    ("get", {"params": {"q": "x", "cancer_types": "lung"}}, 422, "unknown_parameter", "cancer_types"),
    ("get", {"params": {"q": "x", "filter": "doc"}}, 422, "unknown_parameter", "filter"),
    ("get", {"params": [("q", "octreotide"), ("q", "lanreotide")]}, 422, "repeated_parameter", "q"),
    ("get", {"params": [("q", "x"), ("k", "5"), ("k", "6")]}, 422, "repeated_parameter", "k"),
    ("post", {"content": b'{"q": "surgery", "q": "chemo"}', "headers": JSON}, 422, "repeated_parameter", "q"),
    ("post", {"content": b'{"q": "x", "k": 3, "k": 4}', "headers": JSON}, 422, "repeated_parameter", "k"),
    ("post", {"json": {"q": "x", "filters": {"doc": "x"}}}, 422, "unknown_parameter", "filters"),
    ("post", {"params": {"doc": "other"}, "json": {"q": "x"}}, 422, "parameter_in_url", "doc"),  # not ignored
    ("post", {"params": {"k": "2"}, "json": {"q": "x", "k": 3}}, 422, "parameter_in_url", "k"),
    ("post", {"json": {"q": "x", "cancer_types": ["lung"]}}, 422, "unknown_parameter", "cancer_types"),
    # a misspelt q: the unknown field is named, not "q: is required" (a trial's {"Q": ...})
    ("post", {"json": {"Q": "surgery"}}, 422, "unknown_parameter", "Q"),
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



def test_the_staff_page_s_mode_names_are_told_apart_from_the_api_s(client):
    """/staff says keyword and semantic; its address copied into an API call got a bare 422."""
    for staff in ("keyword", "semantic"):
        body = client.get("/api/search", params={"q": "x", "mode": staff}).json()["error"]
        assert body["code"] == "invalid_mode"
        assert "the staff page's keyword is bm25 here, and its semantic is dense" in body["message"]
    assert "staff page" not in client.get("/api/search", params={"q": "x", "mode": "magic"}).json()["error"]["message"]


def test_the_documents_list_takes_no_parameter(client):
    err = assert_error(client.get("/api/documents", params={"doc": "x"}), 422, "unknown_parameter", "doc")
    assert "takes no parameters" in err["message"]
    assert client.get("/api/documents").status_code == 200


def test_a_body_that_is_no_json_object_is_told_how_to_send_one(client):
    form = client.post("/api/search", content=b"q=x", headers={"content-type": "application/x-www-form-urlencoded"})
    err = assert_error(form, 422, "invalid_body", "body")
    assert err["message"].startswith("body: send a JSON object") and "application/json" in err["message"]
    assert assert_error(client.post("/api/search", json=["q", "x"]), 422)["message"] == err["message"]


def test_a_body_in_another_encoding_is_told_to_send_utf8(client):
    latin1 = client.post("/api/search", content='{"q": "café tumor"}'.encode("latin-1"), headers=JSON)
    err = assert_error(latin1, 400, "invalid_json", "body")
    assert err["message"] == "The request body could not be read: send JSON encoded as UTF-8."


def test_an_unreadable_body_is_told_what_is_wrong_with_it(client):
    """Only a body in another encoding is told to send UTF-8: one that nests too deeply, has a
    number too long for Python or is no JSON at all is valid UTF-8."""
    cases = {b'{"q": ' + b"[" * 8000 + b"]" * 8000 + b"}": "nests too deeply",
             b'{"q": "x", "k": ' + b"9" * 5000 + b"}": "too many digits",
             b"{'q': 'x'}": "not valid JSON"}
    for body, says in cases.items():
        err = assert_error(client.post("/api/search", content=body, headers=JSON), 400, "invalid_json", "body")
        assert says in err["message"] and "UTF-8" not in err["message"], err["message"]


def test_a_negative_count_is_told_the_range_not_that_it_is_no_number(client):
    err = assert_error(client.get("/api/search", params={"q": "x", "k": "-1"}), 422, "invalid_k", "k")
    assert "greater than or equal to 1" in err["message"] and "whole number" not in err["message"]


def test_a_count_that_is_no_whole_number_is_told_so_in_a_url_and_in_a_body(client):
    """The URL said "whole number" where the JSON body said pydantic's "valid integer"."""
    assert "k: Input should be a whole number" in assert_error(
        client.get("/api/search", params={"q": "x", "k": "2.5"}), 422, "invalid_k", "k")["message"]
    for k in (2.5, 3.0, "5", True):  # 3.0: a whole number, but written as a decimal
        err = assert_error(client.post("/api/search", json={"q": "x", "k": k}), 422, "invalid_k", "k")
        assert err["message"] == ("k: Input should be a whole number without a decimal point, "
                                  "sent as a JSON number such as 5"), k


def test_a_misspelt_parameter_is_named_with_what_the_search_takes(client):
    """A filter under the wrong name must not quietly return unfiltered results."""
    for resp in (client.get("/api/search", params={"q": "carcinoid", "cancer_types": "lung"}),
                 client.post("/api/search", json={"q": "carcinoid", "cancer_types": ["lung"]})):
        message = assert_error(resp, 422, "unknown_parameter", "cancer_types")["message"]
        assert "cancer_types" in message and "cancer_type" in message.split("takes", 1)[1]


def test_a_single_doc_in_json_is_told_to_send_a_list(client):
    err = assert_error(client.post("/api/search", json={"q": "x", "doc": "some-id"}), 422, "invalid_doc", "doc")
    assert '["' in err["message"]


def test_query_length_counts_characters_not_bytes(client):
    assert client.get("/api/search", params={"q": "é" * 1000}).status_code == 200
    assert_error(client.post("/api/search", json={"q": "é" * 1001}), 422, "query_too_long", "q")


@pytest.mark.parametrize("letter", ["e\u0301", "\u0958"])  # NFC joins the first; it took the second apart (a review)
def test_query_length_counts_a_letter_as_one_however_its_code_points_go(client, letter):
    assert client.get("/api/search", params={"q": letter * 1000}).status_code == 200  # 1,000 letters as read
    err = assert_error(client.get("/api/search", params={"q": letter * 1001}), 422, "query_too_long", "q")
    assert "(1001 characters; at most 1000)" in err["message"]


def test_unknown_route_and_wrong_method(client):
    assert_error(client.get("/no/such/page"), 404, "not_found", None)
    assert_error(client.get("/api/search/extra"), 404, "not_found", None)
    resp = client.delete("/api/search")
    err = assert_error(resp, 405, "method_not_allowed", None)
    assert "GET" in resp.headers["allow"]
    assert err["message"] == "DELETE is not allowed here: this address takes GET, HEAD, POST."
    err = assert_error(client.put("/healthz"), 405, "method_not_allowed")
    assert err["message"].startswith("PUT is not allowed here: this address takes GET")


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


def test_a_question_of_unreadable_characters_is_not_called_empty(client):
    resp = client.post("/api/search", content=b'{"q": "\\ud800\\u0001"}', headers=JSON)
    assert_error(resp, 422, "invalid_query", "q")
    assert "no readable character" in resp.json()["error"]["message"]
    # bytes that are no UTF-8 and invisible marks read nothing either, where they were searched
    for url in ("/api/search?q=%FF%FE", "/api/search?q=%E2%80%8B%E2%80%8B"):
        assert "no readable character" in assert_error(client.get(url), 422, "invalid_query", "q")["message"]
    assert client.get("/api/search", params={"q": "tumor \u200b"}).status_code == 200


def test_a_question_partly_not_utf8_is_refused_not_searched_with_a_replacement_mark(client):
    """"chemo%FF" was searched as "chemo\ufffd" and echoed back as the question asked."""
    assert_error(client.get("/api/search?q=chemo%FF"), 422, "invalid_encoding", "q")
    page, staff = client.get("/?q=chemo%FF"), client.get("/staff?q=chemo%FF")
    assert page.status_code == staff.status_code == 422
    assert "could not be read: the box shows the rest" in page.text and "not UTF-8 text" in staff.text
    assert "\ufffd" not in page.text + staff.text and 'value="chemo"' in page.text
    body = assert_error(client.post("/api/search", content='{"q": "chemo \ufffd"}'.encode(), headers=JSON),
                        422, "invalid_encoding", "q")
    assert "not UTF-8" in body["message"]


def test_a_related_type_no_summary_is_about_is_refused_and_says_so(client):
    """The seed lists "liver" among its related types; the filter reads a summary's own."""
    err = assert_error(client.get("/api/search", params={"q": ANSWERED, "cancer_type": "liver"}), 422,
                       "invalid_cancer_type", "cancer_type")
    assert err["message"].endswith("'liver' (GET /api/documents lists them; some documents list it among their related "
                                   "types, but the filter reads a document's own).")
