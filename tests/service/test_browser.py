"""A real browser (Debian's chromium through Playwright) against a real uvicorn server.

Checks what only a browser can: typing and pressing Enter, what is rendered as text and
what runs as script (no dialog may ever open), keyboard focus, the copy button, the
Content-Security-Policy in force, and the layout on a phone-sized screen.

Set ``PDQ_SCREENSHOT=1`` to refresh ``docs/screenshot-answer.png``.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from urllib.parse import quote

import pytest
import uvicorn

from service.app import create_app

from tests.service.conftest import REPO, TITLE_HEADING

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


@pytest.fixture(scope="module")
def server(base_settings, retriever):
    """uvicorn on 127.0.0.1 in a thread, on a socket bound before it starts (no port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(base_settings, retriever), host="127.0.0.1", port=port,
                            log_level="warning", access_log=False, lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(15)
    sock.close()


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
    assert all(c.startswith("Gastrointestinal Neuroendocrine Tumors Treatment - NCI") for c in crumbs)
    assert all(TITLE_HEADING not in c for c in crumbs)  # the title is not repeated
    answer = [c for c in crumbs if c.rstrip().endswith(EXPECTED_HEADING)]
    assert answer, crumbs
    texts = page.locator("article.passage blockquote").all_inner_texts()
    assert any("Blood in the stool." in t for t in texts)
    assert page.locator("article.passage mark").count() >= 1
    links = page.get_by_role("link", name="Read this on cancer.gov")
    assert links.count() == 3
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


def test_script_is_shown_as_text_and_never_runs(watched):
    page = watched.page
    for payload in XSS:
        watched.ask(payload)
        assert page.locator(".you-asked q").inner_text() == payload
        assert page.get_by_label("Your question").input_value() == payload
        assert page.locator("img, svg, iframe").count() == 0
        assert page.locator("script").count() == 0
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
