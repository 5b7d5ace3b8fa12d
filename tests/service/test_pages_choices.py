"""The patient page's "Which summary do you mean?": only summaries whose own search answers."""

import dataclasses
import re
import threading
import time

from retriever.models import SearchResult
from tests.service.conftest import MANY, FakeRetriever, _hit, passages

QUESTION = "what foods should I avoid"


def _refusing(*refuse: str, slow: tuple[str, ...] = ()):
    """A search over MANY whose own search of each summary in ``refuse`` says "not covered"
    (and of each in ``slow`` takes a second)."""
    def search(query, k, mode, filters):
        if filters and filters.doc_ids and set(filters.doc_ids) <= set(slow):
            time.sleep(1.0)
        docs = list(filters.doc_ids) if filters and filters.doc_ids else list(MANY)
        if filters and filters.doc_ids and set(docs) <= set(refuse):
            return SearchResult(query=query, hits=[], abstained=True, mode=mode, confidence=0.1)
        hits = [_hit(d, i + 1, MANY[d].title) for i, d in enumerate(docs * 3)][:k]
        return SearchResult(query=query, hits=hits, abstained=False, mode=mode, confidence=0.9)
    return search


def _many_client(make_client, retriever, search):
    fake = FakeRetriever(retriever, search)
    fake.manifest = dataclasses.replace(retriever.manifest, documents=MANY)
    return make_client(fake)


def test_the_picker_offers_only_summaries_that_answer(make_client, retriever):
    c = _many_client(make_client, retriever, _refusing("colon-screening"))
    html = c.get("/", params={"q": QUESTION}).text
    assert "Which summary do you mean?" in html
    assert [t for _, t in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html)] == [
        "Breast Cancer Treatment", "Acupuncture"]
    # what it knows: the question's words name none of these summaries; a trial's "my PSA is rising after my
    # prostatectomy" was told it "doesn't say which cancer", which it plainly does
    assert "we can't tell from its words which one you mean" in html and "doesn't say which cancer" not in html


def test_a_misspelled_subject_names_its_summary_as_corrected(make_client, retriever):
    """"prostrate cancer psa test" was told it "names none of them" and offered a choice."""
    search = _refusing()

    def corrected(query, k, mode, filters):
        return dataclasses.replace(search(query, k, mode, filters), corrections={"brest": "breast"})
    html = _many_client(make_client, retriever, corrected).get("/", params={"q": "brest cancer foods to avoid"}).text
    assert "Which summary do you mean?" not in html and len(passages(html)) == 3


def test_when_one_summary_answers_its_passages_are_shown_without_asking(make_client, retriever):
    c = _many_client(make_client, retriever, _refusing("colon-screening", "acupuncture"))
    html = c.get("/", params={"q": QUESTION}).text
    assert "Which summary do you mean?" not in html
    shown = passages(html)
    assert len(shown) == 3 and all("(breast-treatment)" in p for p in shown)


def test_when_no_summary_answers_alone_the_wide_search_is_shown(make_client, retriever):
    c = _many_client(make_client, retriever, _refusing(*MANY))
    html = c.get("/", params={"q": QUESTION}).text
    assert "Which summary do you mean?" not in html
    assert len(passages(html)) == 3 and "(colon-screening)" in html


def test_a_summary_whose_search_runs_out_of_time_stays_offered(make_client, retriever):
    fake = FakeRetriever(retriever, _refusing("colon-screening", slow=("acupuncture",)))
    fake.manifest = dataclasses.replace(retriever.manifest, documents=MANY)
    html = make_client(fake, request_timeout_s=0.3).get("/", params={"q": QUESTION}).text
    assert [t for _, t in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html)] == [
        "Breast Cancer Treatment", "Acupuncture"]


def test_a_lone_summary_that_could_not_be_checked_is_no_choice(make_client, retriever):
    fake = FakeRetriever(retriever, _refusing("colon-screening", "breast-treatment", slow=("acupuncture",)))
    fake.manifest = dataclasses.replace(retriever.manifest, documents=MANY)
    html = make_client(fake, request_timeout_s=0.3).get("/", params={"q": QUESTION}).text
    assert "Which summary do you mean?" not in html
    assert len(passages(html)) == 3 and "(colon-screening)" in html  # the wide search's passages


def test_the_summaries_are_searched_two_at_a_time(make_client, retriever):
    """Two own searches meet at a barrier: run one after another, the first would wait alone."""
    meet = threading.Barrier(2, timeout=2)
    wide = _refusing()

    def search(query, k, mode, filters):
        if filters and filters.doc_ids:
            meet.wait()
        return wide(query, k, mode, filters)

    fake = FakeRetriever(retriever, search)
    fake.manifest = dataclasses.replace(retriever.manifest, documents={d: MANY[d] for d in list(MANY)[:2]})
    html = make_client(fake).get("/", params={"q": QUESTION}).text
    assert "Which summary do you mean?" in html and not meet.broken


def test_none_of_these_shows_the_passages_of_the_summaries_not_offered(make_client, retriever):
    """A caregiver offered five childhood summaries for "should we get a second opinion" had
    no way on but to pick one; a link to the best passages of all summaries showed the same
    ones again."""
    def search(query, k, mode, filters):
        docs = list(filters.doc_ids) if filters and filters.doc_ids else ["breast-treatment", "colon-screening"]
        hits = [_hit(d, i + 1, MANY[d].title) for i, d in enumerate(docs * 3)][:k]
        return SearchResult(query=query, hits=hits, abstained=False, mode=mode, confidence=0.9)
    c = _many_client(make_client, retriever, search)
    html = c.get("/", params={"q": QUESTION}).text
    link = re.search(r'None of these\? <a href="([^"]+)">', html).group(1)
    assert link.endswith("&amp;every=1") and "1-800-4-CANCER" in html.split("None of these?")[1]
    shown = c.get(link.replace("&amp;", "&")).text
    assert "Which summary do you mean?" not in shown
    assert {re.search(r"\((\S+)\)", p).group(1) for p in passages(shown)} == {"acupuncture"}
    again = c.get("/", params=[("q", QUESTION), ("every", "1"), ("every", "0")])
    assert again.status_code == 422 and not passages(again.text)  # two values: which one was meant?


def test_a_refusal_says_what_was_searched_when_spelling_was_corrected(make_client, retriever):
    """"folfox side efects" was refused without "Showing results for", unlike an answer."""
    def refused(query, k, mode, filters):
        return SearchResult(query=query, hits=[], abstained=True, mode=mode, confidence=0.2,
                            corrections={"efects": "effects"})
    html = _many_client(make_client, retriever, refused).get("/", params={"q": "folfox side efects"}).text
    assert "could not find an answer" in html and "side effects" in html.split("You asked:")[1]


def test_summaries_past_the_lists_length_are_checked_when_earlier_ones_refuse(make_client, retriever, monkeypatch):
    """"oxaliplatin side effects" over the corpus: three of the first five summaries refuse
    it alone, and the colon summary, which answers it, came sixth and was never offered."""
    import service.pages

    monkeypatch.setattr(service.pages, "MAX_CHOICES", 2)
    html = _many_client(make_client, retriever, _refusing("breast-treatment")).get("/", params={"q": QUESTION}).text
    assert [t for _, t in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', html)] == [
        "Colorectal Cancer Screening", "Acupuncture"]


def test_a_refusal_explained_by_a_hint_says_no_reading_of_its_words(make_client, retriever):
    """A question in French was shown "Showing results for quels sont les effects ... de la
    chemo" beside "written in English": the speller's English reading of French words."""
    def refused(query, k, mode, filters):
        return SearchResult(query=query, hits=[], abstained=True, mode=mode, confidence=0.2,
                            corrections={"effets": "effects"})
    html = _many_client(make_client, retriever, refused).get(
        "/", params={"q": "quels sont les effets secondaires de la chimio"}).text
    assert "written in English" in html and "Showing results for" not in html


def test_a_question_read_as_a_crisis_gets_no_summary_menu(make_client, retriever):
    """A review found "i want to kill myself" answered with "Which summary do you mean?"
    and five childhood leukaemia summaries under the crisis help."""
    search = _refusing()

    def crisis(query, k, mode, filters):
        return dataclasses.replace(search(query, k, mode, filters), crisis=True)
    html = _many_client(make_client, retriever, crisis).get("/", params={"q": "i want to kill myself"}).text
    assert 'class="crisis"' in html and "Which summary do you mean?" not in html and len(passages(html)) == 3
    assert "share your words" in html and "<mark>highlighted</mark>" not in html
