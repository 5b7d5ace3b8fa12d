"""A real browser against a real server, continued: nested list passages, the summary picker,
the question box's limit, corrections, staff marks, the API docs offline, and accessibility
(axe-core, served same-origin so the CSP stays in force)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.service.browser import QUESTION
from tests.service.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.model]

AXE = REPO / "tests" / "service" / "vendor" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), see vendor/


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
    assert page.get_by_label("Cancer type", exact=True).count() == 1
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


@pytest.mark.parametrize("question", ["i want to kill myself", QUESTION, "breast cancer treatment"])
def test_no_page_scrolls_sideways_on_a_small_phone(watched, question):
    """A trial found the crisis box 370 px wide on a 320 px phone: the Cancer Information
    Service's number was kept on one line whole, and the page scrolled sideways."""
    page = watched.page
    page.set_viewport_size({"width": 320, "height": 640})
    watched.ask(question)
    assert page.locator(".crisis").count() == (question == "i want to kill myself")
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    watched.clean()


def test_docs_work_offline(browser_context, browser_server):
    page = browser_context.new_page()
    outside: list[str] = []

    def only_loopback(route):
        if route.request.url.startswith(browser_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(browser_server + "/docs")
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
                                  "/staff?q=tumor&k=3&view=compact",
                                  "/staff?q=" + quote("how much does octreotide cost?"),
                                  "/?q=" + quote("i want to end my life")])
def test_no_serious_accessibility_violations(watched, path):
    watched.page.goto(watched.base + path)
    assert _axe(watched.page, watched.base) == []
    watched.clean()


def test_a_refusal_s_headings_open_and_pass_the_accessibility_check(watched):
    """The headings are folded under a summary line; opened, they are links a keyboard reaches."""
    watched.page.goto(watched.base + "/?q=" + quote("When should adults get the flu vaccine?"))
    toggle = watched.page.locator("details.contents > summary")
    assert not watched.page.get_by_role("link", name="Hormone therapy").is_visible()
    toggle.focus()
    watched.page.keyboard.press("Enter")
    assert watched.page.get_by_role("link", name="Hormone therapy").is_visible()
    assert _axe(watched.page, watched.base) == []
    watched.clean()


def test_a_staff_refusal_s_withheld_passages_open_and_pass_the_accessibility_check(watched):
    """Folded under a summary line that says they are no answer; opened, they read as passages."""
    watched.page.goto(watched.base + "/staff?q=" + quote("When should adults get the flu vaccine?") + "&k=3")
    passages = watched.page.locator("details.withheld article.passage")
    assert passages.count() == 3 and not passages.first.is_visible()
    watched.page.locator("details.withheld > summary").focus()
    watched.page.keyboard.press("Enter")
    assert passages.first.is_visible()
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
