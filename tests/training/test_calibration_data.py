"""The committed calibration questions (training/calibration, BRIEF.md): valid against their
summaries, and split between summaries the threshold is picked on and summaries it is not."""

from __future__ import annotations

import re

import pytest

from eval.questionset import load_questions, norm
from tests.conftest import ROOT, headings_and_text
from training.data import is_validation

FOLDER = ROOT / "training" / "calibration"
FILES = sorted(FOLDER.glob("*.jsonl"))
MORE = sorted((FOLDER / "more").glob("*.jsonl"))  # measured, not fitted on (BRIEF.md)


def test_the_threshold_is_picked_on_sixteen_summaries_and_checked_on_sixteen():
    assert sum(not is_validation(f.stem) for f in FILES) == 16
    assert sum(is_validation(f.stem) for f in FILES) == 16


def test_the_files_not_fitted_on_are_training_summaries_of_their_own():
    assert len(MORE) == 20 and not any(is_validation(f.stem) for f in MORE)
    assert not {f.name for f in MORE} & {f.name for f in FILES}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@pytest.mark.parametrize("path", FILES + MORE, ids=lambda p: p.stem)
def test_each_file_is_valid_against_its_summary(path):
    headings, text = headings_and_text(ROOT / "training" / "corpus" / f"{path.stem}.md")
    kinds = [q.kind for q in load_questions(path).questions]
    assert len(kinds) >= 40 and kinds.count("out_of_scope") >= 10
    assert set(kinds) == {"patient", "typo", "staff", "out_of_scope"}
    for q in load_questions(path).questions:
        for s in q.sections:
            assert s in headings, f"{path.name} {q.id}: {s!r} is not a heading of the summary"
        for e in q.evidence:
            assert norm(e) in text, f"{path.name} {q.id}: evidence not in the summary: {e!r}"
    plain = " " + " ".join(_words(text)) + " "
    for q in load_questions(path).questions:  # the brief: no run of six words from the text
        w = _words(q.question)
        runs = (" ".join(w[i:i + 6]) for i in range(len(w) - 5))
        copied = [run for run in runs if f" {run} " in plain]
        assert not copied, f"{path.name} {q.id}: copies the summary: {copied[0]!r}"
