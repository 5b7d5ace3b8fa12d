"""Stage 8's last step: what an answer says the passages shown don't mention (no model needed)."""

from types import SimpleNamespace

from retriever.abstain import FIGURE, Evidence, Verdict
from retriever.judging import unmentioned
from retriever.tokenization import Vocabulary, stem
from retriever.translation import Bridges

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
