"""A real browser (Debian's chromium through Playwright) against a real uvicorn server.

Checks what only a browser can: typing and pressing Enter, what is rendered as text and
what runs as script (no dialog may ever open), keyboard focus, the copy button, the
Content-Security-Policy in force, and the layout on a phone-sized screen.

Set ``PDQ_SCREENSHOT=1`` to refresh ``docs/screenshot-answer.png``.
"""

from __future__ import annotations

import dataclasses
import os
from urllib.parse import quote

import pytest

from retriever.models import SearchResult, Span
from service.app import create_app
from tests.service.conftest import MANY, REPO, TITLE_HEADING, FakeRetriever, _hit, serving

pytestmark = [pytest.mark.browser, pytest.mark.model]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions"]
# A lay question; the seed document answers it under "... no signs or symptoms in the
# early stages. > Rectum" (blood in the stool, pain in the rectum, constipation).
QUESTION = "what are the signs of a carcinoid tumor in the rectum?"
EXPECTED_HEADING = "Rectum"
XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
       "<svg onload=alert(1)>", "'><script>alert(document.domain)</script>", "<iframe src=javascript:alert(1)>"]
SCREENSHOT = REPO / "docs" / "screenshot-answer.png"
AXE = REPO / "tests" / "service" / "vendor" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), see vendor/
NESTED = ("Treatment may include:\n\n- Surgery (resection) for tumors that are larger than 2 centimeters. "
          "This may be either:\n  - surgery to remove part of the rectum; or\n  - surgery to remove the anus."
          "\n- Hormone therapy.")


def many_summaries(real):
    """A stand-in retriever over three summaries; each passage is NESTED, the inner item marked."""
    def search(query, k, mode, filters):
        docs = list(filters.doc_ids) if filters and filters.doc_ids else list(MANY)
        hits = []
        for i, d in enumerate((docs * 4)[:k]):
            h = _hit(d, i + 1, MANY[d].title)
            start = NESTED.index("surgery to remove part")
            chunk = dataclasses.replace(h.chunk, text=NESTED)
            hits.append(dataclasses.replace(h, chunk=chunk, highlights=[Span(start, start + 40)]))
        return SearchResult(query=query, hits=hits, abstained=False, mode=mode, confidence=0.9)

    fake = FakeRetriever(real, search)
    fake.manifest = dataclasses.replace(real.manifest, documents=MANY)
    return fake


@pytest.fixture(scope="module")
def server(base_settings, retriever):
    yield from _serve(create_app(base_settings, retriever))


@pytest.fixture(scope="module")
def many_server(base_settings, retriever):
    """A three-summary index whose passages are nested lists (a stand-in retriever)."""
    yield from _serve(create_app(base_settings, many_summaries(retriever)))


def _serve(app):
    with serving(app) as base:
        yield base


MISSING = (f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) "
           "to run the browser tests")


def test_chromium_is_installed():
    """Fails (never skips) without the browser: CI installs it, so its absence is a bug."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(MISSING)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_ARGS, viewport={"width": 1024, "height": 768}, locale="en-US")
        context.set_default_timeout(30_000)
        yield context
        context.close()


class Watched:
    """A page plus everything it did that it should not have: dialogs, errors, CSP reports."""

    def __init__(self, context, base: str):
        self.base = base
        self.page = context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def ask(self, question: str, path: str = "/"):
        self.page.goto(self.base + path)
        box = self.page.get_by_label("Your question" if path == "/" else "Search text")
        box.fill(question)
        with self.page.expect_navigation():
            box.press("Enter")
        self.page.wait_for_load_state("load")

    def clean(self):
        assert self.dialogs == [], self.dialogs
        assert self.errors == [], self.errors


@pytest.fixture
def watched(browser_context, server):
    w = Watched(browser_context, server)
    yield w
    w.page.close()


def test_a_lay_question_gets_a_cited_passage(watched, tmp_path):
    page = watched.page
    watched.ask(QUESTION)
    assert "q=" in page.url
    passages = page.locator("article.passage")
    assert passages.count() == 3
    crumbs = page.locator("article.passage .crumbs").all_inner_texts()
    assert page.locator("article.passage .from").all_inner_texts() == [
        "From Gastrointestinal Neuroendocrine Tumors Treatment"]  # the title once, not per passage
    assert all(TITLE_HEADING not in c and "Neuroendocrine Tumors Treatment - NCI" not in c for c in crumbs)
    answer = [c for c in crumbs if c.rstrip().endswith(EXPECTED_HEADING)]
    assert answer, crumbs
    texts = page.locator("article.passage blockquote").all_inner_texts()
    assert any("Blood in the stool." in t for t in texts)
    assert "Blood in the stool." in page.locator("article.passage blockquote ul > li").all_inner_texts()
    assert not any(line.lstrip().startswith("- ") for t in texts for line in t.splitlines())
    assert page.locator("article.passage mark").count() >= 1
    links = page.get_by_role("link", name="Read this on cancer.gov")
    assert links.count() == 3
    assert page.get_by_role("link", name=f"Read this on cancer.gov: {EXPECTED_HEADING}", exact=True).count() == 1
    assert page.evaluate("document.activeElement.id") == "answers-heading"  # focus moved to the answer
    assert links.first.get_attribute("href").startswith("https://www.cancer.gov/types/gi-neuroendocrine-tumors/")
    assert page.get_by_label("Your question").input_value() == QUESTION
    assert "not medical advice" in page.inner_text("body")
    page.screenshot(path=str(SCREENSHOT if os.environ.get("PDQ_SCREENSHOT") == "1" else tmp_path / "answer.png"),
                    full_page=True)
    watched.clean()


def test_an_off_topic_question_gets_the_kind_message(watched):
    watched.ask("When should adults get the flu vaccine?")
    page = watched.page
    assert page.locator("article.passage").count() == 0
    message = page.locator(".abstain").inner_text()
    assert "1-800-4-CANCER" in message
    watched.clean()


def test_a_passage_ending_on_a_lead_in_says_where_it_continues(watched):
    watched.ask("what are the signs of a GI carcinoid tumor, when should I check with my doctor")
    page = watched.page
    lead_in = page.locator("article.passage", has_text="Check with your doctor if you have:")
    assert lead_in.count() >= 1
    assert lead_in.first.locator("p.continues").inner_text() == (
        "Continues under: Duodenum, Jejunum and ileum, Colon, Rectum")
    for text in page.locator("article.passage blockquote").all_inner_texts():
        assert not text.rstrip().endswith(":") or "Check with your doctor if you have:" in text
    watched.clean()


def test_a_refused_figure_question_shows_the_related_passage_apart(watched):
    watched.ask("what is the survival rate")
    page = watched.page
    assert page.locator("#answers-heading").inner_text().startswith("We could not find an answer")
    related = page.locator("section.related")
    assert related.locator("#related-heading").inner_text() == "This doesn't answer your exact question, but may help"
    assert related.locator("article.passage").count() == 1
    assert "prognosis" in related.locator("article.passage").inner_text().lower()
    assert page.locator("ol.passages").count() == 0  # never shown as an answer
    watched.clean()


def test_script_is_shown_as_text_and_never_runs(watched):
    page = watched.page
    for payload in XSS:
        watched.ask(payload)
        assert page.locator(".you-asked q").inner_text() == payload
        assert page.get_by_label("Your question").input_value() == payload
        assert page.locator("img, svg, iframe").count() == 0
        assert page.locator("script:not([src^='/static/'])").count() == 0  # only the page's own files
    for payload in XSS:  # straight from a crafted link, on both pages
        for path in ("/?q=", "/staff?q="):
            page.goto(watched.base + path + quote(payload))
            assert page.locator("img, svg, iframe").count() == 0
    page.wait_for_timeout(300)  # give any stray handler a chance to fire
    watched.clean()


def test_keyboard_reaches_the_box_and_the_button(watched):
    page = watched.page
    page.goto(watched.base + "/")
    reached = []
    for _ in range(8):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        if reached[-1] == "BUTTON":
            break
    assert "q" in reached and reached[-1] == "BUTTON", reached
    assert reached.index("q") == len(reached) - 2  # the button right after the box
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                            " return [s.outlineStyle, s.outlineWidth]; })()")
    assert outline[0] != "none" and outline[1] != "0px", outline  # a visible focus ring
    page.keyboard.type(QUESTION)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("article.passage").count() == 3
    watched.clean()


def test_readable_on_a_phone(watched):
    page = watched.page
    page.set_viewport_size({"width": 360, "height": 740})
    watched.ask(QUESTION)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('blockquote')).fontSize)")
    assert size >= 16
    watched.clean()


def test_staff_copy_citation(watched, browser_context):
    page = watched.page
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=watched.base)
    page.goto(watched.base + "/staff?q=" + quote(QUESTION) + "&k=5&mode=keyword")
    assert page.locator("article.passage").count() == 5
    button = page.get_by_role("button", name="Copy citation").first
    assert button.is_visible()  # revealed by /static/copy.js (hidden without script)
    expected = page.locator("p.citation").first.inner_text()
    assert expected.startswith("Gastrointestinal Neuroendocrine Tumors Treatment - NCI — ")
    button.click()
    page.wait_for_function("document.getElementById('copy-status').textContent.includes('copied')")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    watched.clean()


def test_pages_obey_the_content_security_policy(watched):
    page = watched.page
    for path in ("/", "/?q=" + quote(QUESTION), "/staff?q=tumor"):
        response = page.goto(watched.base + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""  # stylesheet applied
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
            == "rgb(11, 74, 139)"
    watched.clean()  # no CSP violation was reported on the console


# -- lists, summaries, staff marks, docs offline, accessibility ---------------------------


@pytest.fixture
def many(browser_context, many_server):
    w = Watched(browser_context, many_server)
    yield w
    w.page.close()


def test_nested_lists_render_as_nested_lists_with_marks(many):
    page = many.page
    page.goto(many.base + "/?q=" + quote("surgery for breast cancer"))
    first = page.locator("article.passage").first
    assert first.locator("blockquote > ul > li").count() == 2
    inner = first.locator("blockquote > ul > li > ul > li")
    assert inner.all_inner_texts() == ["surgery to remove part of the rectum; or", "surgery to remove the anus."]
    assert first.locator("ul ul li mark").inner_text() == "surgery to remove part of the rectum; or"
    assert "- " not in first.locator("blockquote").inner_text()
    many.clean()


def test_summary_picker_and_choices(many):
    page = many.page
    page.goto(many.base + "/")
    assert page.locator(".scope").inner_text() == "Searching 3 NCI summaries."
    picker = page.get_by_label("Summary to search (optional)")
    assert picker.locator("optgroup").evaluate_all("gs => gs.map(g => g.label)") == [
        "Cancer treatment", "Screening", "Complementary and alternative medicine"]
    many.ask("what are the side effects of surgery")
    assert page.get_by_role("heading", name="Which summary do you mean?").is_visible()
    assert page.locator("article.passage").count() == 0
    with page.expect_navigation():
        page.get_by_role("link", name="Acupuncture").click()
    assert "doc=acupuncture" in page.url and page.locator("article.passage").count() == 3
    assert page.get_by_label("Summary to search (optional)").input_value() == "acupuncture"
    page.goto(many.base + "/")
    page.get_by_label("Summary to search (optional)").select_option("colon-screening")
    many_box = page.get_by_label("Your question")
    many_box.fill("what are the side effects of surgery")
    with page.expect_navigation():
        many_box.press("Enter")
    assert "doc=colon-screening" in page.url
    assert page.locator(".scope").inner_text().startswith("Searching one summary: Colorectal Cancer Screening")
    many.clean()


def test_question_box_says_its_limit_and_ties_the_error(watched):
    page = watched.page
    page.goto(watched.base + "/")
    box = page.get_by_label("Your question")
    assert "1,000 characters" in page.locator("#q-limit").inner_text()
    box.fill("x" * 1200)
    assert len(box.input_value()) == 1000  # the browser cuts it, and the page said so
    watched.ask("   ")
    box = page.get_by_label("Your question")
    described = box.get_attribute("aria-describedby").split()
    assert described[0] == "q-error"
    assert page.locator("#q-error").inner_text() == "Please type a question in the box."
    assert page.evaluate("document.activeElement.id") == "q"
    watched.clean()


def test_corrections_are_said(watched):
    watched.ask("carcinoyd apendix treatment")
    assert watched.page.locator(".corrected").inner_text() == \
        "Showing results for carcinoid appendix treatment."  # <q> quotes are CSS, not text
    watched.clean()


def test_staff_marks_query_words_and_compact_list(watched):
    page = watched.page
    page.goto(watched.base + "/staff?q=" + quote("carcinoid rectum") + "&k=3")
    terms = page.locator("article.passage b.term")
    assert terms.count() >= 1
    assert {t.lower() for t in terms.all_inner_texts()} <= {"carcinoid", "rectum"}
    mark_bg = page.evaluate("getComputedStyle(document.querySelector('article.passage mark')).backgroundColor")
    term_style = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('article b.term'));"
                               " return [s.textDecorationLine, s.backgroundColor]; })()")
    assert term_style[0] == "underline" and term_style[1] != mark_bg  # told apart from highlights
    assert "ranking score" in page.locator(".meta").first.inner_text()
    assert page.get_by_label("Related cancer type (in the summary's metadata)").count() == 1
    page.get_by_label("Show").select_option("compact")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert page.locator("article.passage .snippet").count() == 3
    assert page.locator("article.passage blockquote").count() == 0
    watched.clean()


def test_breadcrumbs_stay_compact_on_a_phone(watched):
    page = watched.page
    page.set_viewport_size({"width": 360, "height": 740})
    watched.ask(QUESTION)
    crumbs = page.locator("article.passage .crumbs").first
    height = crumbs.evaluate("e => e.getBoundingClientRect().height")
    line = crumbs.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert height <= 3 * line + 1, (height, line)
    assert crumbs.locator(".crumb").last.is_visible()
    watched.clean()


def test_docs_work_offline(browser_context, server):
    page = browser_context.new_page()
    outside: list[str] = []

    def only_loopback(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/search" in paths and "/api/documents" in paths
    assert outside == [] and errors == [], (outside, errors)
    page.close()


def _axe(page, base: str) -> list[str]:
    """Serious and critical axe-core violations of the page, axe served as if same-origin.

    The page's CSP allows only its own scripts, so axe is fulfilled from a routed
    same-origin URL rather than injected inline (the CSP stays in force).
    """
    page.route(base + "/__axe.js", lambda route: route.fulfill(
        body=AXE.read_text(encoding="utf-8"), content_type="text/javascript"))
    page.add_script_tag(url=base + "/__axe.js")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes']]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", ["/", "/?q=" + quote(QUESTION),
                                  "/?q=" + quote("When should adults get the flu vaccine?"),
                                  "/staff", "/staff?q=" + quote("carcinoid rectum") + "&k=3",
                                  "/staff?q=tumor&k=3&view=compact"])
def test_no_serious_accessibility_violations(watched, path):
    watched.page.goto(watched.base + path)
    assert _axe(watched.page, watched.base) == []
    watched.clean()


def test_no_serious_accessibility_violations_with_the_summary_picker(many):
    for path in ("/", "/?q=" + quote("what are the side effects of surgery")):
        many.page.goto(many.base + path)
        assert _axe(many.page, many.base) == []
    many.clean()


def test_the_accessibility_check_can_fail(watched):
    """The axe harness reports a real violation (a button with no name), so a pass means something."""
    watched.page.set_content("<!doctype html><html lang='en'><title>t</title><main><button></button></main></html>")
    assert any(v.startswith("button-name (critical)") for v in _axe(watched.page, watched.base))
