"""Stage 8's last step: what an answer says the passages shown don't mention (no model needed)."""

from types import SimpleNamespace

import numpy as np
import pytest

from retriever.abstain import FIGURE, Evidence, Verdict
from retriever.judging import another_kind, filed_under, names_subtype, one_summary, type_kinds, unmentioned
from retriever.tokenization import Vocabulary, stem, words
from retriever.translation import Bridges
from tests.conftest import summary_page

PASSAGES = [Vocabulary(["hormone", "therapy"]), Vocabulary(["radiation"]), Vocabulary(["surgery"]),
            Vocabulary(["prostatectomy"]), Vocabulary(["the", "psa", "level", "rises"])]


def _retriever(depth: int = 3, bridges: Bridges | None = None):
    return SimpleNamespace(settings=SimpleNamespace(abstain_depth=depth),
                           words=SimpleNamespace(own=PASSAGES.__getitem__),
                           reranker=SimpleNamespace(bridges=bridges) if bridges else None)


def _verdict(missing: list[str], topics: tuple[str, ...], abstained: bool = False) -> Verdict:
    ev = Evidence(0.6, len(topics), False, False, False, False, 1.0, topics_missing=topics)
    return Verdict(abstained, 0.6, missing, ev)


def test_a_topic_a_passage_shown_further_down_mentions_is_no_longer_named():
    """A staff search of ten listed "PSA" as a topic the passages don't mention beside a ninth that does."""
    verdict = _verdict(["psa", "diabetes"], ("psa", "diabetes"))
    assert unmentioned(_retriever(), verdict, [0, 1, 2, 3, 4], "") == ["diabetes"]
    assert unmentioned(_retriever(), verdict, [0, 1, 2, 3], "") == ["psa", "diabetes"]  # none of these four says it


def test_a_topic_a_passage_shown_further_down_names_by_a_bridged_word_is_no_longer_named():
    verdict = _verdict(["op"], ("op",))
    bridged = _retriever(bridges=Bridges({stem("op"): frozenset({stem("prostatectomy")})}))
    assert unmentioned(bridged, verdict, [0, 1, 2, 3, 4], "after my op") == []
    assert unmentioned(_retriever(), verdict, [0, 1, 2, 3, 4], "after my op") == ["op"]  # no ranker, no bridges
    # the bridge is a word the question says itself: no sign the passage names the topic
    assert unmentioned(bridged, verdict, [0, 1, 2, 3, 4], "my op, a prostatectomy") == ["op"]


def test_the_passages_the_verdict_read_are_not_read_again():
    """No more passages shown than it read (k up to `abstain_depth`): its finding stands as it is,
    here one a reading of all five would undo."""
    verdict = _verdict(["psa"], ("psa",))
    assert unmentioned(_retriever(depth=5), verdict, [0, 1, 2, 3, 4], "") == ["psa"]
    assert unmentioned(_retriever(), verdict, [4], "") == ["psa"]  # k = 1 of the API


def test_a_refusal_and_what_is_not_a_topic_are_left_as_they_are():
    refused = _verdict(["psa"], ("psa",), abstained=True)
    assert unmentioned(_retriever(), refused, [0, 1, 2, 3, 4], "") == ["psa"]
    figure = _verdict(["psa", FIGURE], ("psa",))
    assert unmentioned(_retriever(), figure, [0, 1, 2, 3, 4], "") == [FIGURE]


MYCOSIS = "https://www.cancer.gov/types/lymphoma/patient/mycosis-fungoides-treatment-pdq"


def _index(*docs: tuple[str, str, int]):
    """A stand-in for an index of ``docs`` (id, url, passages), in order."""
    rows = [(d, url) for d, url, n in docs for _ in range(n)]
    return SimpleNamespace(doc_ids=np.array([d for d, _ in rows]), chunks=[SimpleNamespace(url=u) for _, u in rows],
                           manifest=SimpleNamespace(documents=[d for d, _, _ in docs]))


def _filed(index, allowed: np.ndarray | None):
    return filed_under(index, one_summary(index, allowed))


def test_a_search_of_one_summary_reads_the_cancer_type_it_is_filed_under():
    colon = "https://www.cancer.gov/types/colorectal/patient/colon-treatment-pdq"
    two = _index(("mf", MYCOSIS, 2), ("colon", colon, 3))
    assert _filed(two, np.array([True, True, False, False, False])).knows("lymphoma")
    assert _filed(two, np.array([False, True, False, False, False])).knows("lymphoma")  # part of it
    assert _filed(two, np.array([False, False, True, False, True])).knows("colorectal")
    assert _filed(two, None) is None  # several summaries: another's passages answered near-misses
    assert _filed(two, np.array([False, True, True, False, False])) is None
    assert _filed(two, np.zeros(5, dtype=bool)) is None
    assert _filed(_index(("mf", MYCOSIS, 2)), None).knows("lymphoma")  # an index of one summary
    gist = _index(("gist", "https://www.cancer.gov/types/soft-tissue-sarcoma/patient/gist-treatment-pdq", 1))
    assert all(map(_filed(gist, None).knows, ["soft", "tissue", "sarcoma"]))  # every word of the type
    coping = _index(("coping", "https://www.cancer.gov/about-cancer/coping/feelings/depression-pdq", 2))
    assert _filed(coping, None) is None  # filed under no cancer type


MF_PASSAGES = Vocabulary(["mycosis", "fungoides", "cell", "skin", "tumor", "stage", "t"])
MF_SUMMARY = Vocabulary(["mycosis", "fungoides", "cell", "skin", "tumor", "stage", "t", "itchy", "serous"])
# what the other lymphoma summaries put before "lymphoma"
ELSEWHERE = frozenset({"mantle", "cell", "diffuse", "large", "b", "t", "follicular", "peripheral", "adult",
                       "itchy", "iiia", "waldenstrom", "tumour", "1cm"})
LYMPHOMA = Vocabulary(["lymphoma"])


@pytest.mark.parametrize("question", ["mantle cell lymphoma", "follicular lymphoma treatment",
                                      "diffuse large b-cell lymphoma", "peripheral t-cell lymphoma",
                                      "waldenstr\u00f6m's lymphoma", "is it like mantle lymphoma"])
def test_a_kind_another_summary_of_the_type_names_is_another_kind(question):
    assert names_subtype(question, LYMPHOMA, MF_PASSAGES, MF_SUMMARY, ELSEWHERE)


@pytest.mark.parametrize("question", [
    "early skin lymphoma treatment",  # everyday words, and words the passages use
    "adult lymphoma treatment",  # an everyday word another summary puts before the type's word
    "itchy lymphoma",  # a word the summary uses, if not its first passages
    "tummy lymphoma",  # ... or no other summary before the type's word
    "1cm skin tumour lymphoma stage",  # a size, and a word the passages spell otherwise
    "stage iiia lymphoma",  # a stage is no name
    "lymphoma itchy skin",  # nothing typed before the type's word
    "is follicular a lymphoma",  # a stop word ends the name
])
def test_everyday_and_the_summarys_own_words_name_no_other_kind(question):
    assert not names_subtype(question, LYMPHOMA, MF_PASSAGES, MF_SUMMARY, ELSEWHERE)


def test_only_the_words_of_the_type_the_passages_never_say_are_read():
    gist, sarcomas = Vocabulary(["soft", "tissue", "sarcoma"]), frozenset({"synovial", "soft", "tissue"})
    summary = Vocabulary(["gist", "stomach"])
    assert names_subtype("synovial sarcoma", gist, summary, summary, sarcomas)
    assert not names_subtype("soft tissue sarcoma", gist, summary, summary, sarcomas)  # the type's own words
    # passages that say "sarcoma" answer for it themselves: the topic check reads them
    assert not names_subtype("synovial sarcoma", gist, Vocabulary(["gist", "sarcoma"]), summary, sarcomas)
    assert not names_subtype("mantle cell lymphoma", gist, summary, summary, ELSEWHERE)  # not this type's word
    # a rare word of the type's own before another of its words: "endocrine" in "multiple endocrine neoplasia"
    men = Vocabulary(["multiple", "endocrine", "neoplasia"])
    assert not names_subtype("multiple endocrine neoplasia", men, summary, summary, frozenset({"endocrine"}))


def _chunk(doc: str, kind: str, text: str) -> SimpleNamespace:
    return SimpleNamespace(doc_id=doc, url=f"https://www.cancer.gov/types/{kind}/patient/{doc}-pdq", text=text)


def test_the_kinds_of_a_type_are_the_words_its_summaries_alone_put_before_its_word():
    kinds = type_kinds([
        _chunk("nhl", "lymphoma", "Mantle cell lymphoma and relapsed lymphoma are treated. Pap smear. Lymphoma."),
        _chunk("nhl", "lymphoma", "Diffuse large B-cell lymphoma grows fast; alpha beta gamma delta epsilon lymphoma."),
        _chunk("cll", "leukemia", "Relapsed leukemia is treated again."),  # a state every type is in
        _chunk("oral", "head-and-neck", "Cancer of the head and neck spreads; cheek and neck tumors."),
        SimpleNamespace(doc_id="coping", url="https://www.cancer.gov/about-cancer/coping", text="Mantle lymphoma."),
    ])
    # four words at most before the type's word, none across punctuation ("smear. Lymphoma")
    assert kinds["lymphoma"] == {"mantle", "cell", "diffuse", "large", "b", "beta", "gamma", "delta", "epsilon"}
    assert kinds["leukemia"] == set()
    assert "cheek" not in kinds.get("head and neck", ())  # "and" is no word of the type
    assert "coping" not in kinds and "" not in kinds  # a page under no type


class _Summaries:
    """A scope's `summary` words by document (weakly keyed by `index_kinds`, as a real scope is)."""

    def __init__(self, chunks):
        self.words = {d: Vocabulary.union(Vocabulary(words(c.text)) for c in chunks if c.doc_id == d)
                      for d in {c.doc_id for c in chunks}}

    def summary(self, doc_id: str) -> Vocabulary:
        return self.words[doc_id]


def test_another_kind_reads_the_whole_summary_not_the_passages_shown():
    """A kind a later passage of the summary names is its own, though the passages shown never say it."""
    chunks = [_chunk("mf", "lymphoma", "Early mycosis fungoides of the skin is treated with creams."),
              _chunk("mf", "lymphoma", "Sezary syndrome is not like mantle cell lymphoma."),
              _chunk("nhl", "lymphoma", "Mantle cell lymphoma and follicular lymphoma start in lymph nodes.")]
    r = SimpleNamespace(chunks=chunks, scope=_Summaries(chunks))
    shown = [Vocabulary(words(chunks[0].text))]
    assert not another_kind(r, 0, "mantle cell lymphoma treatment", LYMPHOMA, shown)  # the summary's second passage
    assert another_kind(r, 0, "follicular lymphoma treatment", LYMPHOMA, shown)  # the other summary's alone
    assert not another_kind(r, 2, "mantle cell lymphoma treatment", LYMPHOMA, shown)  # its own kind


@pytest.mark.model
def test_a_question_naming_the_type_a_filtered_summary_is_filed_under_is_answered(seed_with):
    """Filtered to the mycosis fungoides summary, whose passages never say "lymphoma", "skin lymphoma
    treatment" was refused for it; over that summary and the seed it still is (neither says it).
    A kind of lymphoma another summary of the index names, and it never does, is still refused."""
    from retriever.models import Filters

    r = seed_with(mf=summary_page("Mycosis Fungoides Treatment", MYCOSIS, "## Treatment of mycosis fungoides\n\n"
                                  "Early mycosis fungoides of the skin is treated with light therapy, creams put on "
                                  "the skin, or radiation therapy to the patches.\n"),
                  nhl=summary_page("Adult Non-Hodgkin Lymphoma Treatment",
                                   "https://www.cancer.gov/types/lymphoma/patient/adult-nhl-treatment-pdq",
                                   "## Types of lymphoma\n\nMantle cell lymphoma and follicular lymphoma are types "
                                   "of non-Hodgkin lymphoma that start in the lymph nodes of adults.\n"))
    question, mf = "skin lymphoma treatment", Filters(doc_ids=("mf",))
    filtered = r.search(question, filters=mf)
    assert "lymphoma" not in filtered.missing and not filtered.abstained
    assert filtered.hits[0].chunk.doc_id == "mf"
    for another in ("mantle cell lymphoma treatment", "follicular lymphoma"):  # kinds the other summary names
        refused = r.search(another, filters=mf)
        assert refused.abstained and "lymphoma" in refused.missing
    seed = next(d for d in r.manifest.documents if d not in ("mf", "nhl"))
    both = r.search(question, filters=Filters(doc_ids=("mf", seed)))
    assert both.abstained and "lymphoma" in both.missing
