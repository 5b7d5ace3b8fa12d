"""The committed in-passing questions (training/passing, BRIEF.md): valid against their
summaries, each naming the thing its summary never mentions, and split by summary."""

from __future__ import annotations

import json
import re

import pytest

from eval.questionset import load_questions, norm
from tests.conftest import ROOT, headings_and_text
from training.data import is_validation

FOLDER = ROOT / "training" / "passing"
FILES = sorted(FOLDER.glob("*.jsonl"))
PAIRS = sorted((FOLDER / "pairs").glob("*.jsonl"))  # the second round (BRIEF.md)
ROUND3 = sorted((FOLDER / "round3").glob("*.jsonl"))  # the third: everyday words, greetings around a question


def test_the_check_is_fitted_on_training_summaries_and_checked_on_validation_ones():
    assert sum(not is_validation(f.stem) for f in FILES) >= 60
    assert sum(is_validation(f.stem) for f in FILES) >= 16
    assert not any("neuroendocrine" in f.stem for f in FILES)  # the seed's sets stay unseen
    assert {f.stem for f in PAIRS} == {f.stem for f in FILES}  # each summary's pairs beside its first round
    assert {f.stem for f in ROUND3} == {f.stem for f in FILES}  # and its third round


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.mark.parametrize("path", FILES + PAIRS + ROUND3, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_each_file_is_valid_against_its_summary(path):
    headings, text = headings_and_text(ROOT / "training" / "corpus" / f"{path.stem}.md")
    questions = load_questions(path).questions
    kinds = [q.kind for q in questions]
    least = (4, 4) if path in PAIRS + ROUND3 else (8, 10)  # out of scope, patient
    assert kinds.count("out_of_scope") >= least[0] and kinds.count("patient") >= least[1]
    plain = " " + " ".join(_words(text)) + " "
    for q, line in zip(questions, path.read_text(encoding="utf-8").splitlines()):
        assert all(s in headings for s in q.sections), f"{path.name} {q.id}: a section is not a heading"
        assert all(norm(e) in text for e in q.evidence), f"{path.name} {q.id}: evidence not in the summary"
        mention = json.loads(line)["mention"]
        assert mention and mention in q.question, f"{path.name} {q.id}: mention {mention!r} not in the question"
        w = _words(q.question)
        copied = [r for r in (" ".join(w[i:i + 6]) for i in range(len(w) - 5)) if f" {r} " in plain]
        assert not copied, f"{path.name} {q.id}: copies the summary: {copied[0]!r}"
