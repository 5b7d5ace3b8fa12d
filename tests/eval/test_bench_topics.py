"""The topic-word audit: which missing topic alone decided a refusal, and its group."""

from dataclasses import dataclass

from eval.bench.topics import NOTHING, Tally, deciding_groups, group_of
from retriever.abstain import Evidence
from retriever.figures import figures_asked


@dataclass
class _Result:
    abstained: bool
    missing: list
    evidence: Evidence


def _result(best, topics, missing=None, nothing=False):
    ev = Evidence(best, len(topics), False, False, nothing, False, 0.5, tuple(topics))
    return _Result(True, list(missing if missing is not None else topics), ev)


def test_words_fall_in_their_group():
    assert group_of("lungs") == "organs" and group_of("melanoma") == "cancers"
    assert group_of("tylenol") == "drugs and supplements" and group_of("mri") == "tests"
    assert group_of("insulinoma") == "disease or drug ending" and group_of("dotatate") == "no English word"


def test_a_group_decides_only_when_its_penalties_alone_turn_the_answer_into_a_refusal():
    assert deciding_groups(_result(0.6, ["lung"]), 0.33) == ["organs"]
    assert deciding_groups(_result(0.3, ["lung"]), 0.33) == []  # refused without it too
    # two words of one group count together; one word of each of two groups: the other
    # group's topic still vetoes (abstain.TOPIC_VETO), so neither decides alone
    assert deciding_groups(_result(0.6, ["lung", "breast"]), 0.33) == ["organs"]
    assert deciding_groups(_result(0.8, ["lung", "melanoma"]), 0.33) == []
    # without the topic, 0.8 less the figure's 0.4 is answered: the topic decided
    assert deciding_groups(_result(0.8, ["lung"], ["lung", "a figure"]), 0.33) == ["organs"]
    assert deciding_groups(_result(0.6, ["lung"], ["lung", "a figure"]), 0.33) == []
    assert deciding_groups(_result(0.45, ["lung"], nothing=True), 0.33) == []  # every word was missing
    answered = _result(0.6, ["lung"])
    answered.abstained = False
    assert deciding_groups(answered, 0.33) == []


def test_a_missing_figure_or_provider_decides_by_its_kind():
    rate = figures_asked("what is the 5-year survival rate")  # the plan's kinds, typos corrected
    assert deciding_groups(_result(0.6, [], ["a figure"]), 0.33, rate) == ["figure: a rate"]
    assert deciding_groups(_result(0.3, [], ["a figure"]), 0.33, rate) == []
    dose = figures_asked("what dose of octreotide and how often")
    assert deciding_groups(_result(0.6, [], ["a figure"]), 0.33, dose) == ["figure: a dose", "figure: a frequency"]
    best = _result(0.6, [], ["a named hospital or doctor"])
    assert deciding_groups(best, 0.33) == ["a named hospital or doctor"]


def test_the_nothing_found_rule_decides_when_its_words_alone_refuse():
    words = ["husband", "stumbled"]  # none of them in the top passages
    assert deciding_groups(_result(0.45, [], words, nothing=True), 0.33) == [NOTHING]  # below NOTHING_FOUND_BELOW
    assert deciding_groups(_result(0.3, [], words, nothing=True), 0.33) == []  # refused by its cosine
    figure = _result(0.45, [], [*words, "a figure"], nothing=True)
    assert deciding_groups(figure, 0.33) == []  # the missing figure refuses it too


def test_the_tally_counts_distinct_questions_helped_and_hurt():
    tally = Tally()
    for _ in range(2):
        tally.add("seed sets", "lung cancer outlook", False, (_result(0.6, ["lung"]), []), 0.33)
    tally.add("seed sets", "is it in her lungs now", True, (_result(0.6, ["lungs"]), []), 0.33)
    table = tally.table(["seed sets"])
    assert "| organs | 1 / 1 |" in table and "| cancers | 0 / 0 |" in table
