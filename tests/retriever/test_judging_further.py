"""A refusal for a rare topic the first passages miss, judged again with a passage further
down that names it first (`judging.judge_or_look_further`; no model needed)."""

from types import SimpleNamespace

import pytest

from retriever import judging
from retriever.abstain import FIGURE, Evidence, Verdict
from retriever.judging import judge_or_look_further, names_a_cancer
from retriever.tokenization import Vocabulary

# Passage 0 to 3 say "side effects"; 4 names rituximab and neuroblastoma; 5 nothing of either.
PASSAGES = [Vocabulary("side effects of hormone therapy".split()), Vocabulary("side effects of surgery".split()),
            Vocabulary("side effects may include nausea".split()), Vocabulary("late side effects".split()),
            Vocabulary("rituximab is given to children with neuroblastoma".split()), Vocabulary(["radiation"])]


def _refused(*missing: str) -> Verdict:
    topics = tuple(m for m in missing if m != FIGURE)
    ev = Evidence(0.6, len(topics), FIGURE in missing, False, False, False, 0.5, topics_missing=topics)
    return Verdict(True, 0.0, list(missing), ev)


def _search(monkeypatch, missing: tuple[str, ...], answers_with_4_first: bool = True, summaries: int = 2):
    """judge_or_look_further over PASSAGES in order, the first judgement refusing for ``missing``."""
    calls = []

    def judge(r, sig, chosen):
        calls.append(list(chosen))
        if chosen[0] == 4 and answers_with_4_first:
            return Verdict(False, 0.6, [], _refused().evidence)
        return _refused(*missing)

    monkeypatch.setattr(judging, "judge_passages", judge)
    r = SimpleNamespace(settings=SimpleNamespace(abstain_depth=3), words=SimpleNamespace(own=PASSAGES.__getitem__),
                        order=lambda scores, k: sorted(scores, key=lambda i: -scores[i])[:k],
                        scope=SimpleNamespace(several=lambda allowed: summaries > 1))
    scores = {i: 1.0 - i / 10 for i in range(len(PASSAGES))}
    sig = SimpleNamespace(query=SimpleNamespace(allowed=None))
    chosen, after, verdict = judge_or_look_further(r, sig, scores, [0, 1, 2, 3, 5])
    assert after == scores or chosen[0] == 4  # scores move only with a passage put first
    assert [i for i in sorted(after, key=lambda i: -after[i]) if i in chosen] == chosen  # best first, as shown
    return chosen, verdict, calls


def test_a_drug_the_first_passages_miss_is_looked_for_further_down(monkeypatch):
    chosen, verdict, calls = _search(monkeypatch, ("rituximab",))
    assert chosen == [4, 0, 1, 2, 3] and not verdict.abstained and len(calls) == 2


def test_the_refusal_stands_when_the_passage_found_does_not_answer(monkeypatch):
    chosen, verdict, _ = _search(monkeypatch, ("rituximab",), answers_with_4_first=False)
    assert chosen == [0, 1, 2, 3, 5] and verdict.abstained and verdict.missing == ["rituximab"]


@pytest.mark.parametrize("missing", [("neuroblastoma",),  # a cancer: other summaries name it in passing
                                     ("lung",),  # everyday English uses it
                                     ("rituximab", FIGURE),  # a figure is missing too
                                     ("rituximab", "neuroblastoma")])
def test_a_cancer_a_common_word_or_anything_besides_is_not_looked_for(monkeypatch, missing):
    chosen, verdict, calls = _search(monkeypatch, missing)
    assert chosen == [0, 1, 2, 3, 5] and verdict.abstained and len(calls) == 1


def test_a_search_of_one_summary_keeps_its_refusal(monkeypatch):
    """There the word is named in passing, and the refusal page says where."""
    chosen, verdict, calls = _search(monkeypatch, ("rituximab",), summaries=1)
    assert chosen == [0, 1, 2, 3, 5] and verdict.abstained and len(calls) == 1


def test_nothing_further_down_naming_it_leaves_the_refusal(monkeypatch):
    chosen, verdict, calls = _search(monkeypatch, ("trametinib",))
    assert chosen == [0, 1, 2, 3, 5] and verdict.abstained and len(calls) == 1


def test_a_cancer_is_named_by_its_word_its_plural_or_a_longer_name_ending_in_it():
    assert all(map(names_a_cancer, ["neuroblastoma", "lymphomas", "leiomyosarcoma", "nonmelanoma"]))
    assert not any(map(names_a_cancer, ["rituximab", "octreotide", "brca1", "scintigraphy"]))
