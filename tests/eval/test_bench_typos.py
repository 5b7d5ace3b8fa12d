"""The typo benchmark: its slips, and its scores against the eval's."""

import random
from pathlib import Path

import pytest

from eval.bench.typos import mistype, score, slip


def test_a_slip_is_one_edit_after_the_first_letter():
    from rapidfuzz.distance import DamerauLevenshtein

    rng = random.Random(3)
    typed = [slip("surgery", rng) for _ in range(200)]
    assert all(t[0] == "s" and DamerauLevenshtein.distance(t, "surgery") == 1 for t in typed)
    assert all(slip("cool", rng) != "cool" for _ in range(100))  # "oo" never swaps into itself
    assert {len(t) for t in typed} == {6, 7, 8}  # dropped, swapped or replaced, doubled


def test_mistyping_touches_only_long_words_and_repeats_with_its_seed():
    question = "can they take it out by surgery instead"
    a, b = mistype(question, 2, random.Random(5)), mistype(question, 2, random.Random(5))
    assert a == b
    changed = [(x, y) for x, y in zip(question.split(), a.split()) if x != y]
    assert 1 <= len(changed) <= 2 and all(len(x) >= 5 for x, _ in changed)
    assert mistype("is it bad", 2, random.Random(0)) == "is it bad"  # no word of five letters
    typed = mistype("surgery?", 1, random.Random(1))
    assert typed.endswith("?") and typed != "surgery?"  # the slip is in the letters


def test_a_run_without_answerable_questions_says_so(tmp_path, capsys):
    from eval.bench.__main__ import main

    only_off_topic = tmp_path / "set.jsonl"
    only_off_topic.write_text('{"id": "o1", "question": "best pizza in town", "kind": "out_of_scope", '
                              '"sections": [], "evidence": []}\n', encoding="utf-8")
    assert main(["typos", str(only_off_topic)]) == 2
    assert "no answerable question" in capsys.readouterr().err


@pytest.mark.model
def test_the_set_as_written_scores_as_the_eval_does(seed_retriever):
    from eval.questionset import load_questions
    from eval.runner import evaluate

    qset = load_questions(Path("eval/questions/fresh_questions.jsonl"))
    qs = [q for q in qset.questions if q.in_scope]
    report = evaluate(qset, seed_retriever, "hybrid", k=5)
    hit, refused = score(seed_retriever, qs, [q.question for q in qs])
    assert hit == pytest.approx(report.metrics["in_scope"]["Hit@1"])
    assert refused == pytest.approx(report.abstention["in_scope_abstained"])
    # the texts given are what is searched: an off-topic text in place of each is refused
    assert score(seed_retriever, qs, ["best pizza in town"] * len(qs)) == (0.0, 1.0)


def test_a_swap_types_one_word_for_another_in_its_case_and_names_a_bad_pair(tmp_path, capsys):
    from eval.bench.__main__ import main
    from eval.bench.typos import swapped

    assert swapped("Does it hurt? how does it work", "does", "dose") == "Dose it hurt? how dose it work"
    assert swapped("what does doesn't mean", "does", "dose") == "what dose doesn't mean"  # whole words only
    no_does = tmp_path / "set.jsonl"
    no_does.write_text('{"id": "p1", "question": "can it be cured", "kind": "patient", '
                       '"sections": ["Treatment"], "evidence": []}\n', encoding="utf-8")
    assert main(["typos", str(no_does), "--swap", "does:dose"]) == 2
    assert 'no answerable question saying "does"' in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["typos", str(no_does), "--swap", "does"])
    assert "expected WORD:TYPED" in capsys.readouterr().err
