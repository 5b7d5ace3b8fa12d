"""A real browser (Debian's chromium through Playwright) against a real uvicorn server.

Checks what only a browser can: typing and pressing Enter, what is rendered as text and
what runs as script (no dialog may ever open), keyboard focus, the copy button, the
Content-Security-Policy in force, and the layout on a phone-sized screen.

Set ``PDQ_SCREENSHOT=1`` to refresh ``docs/screenshot-answer.png``.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest

from tests.service.browser import CHROMIUM, EXPECTED_HEADING, MISSING, QUESTION
from tests.service.conftest import REPO, TITLE_HEADING

pytestmark = [pytest.mark.browser, pytest.mark.model]

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
       "<svg onload=alert(1)>", "'><script>alert(document.domain)</script>", "<iframe src=javascript:alert(1)>"]
SCREENSHOT = REPO / "docs" / "screenshot-answer.png"


def test_chromium_is_installed():
    """Fails (never skips) without the browser: CI installs it, so its absence is a bug."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(MISSING)


def test_a_lay_question_gets_a_cited_passage(watched, tmp_path):
    page = watched.page
    watched.ask(QUESTION)
    assert "q=" in page.url
    passages = page.locator("article.passage")
    assert passages.count() == 3
    crumbs = page.locator("article.passage .crumbs").all_inner_texts()
    assert page.locator("article.passage .from").all_inner_texts() == [
        "From Gastrointestinal Neuroendocrine Tumors Treatment · last reviewed 30 December 2025"]  # the title once
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
    assert lead_in.first.locator("p.continues a").count() == 4  # each opens the source at its sub-section
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
    # A caregiver's trial: the intro, box, hints and disclaimer filled the first screen, and
    # focus() left the results heading at its bottom edge; the answer now starts on it.
    heading = page.evaluate("document.getElementById('answers-heading').getBoundingClientRect().top")
    first = page.evaluate("document.querySelector('article.passage').getBoundingClientRect().top")
    assert 0 <= heading < 40 and first < 740 / 2, (heading, first)
    assert not page.locator("p.lede").is_visible()  # the intro, once a question is asked
    watched.ask("how many hours of sleep does a teenager need")  # a refusal: its box holds the phone number
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0 and page.locator(".abstain a.phone").is_visible()
    page.set_viewport_size({"width": 1280, "height": 740})
    watched.ask(QUESTION)
    assert page.evaluate("window.scrollY") == 0 and page.locator("p.lede").is_visible()  # a desktop stays put
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
