"""What the browser tests share: Debian's chromium and its flags, the lay question they ask,
a stand-in retriever over three summaries, and a page that records what it should not do."""

from __future__ import annotations

import dataclasses

from retriever.models import SearchResult, Span
from tests.service.conftest import MANY, FakeRetriever, _hit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions"]
# A lay question; the seed document answers it under "... no signs or symptoms in the
# early stages. > Rectum" (blood in the stool, pain in the rectum, constipation).
QUESTION = "what are the signs of a carcinoid tumor in the rectum?"
EXPECTED_HEADING = "Rectum"
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


MISSING = (f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) "
           "to run the browser tests")


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
