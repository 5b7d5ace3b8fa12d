"""The HTML pages through TestClient: answers, methods, escaping, no inline script
(refusals: test_pages_refusals.py)."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from retriever.models import Chunk, Hit, SearchResult, Span
from tests.service.conftest import ANSWERED, DOC_ID, OFF_TOPIC, TITLE, FakeRetriever, crumbs, passages

pytestmark = pytest.mark.model


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text += data


def assert_no_inline_script(html: str):
    """Only external scripts from /static; no handlers, inline styles or javascript: URLs."""
    parser = _Tags()
    parser.feed(html)
    assert not parser.script_text.strip(), "inline script body"
    for tag, attrs in parser.tags:
        if tag == "script":
            assert re.fullmatch(r"/static/[\w.-]+\.js", attrs.get("src") or ""), attrs
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # blocked by the CSP anyway
        for name in ("href", "src", "action", "formaction"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert {t for t, _ in parser.tags}.isdisjoint({"img", "svg", "iframe", "object", "embed"})


def test_home_page_is_a_labelled_search_box(client):
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.text
    assert '<html lang="en">' in html
    assert 'name="viewport"' in html
    assert re.search(r'<label for="q">[^<]+</label>', html)
    assert re.search(r'<input id="q" name="q"', html)
    assert re.search(r'<button type="submit">Search</button>', html)
    assert html.count("<h1") == 1
    assert "not medical advice" in html
    # Searched passages can look like an answer to "signs of a heart attack"; the page says where to turn.
    assert "In an emergency, call 911 or your local emergency number." in html
    assert "PDQ" in html
    assert not passages(html)
    assert_no_inline_script(html)


@pytest.mark.parametrize("path", ["/", "/staff", "/?q=octreotide", "/healthz", "/readyz", "/api/search?q=octreotide",
                                  "/api/documents", "/openapi.json", "/docs", "/static/style.css"])
def test_every_get_address_answers_head_for_uptime_checks(client, path):
    """Load balancers and uptime checks probe with HEAD: /healthz and /readyz answered 405."""
    got, head = client.get(path), client.head(path)
    assert got.status_code == head.status_code == 200 and got.content and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("cache-control") == got.headers.get("cache-control")


def test_a_static_file_answers_head_itself_without_being_read(client, monkeypatch):
    """HEAD was turned into GET for static files too, which read the 1.7 MB API page script."""
    from starlette.staticfiles import StaticFiles

    asked = []
    real = StaticFiles.get_response

    async def spy(self, path, scope):
        asked.append(scope["method"])
        return await real(self, path, scope)
    monkeypatch.setattr(StaticFiles, "get_response", spy)
    resp = client.head("/static/swagger/swagger-ui-bundle.js")
    assert resp.status_code == 200 and resp.content == b"" and int(resp.headers["content-length"]) > 1_000_000
    assert asked == ["HEAD"]


def test_head_answers_as_get_does_when_refused(client):
    assert client.head("/api/search?k=0").status_code == client.get("/api/search?k=0").status_code == 422
    assert client.head("/no/such/page").status_code == 404
    assert client.head("/admin/reload").status_code == 404  # off by default: no such address


def test_a_browser_gets_a_page_for_an_address_that_is_not_there(client):
    browser = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    resp = client.get("/no/such/page", headers=browser)
    assert resp.status_code == 404 and resp.headers["content-type"].startswith("text/html")
    assert "Page not found" in resp.text and 'href="/"' in resp.text
    assert_no_inline_script(resp.text)
    # the API keeps its JSON errors, and so does a client that takes anything
    assert client.get("/api/nothing", headers=browser).json()["error"]["code"] == "not_found"
    assert client.get("/no/such/page").json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/", "/staff"])
def test_a_form_posted_to_a_page_gets_a_page_naming_the_method(client, path):
    browser = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    resp = client.post(path, data={"q": "carcinoid"}, headers=browser)
    assert resp.status_code == 405 and resp.headers["content-type"].startswith("text/html")
    assert "POST is not allowed here: this address takes GET, HEAD." in resp.text
    assert resp.headers["allow"] == "GET, HEAD" and 'href="/"' in resp.text
    assert_no_inline_script(resp.text)


def test_form_get_renders_cited_passages(client):
    resp = client.get("/", params={"q": ANSWERED})
    assert resp.status_code == 200
    html = resp.text
    found = passages(html)
    assert len(found) == 3
    for n, p in enumerate(found):
        path = crumbs(p)
        assert TITLE not in path  # the title is said once, above the first passage of its summary
        from_line = ('<p class="from">From <cite>Gastrointestinal Neuroendocrine Tumors Treatment</cite> '
                     '<span class="reviewed">· last reviewed 30 December 2025</span></p>')
        assert (from_line in p) == (n == 0)
        assert "Gastrointestinal Neuroendocrine Tumors Treatment (PDQ®)–Patient Version" not in path
        link = re.search(r'<a href="https://www\.cancer\.gov/types/gi-neuroendocrine-tumors/[^"]*" '
                         r'aria-label="([^"]+)">Read this on cancer\.gov</a>', p)
        assert link and unescape(link.group(1)) == f"Read this on cancer.gov: {path[-1]}"
        assert '<blockquote class="text"' in p
    assert any(crumbs(p)[-1] == "Rectum" for p in found)
    assert "<mark>" in html
    assert "Blood in the stool." in html  # verbatim from the document
    assert_no_inline_script(html)


def test_the_count_of_passages_is_said_in_good_english(client, monkeypatch):
    """A summary with one matching passage said "The 1 passage that best match your
    question" (from a new user's trial)."""
    three = client.get("/", params={"q": ANSWERED}).text
    assert "The 3 passages that best match your question." in three
    monkeypatch.setattr("service.pages.PATIENT_PASSAGES", 1)
    one = client.get("/", params={"q": ANSWERED}).text
    assert len(passages(one)) == 1
    assert "The passage that best matches your question." in one and "The 1 passage" not in one


def test_headings_are_in_order(client):
    html = client.get("/", params={"q": ANSWERED}).text
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_a_question_of_no_letters_is_told_so_not_to_type_one(client):
    """"???" was answered "Please type a question in the box." while the box showed "???"
    (from a new user's trial); a blank question still gets that line."""
    marks = client.get("/", params={"q": "???"})
    assert marks.status_code == 200 and "has no letters or numbers to search for" in marks.text
    assert "Please type a question in the box." in client.get("/", params={"q": "  "}).text


def test_blank_question_asks_for_one(client):
    resp = client.get("/", params={"q": " \x00 "})
    assert resp.status_code == 200
    assert "Please type a question" in resp.text and not passages(resp.text)


def test_where_a_lead_in_continues_is_a_link_to_each_sub_section(client, retriever):
    html = client.get("/", params={"q": "what are the signs of a GI carcinoid tumor, when should I check "
                                        "with my doctor"}).text
    continues = re.search(r'<p class="continues">Continues under: (.*?)</p>', html)
    assert continues, "the lead-in passage is among the first three"
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', continues.group(1))
    assert [name for _, name in links] == ["Duodenum", "Jejunum and ileum", "Colon", "Rectum"]
    first = {c.heading_path[-1]: c for c in reversed(retriever.chunks)}  # each sub-section's first passage
    assert [unescape(href) for href, _ in links] == [retriever.links[first[n].id] for _, n in links]
    api = client.get("/api/search", params={"q": "what are the signs of a GI carcinoid tumor, when should I "
                                                 "check with my doctor"}).json()
    lead_in = next(r for r in api["results"] if r["continues_in"])
    assert lead_in["continues_at"] == [unescape(href) for href, _ in links]


def test_two_questions_in_one_link_are_refused_and_a_tracker_s_parameter_is_not(client):
    """The API refuses a repeated q; the page answered the last one silently."""
    twice = client.get("/", params=[("q", "carcinoid"), ("q", "xylophone")])
    assert twice.status_code == 422 and "Please ask one question at a time." in twice.text
    assert not passages(twice.text)
    # neither was searched, so neither is shown as the question: not in the title, not in the box
    assert "xylophone" not in twice.text and "carcinoid" not in twice.text.split("</title>")[0]
    staff = client.get("/staff", params=[("q", "carcinoid"), ("q", "xylophone")])
    assert staff.status_code == 422 and "xylophone" not in staff.text
    shared = client.get("/", params={"q": "what is octreotide", "utm_source": "newsletter"})
    assert shared.status_code == 200 and passages(shared.text)


def test_the_same_value_twice_in_a_link_asks_one_thing(client, retriever):
    seed = next(iter(retriever.manifest.documents))
    page = client.get("/", params=[("q", "what is octreotide"), ("doc", seed), ("doc", seed)])
    assert page.status_code == 200 and passages(page.text)
    api = client.get("/api/search", params=[("q", "octreotide"), ("q", "octreotide"), ("k", "2"), ("k", "2")])
    assert api.status_code == 200 and len(api.json()["results"]) == 2


def test_an_unknown_summary_in_a_link_on_a_one_summary_index_offers_no_list(client):
    """There the page has no summary list to choose from."""
    html = client.get("/", params={"q": "carcinoid", "doc": "nope"}).text
    assert "That summary is not one we search. Please ask without choosing one." in html
    assert "choose one from the list" not in html
    twice = client.get("/", params=[("q", "carcinoid"), ("doc", "a"), ("doc", "b")]).text
    assert "Please ask without choosing a summary." in twice


def test_too_long_question_is_refused_on_the_page(client):
    resp = client.get("/", params={"q": "why " * 400})
    assert resp.status_code == 422
    assert "too long" in resp.text and not passages(resp.text)
    assert "1,000 characters or fewer" in resp.text  # the page's message says the limit too


@pytest.mark.parametrize("payload, shown", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('"><img src=x onerror=alert(1)>', "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"),
    ("<svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("{{ 7*7 }}", "{{ 7*7 }}"),  # user text is data, never a template
])
@pytest.mark.parametrize("path", ["/", "/staff"])
def test_user_text_is_escaped(client, path, payload, shown):
    html = client.get(path, params={"q": payload}).text
    assert f'value="{shown}"' in html
    for raw in ("<script>alert", "<img src=x", "<svg", '"><img'):
        assert raw not in html
    assert_no_inline_script(html)


def test_script_payload_appears_escaped_in_the_answer(client):
    html = client.get("/", params={"q": "<script>alert(1)</script>"}).text
    assert "<q>&lt;script&gt;alert(1)&lt;/script&gt;</q>" in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_document_text_is_escaped_segment_by_segment(make_client, retriever):
    """Highlights are marked up around escaped text, even for hostile document text."""
    text = 'Safe start. <img src=x onerror=alert(1)> & "quoted" </mark><script>x()</script> end.'
    chunk = Chunk(id=f"{DOC_ID}#9999", doc_id=DOC_ID, source="x.md", title=TITLE,
                  url="javascript:alert(1)", heading_path=[TITLE, "<b>Bold</b> heading"], section="s", text=text)
    hit = Hit(rank=1, score=0.5, chunk=chunk, link="javascript:alert(2)",
              highlights=[Span(12, 40), Span(30, 60), Span(500, 900)])

    def hostile(query, k, mode, filters):
        return SearchResult(query=query, hits=[hit], abstained=False, mode=mode, confidence=0.9)

    c = make_client(FakeRetriever(retriever, hostile))
    for path in ("/", "/staff"):
        html = c.get(path, params={"q": "anything"}).text
        assert "<img src=x" not in html and "<script>x()" not in html and "<b>Bold" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "&lt;b&gt;Bold&lt;/b&gt; heading" in html
        assert "javascript:" not in html  # unsafe links are dropped, not rendered
        body = re.search(r'<blockquote class="text"[^>]*>\s*<p>(.*?)</p>\s*</blockquote>', html, re.S).group(1)
        plain = re.sub(r"</?(mark|b class=\"term\"|b)>", "", body)
        assert unescape(plain) == text
        assert body.count("<mark>") == 1  # overlapping spans merged, out-of-range span dropped


def test_no_inline_script_on_any_page(client):
    for path, params in (("/", {}), ("/", {"q": ANSWERED}), ("/", {"q": OFF_TOPIC}), ("/staff", {}),
                         ("/staff", {"q": ANSWERED}), ("/staff", {"q": "x", "k": "0"})):
        assert_no_inline_script(client.get(path, params=params).text)


def test_the_question_stays_out_of_the_page_title(client):
    """A trial's family noted the question in every tab and history title of a shared computer."""
    answered = client.get("/", params={"q": "what is octreotide"}).text
    refused = client.get("/", params={"q": "how do I fix a flat bicycle tyre"}).text
    assert re.search(r"<title>Answers – Ask about cancer", answered) and "octreotide" not in title(answered)
    assert re.search(r"<title>No answer found – Ask about cancer", refused) and "tyre" not in title(refused)


def title(html: str) -> str:
    return html.split("<title>", 1)[1].split("</title>", 1)[0]
