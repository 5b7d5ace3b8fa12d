"""A summary's headings offered beside a refusal (`service.contents`), and the page that shows them."""

import dataclasses
import re
from html import unescape

import pytest

from retriever.models import SearchResult
from service.contents import Topic, build_contents
from tests.service.conftest import ANSWERED, DOC_ID, MANY, FakeRetriever


def test_headings_nest_in_the_summary_s_order_each_linked_to_its_own_first_passage():
    """One without a passage of its own is not linked: a patient's trial found "General
    Information About…" and the section under it opening the same place."""
    paths = [(("Overview", "Key facts"), "l1"), (("Overview", "Key facts"), "l2"), (("Overview", "Risks"), "l3"),
             (("Treatment", "Surgery", "Open surgery"), "l4"), (("Treatment",), "l5"), (("About",), "l6")]
    assert build_contents(paths) == (
        Topic("Overview", "", (Topic("Key facts", "l1"), Topic("Risks", "l3"))),
        Topic("Treatment", "l5", (Topic("Surgery", "", (Topic("Open surgery", "l4"),)),)),
        Topic("About", "l6"))
    assert build_contents([]) == ()


def _links(html: str) -> list[tuple[str, str]]:
    block = html.split('<details class="contents">', 1)[1].split("</details>", 1)[0]
    return [(href, unescape(text)) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)]


@pytest.mark.model
def test_a_refusal_offers_the_summary_s_headings_to_browse(client):
    """Among them the sections that answer what the search misses: "Hormone therapy" for
    "the shot in the bum every month", the prognosis section for "will my husband get
    through this"."""
    html = client.get("/", params={"q": "how many hours of sleep does a teenager need"}).text
    assert "The NCI summary we search doesn't seem to answer this question" in html
    assert "See what this summary covers" in html
    links = _links(html)
    headings = [text for _, text in links]
    assert "Hormone therapy" in headings and "Key Points" not in headings
    assert "Certain factors affect prognosis (chance of recovery) and treatment options." in headings
    assert all(href.startswith("https://www.cancer.gov/") for href, _ in links)
    assert headings[0] == "A gastrointestinal neuroendocrine tumor is cancer that forms in the lining of the " \
        "gastrointestinal tract." and len(set(href for href, _ in links)) == len(links)
    assert "<li>General Information About Gastrointestinal Neuroendocrine Tumors<ul>" in html
    assert "See what this summary covers" not in client.get("/", params={"q": ANSWERED}).text


@pytest.mark.model
def test_only_a_search_of_one_summary_offers_its_headings(make_client, retriever):
    """Over several summaries a refusal names no one summary to browse; with one picked, it does."""
    def refuse(query, k, mode, filters):
        return SearchResult(query=query, hits=[], abstained=True, mode=mode, confidence=0.1)
    fake = FakeRetriever(retriever, refuse)
    fake.manifest = dataclasses.replace(retriever.manifest, documents={**MANY, **retriever.manifest.documents})
    c = make_client(fake)
    wide = c.get("/", params={"q": "what foods should I avoid"}).text
    assert "See what this summary covers" not in wide
    assert "The NCI summaries we search don't seem to answer this question" in wide
    picked = c.get("/", params={"q": "what foods should I avoid", "doc": DOC_ID}).text
    assert "See what this summary covers" in picked and len(_links(picked)) > 20
    # the refusal says which summary did not answer, as the search was of that one alone
    assert "The summary <cite>Gastrointestinal Neuroendocrine Tumors Treatment</cite> doesn't seem" in picked
