"""The pieces the pages are built from: breadcrumbs, marked segments, list passages, review
dates, the summary catalog and picker, and which words are marked."""

from __future__ import annotations

import dataclasses
import re
from html import unescape

import pytest

from retriever.models import Chunk, Hit, SearchResult, Span
from service.gaps import phrases_not_found
from service.passage_text import ListBlock, passage_blocks, segments
from service.presentation import breadcrumb, repeats_title, review_date
from service.summaries import build_catalog, choices, names_a_subject
from tests.service.conftest import ANSWERED, MANY, TITLE, FakeRetriever, _hit, crumbs, passages

pytestmark = pytest.mark.model


def test_breadcrumb_drops_a_first_heading_that_repeats_the_title():
    assert repeats_title("Gastrointestinal Neuroendocrine Tumors Treatment (PDQ®)–Patient Version", TITLE)
    assert not repeats_title("General Information About Gastrointestinal Neuroendocrine Tumors", TITLE)
    assert breadcrumb(TITLE, [TITLE, "A", "B"]) == [TITLE, "A", "B"]
    assert breadcrumb(TITLE, ["Treatment (PDQ®)", "A"]) == [TITLE, "Treatment (PDQ®)", "A"]
    assert breadcrumb(TITLE, ["A", TITLE]) == [TITLE, "A", TITLE]
    # a PDQ page's top heading names the page even where its title words it otherwise
    title = "Childhood Medulloblastoma & Other CNS Embryonal Tumors Treatment - NCI"
    top = "Childhood Medulloblastoma and Other Central Nervous System Embryonal Tumors Treatment (PDQ®)–Patient Version"
    assert breadcrumb(title, [top, "Stages", "Key Points"]) == [title, "Stages", "Key Points"]
    assert not repeats_title("About This PDQ Summary", title)


@pytest.mark.parametrize("spans", [[], [(0, 5)], [(3, 8), (1, 4)], [(-5, 3), (8, 99)], [(5, 5), (7, 2)],
                                   [{"start": 2, "end": 6}]])
def test_segments_always_rebuild_the_text(spans):
    text = "0123456789"
    spans = [s if isinstance(s, dict) else Span(*s) for s in spans]
    parts = segments(text, spans)
    assert "".join(s for s, _ in parts) == text
    assert all(s for s, _ in parts)
    assert all(not (a[1] and b[1]) for a, b in zip(parts, parts[1:]))  # marks never touch


def test_list_passages_render_as_html_lists(client):
    html = client.get("/", params={"q": ANSWERED}).text
    rectum = next(p for p in passages(html) if crumbs(p)[-1] == "Rectum")
    items = re.findall(r"<li>(.*?)</li>", rectum.split("<ul>", 1)[1].split("</ul>", 1)[0])
    assert [re.sub(r"</?mark>", "", i) for i in items] == ["Blood in the stool.", "Pain in the rectum.",
                                                           "Constipation."]
    assert "- Blood" not in rectum  # the marker is the list's, not text


def test_passage_blocks_keep_nesting_order_and_marks():
    text = "Lead in:\n\n- a\n  - a1\n  - a2\n- b\n\n3. three\n4. four\n\nAfter."
    blocks = passage_blocks(text, [(text.index("a1"), text.index("a1") + 2)])
    assert [b.kind for b in blocks] == ["paragraph", "list", "list", "paragraph"]
    bullets, numbers = blocks[1], blocks[2]
    assert isinstance(bullets, ListBlock) and not bullets.ordered
    assert ["".join(s.text for s in i.segments) for i in bullets.items] == ["a", "b"]
    inner = bullets.items[0].lists[0]
    assert [[(s.text, s.best) for s in i.segments] for i in inner.items] == [[("a1", True)], [("a2", False)]]
    assert numbers.ordered and numbers.start == 3 and len(numbers.items) == 2


@pytest.mark.parametrize("iso, shown", [("2025-12-30", "30 December 2025"), ("2024-01-05", "5 January 2024"),
                                        ("", ""), ("last spring", ""), ("20251230", ""), ("2025-12-30 08:00", "")])
def test_review_dates_are_written_out(iso, shown):  # an index built before ingest checked dates holds any text
    assert review_date(iso) == shown


def test_the_api_serves_no_review_date_an_old_index_holds_unchecked(make_client, retriever):
    def search(query, k, mode, filters):
        hit = _hit("breast-treatment", 1, "Breast Cancer Treatment")
        hit = dataclasses.replace(hit, chunk=dataclasses.replace(hit.chunk, last_reviewed="last spring"))
        return SearchResult(query=query, hits=[hit], abstained=False, mode=mode, confidence=0.9)

    body = make_client(FakeRetriever(retriever, search)).get("/api/search", params={"q": "surgery"}).json()
    assert body["results"][0]["last_reviewed"] == ""


def test_catalog_groups_and_subjects():
    cat = build_catalog(MANY)
    assert [(g, [s.title for s in ss]) for g, ss in cat.groups] == [
        ("Cancer treatment", ["Breast Cancer Treatment"]), ("Screening", ["Colorectal Cancer Screening"]),
        ("Complementary and alternative medicine", ["Acupuncture"])]
    assert names_a_subject("how is breast cancer treated", cat)
    assert not names_a_subject("what are the side effects of surgery", cat)
    hits = [_hit("breast-treatment", 1, "B"), _hit("acupuncture", 2, "A"), _hit("breast-treatment", 3, "B")]
    assert [s.doc_id for s in choices("side effects of surgery", hits, cat)] == ["breast-treatment", "acupuncture"]
    assert choices("breast surgery side effects", hits, cat) == []  # names its cancer: answer it
    assert choices("side effects", [hits[0], hits[2]], cat) == []  # one summary: answer it
    child = _hit("childhood-treatment", 0, "Childhood Cancer Treatment")
    offered = [s.doc_id for s in choices("side effects of surgery", [child, *hits], cat)]
    assert offered == ["breast-treatment", "acupuncture", "childhood-treatment"]  # a trial: adults' first
    asked = [s.doc_id for s in choices("side effects of surgery for my son", [child, *hits], cat)]
    assert asked == ["childhood-treatment", "breast-treatment", "acupuncture"]


def test_many_summaries_picker_and_choices(make_client, retriever):
    def spread(query, k, mode, filters):
        docs = list(filters.doc_ids) if filters and filters.doc_ids else list(MANY)
        hits = [_hit(d, i + 1, MANY[d].title) for i, d in enumerate(docs * 3)][:k]
        return SearchResult(query=query, hits=hits, abstained=False, mode=mode, confidence=0.9)

    fake = FakeRetriever(retriever, spread)
    fake.manifest = dataclasses.replace(retriever.manifest, documents=MANY)
    c = make_client(fake)
    home = c.get("/").text
    assert "Searching 3 NCI summaries." in home
    assert '<optgroup label="Screening">' in home and '<option value="acupuncture">Acupuncture</option>' in home
    html = c.get("/", params={"q": "what are the side effects of surgery"}).text
    assert "Which summary do you mean?" in html and not passages(html)
    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html)
    assert [t for _, t in links] == ["Breast Cancer Treatment", "Colorectal Cancer Screening", "Acupuncture"]
    assert unescape(links[0][0]) == "/?q=what%20are%20the%20side%20effects%20of%20surgery&doc=breast-treatment"
    chosen = c.get(unescape(links[2][0])).text
    assert len(passages(chosen)) == 3 and "Searching one summary: <cite>Acupuncture</cite>" in chosen
    assert '<option value="acupuncture" selected>' in chosen
    assert re.search(r'<a href="/\?q=what%20are[^"]*">Search all summaries</a>', chosen)
    # picked with no question yet: the link goes home, not to a search for nothing
    assert '<a href="/">Search all summaries</a>' in c.get("/", params={"doc": "acupuncture"}).text
    named = c.get("/", params={"q": "breast cancer surgery side effects"}).text
    assert len(passages(named)) == 3
    bad = c.get("/", params={"q": "surgery", "doc": "nope"})
    assert bad.status_code == 422 and "Please choose one from the list, or search them all." in bad.text
    twice = c.get("/", params=[("q", "surgery"), ("doc", "acupuncture"), ("doc", "breast-treatment")])
    assert twice.status_code == 422 and "Please choose one summary." in twice.text


def test_a_clinic_s_own_summaries_are_not_called_nci_s(make_client, retriever):
    """An operator's trial: a clinic's leaflets were "Searching 3 NCI summaries", "What NCI's
    information says", quoted "from the National Cancer Institute's PDQ summaries"."""
    clinic = {d: dataclasses.replace(e, url=e.url.replace("www.cancer.gov", "clinic.example.org"))
              for d, e in MANY.items()}
    assert build_catalog(MANY).from_nci and not build_catalog(clinic).from_nci
    assert not build_catalog({**MANY, "leaflet": dataclasses.replace(MANY["acupuncture"], url="")}).from_nci

    def answered(query, k, mode, filters):
        return SearchResult(query=query, hits=[_hit("acupuncture", 1, "Acupuncture")], abstained=False, mode=mode,
                            confidence=0.9)
    fake = FakeRetriever(retriever, answered)
    fake.manifest = dataclasses.replace(retriever.manifest, documents=clinic)
    html = unescape(make_client(fake).get("/", params={"q": "does acupuncture help", "doc": "acupuncture"}).text)
    said = re.sub(r"Call NCI's Cancer Information Service|talk with .*? at NCI's Cancer Information Service", "",
                  html)  # the contact line is the operator's setting (PDQ_CONTACT_NAME)
    assert "NCI" not in said and "National Cancer Institute" not in said
    assert "What the summaries say" in html and "from the summaries this site searches" in html
    home = unescape(make_client(fake).get("/").text)
    assert "Searching 3 summaries." in home and "<title>Ask about cancer</title>" in home


def test_query_words_are_marked_whatever_their_accents():
    from service.passage_text import term_spans

    text = "In Sézary syndrome, cancer cells are in the blood."
    for query in ("Sezary syndrome", "Sézary syndrome"):
        assert [text[a:b] for a, b in term_spans(text, query)] == ["Sézary", "syndrome"]


def test_a_word_typed_with_an_invisible_character_is_marked_and_shown_corrected():
    from service.passage_text import term_spans
    from service.presentation import corrected

    text = "Octreotide is given as an injection."
    assert [text[a:b] for a, b in term_spans(text, "octr\u00adeotide shots")] == ["Octreotide"]
    # the planner corrects the word it reads, invisible character dropped
    assert corrected("carci\u00adnod syndrome", {"carcinod": "carcinoid"}) == "carcinoid syndrome"
    assert corrected("carci\u00adnoid syndrome", {}) == ""  # nothing corrected: nothing to show


def test_query_words_are_marked_with_non_read_as_the_keyword_index_reads_it():
    from service.passage_text import term_spans

    text = "Hodgkin lymphoma and non-Hodgkin lymphoma differ."
    assert [text[a:b] for a, b in term_spans(text, "hodgkin")] == ["Hodgkin"]
    assert [text[a:b] for a, b in term_spans(text, "non hodgkins")] == ["non-Hodgkin"]


def test_a_quoted_phrase_counts_as_found_only_in_the_passages_shown():
    """The patient page shows three passages: a phrase held by a fourth is not shown, so it
    is said not found there, while the API, which returns all four, finds it."""
    chunks = [Chunk(id=f"d#{i}", doc_id="d", source="d.md", title="D", url="", heading_path=["S"], section="S",
                    text=text) for i, text in enumerate(["one", "two", "three", "watchful waiting is"])]
    result = SearchResult('"watchful waiting"', [Hit(rank=n, score=1.0, chunk=c, link="")
                                                 for n, c in enumerate(chunks, 1)], False, "hybrid")
    assert phrases_not_found(result.query, result, 3) == ["watchful waiting"]
    assert phrases_not_found(result.query, result) == []


def test_one_summary_picked_on_an_index_of_one_offers_no_other(client, retriever):
    """A trial followed "Search all summaries" on the seed's index, where there is no other."""
    (doc,) = retriever.manifest.documents
    for params in ({"doc": doc}, {"doc": doc, "q": "carcinoid surgery"}):
        html = client.get("/", params=params).text
        assert "Search all summaries" not in html and "Searching NCI&#39;s summary <cite>" in html
