"""The answerable check's training: the cut it picks, its left-out predictions and the command's guards."""

import shutil
from argparse import Namespace

import numpy as np
import pytest

from retriever.answerable import FOLDER, WEIGHTS_FILE
from tests.conftest import question_files
from training.answerable import Asked, command, errors, left_out_logits, pick_cut
from training.cli import CALIBRATION, CORPUS
from training.data import is_validation

VALIDATION_FILE = "types-anal-patient-anal-treatment-pdq"
TRAINING_FILE = "types-kidney-patient-kidney-treatment-pdq"


def _asked(summary, in_scope, confidence, direction) -> Asked:
    question = np.zeros(4, np.float32)
    question[direction] = 1.0
    return Asked(summary, in_scope, confidence, question, np.ones(4, np.float32) * 0.5)


def test_errors_count_both_kinds_and_a_veto_is_always_refused():
    asked = [_asked("a", True, 0.5, 0), _asked("a", True, 0.0, 0), _asked("a", False, 0.5, 1)]
    logits = np.array([2.0, 9.0, 1.0])  # the vetoed answerable one (confidence 0) stays refused
    assert errors(logits, asked, 0.5) == (1, 1)
    assert errors(logits, asked, 1.5) == (1, 0)
    assert errors(logits, asked, 2.5) == (2, 0)


def test_the_cut_makes_the_fewest_errors_the_higher_on_a_tie():
    asked = [_asked("a", True, 0.5, 0), _asked("a", False, 0.5, 1), _asked("a", True, 0.5, 0)]
    logits = np.array([3.0, 1.0, 2.0])
    assert pick_cut(logits, asked) == 2.0  # answers both answerable ones, refuses the other
    assert pick_cut(np.array([1.0, 1.0, 1.0]), asked) == 1.0


def test_left_out_logits_come_from_fits_on_the_other_summaries():
    """A summary whose wording no other summary shares gets no help from its own answers:
    its out-of-scope direction (2) was answerable in every other summary."""
    rows = []
    for s in "abcd":
        rows += [_asked(s, True, 0.4, 0) for _ in range(6)] + [_asked(s, False, 0.4, 1) for _ in range(6)]
        rows += [_asked(s, s != "d", 0.4, 2) for _ in range(6)]
    logits = left_out_logits(rows)
    first = {s: [lg for r, lg in zip(rows, logits) if r.summary == s] for s in "abcd"}
    assert all(np.mean(v[:6]) > np.mean(v[6:12]) for v in first.values())  # answerable above out-of-scope
    assert np.mean(first["d"][12:]) > np.mean(first["d"][6:12])  # d's own refusals of direction 2 unseen


def test_the_committed_files_hold_training_and_validation_summaries():
    stems = [f.stem for f in CALIBRATION.glob("*.jsonl")]
    assert is_validation(VALIDATION_FILE) and not is_validation(TRAINING_FILE)
    assert VALIDATION_FILE in stems and TRAINING_FILE in stems


def test_the_command_never_replaces_a_shipped_check_without_force(tmp_path, monkeypatch, capsys):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / WEIGHTS_FILE).write_bytes(b"shipped")
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path))
    args = Namespace(model="pdq-minilm-l6", questions=CALIBRATION, corpus=CORPUS, force=False)
    assert command(args) == 2
    assert "already holds an answerable check; pass --force" in capsys.readouterr().err
    assert (tmp_path / FOLDER / WEIGHTS_FILE).read_bytes() == b"shipped"


@pytest.mark.model  # ingests with the shipped model
def test_a_fit_on_one_training_summary_is_refused_and_writes_nothing(tmp_path):
    from retriever.settings import Settings
    from training.answerable import AnswerFitError, fit_answerable

    shutil.copy(CALIBRATION / f"{TRAINING_FILE}.jsonl", tmp_path / f"{TRAINING_FILE}.jsonl")
    with pytest.raises(AnswerFitError, match="two training summaries or more"):
        fit_answerable(sorted(tmp_path.glob("*.jsonl")), CORPUS, Settings(), tmp_path / FOLDER)
    assert not (tmp_path / FOLDER).exists()


@pytest.mark.parametrize("files, message", [
    ([VALIDATION_FILE], "no question file (<doc_id>.jsonl) of a training summary"),
    (["no-such-summary"], "no summary in"),
])
def test_files_it_cannot_fit_on_are_refused_before_any_work(tmp_path, monkeypatch, capsys, files, message):
    question_files(CALIBRATION, files, tmp_path)
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path / "model"))
    args = Namespace(model="pdq-minilm-l6", questions=tmp_path, corpus=CORPUS, force=True)
    assert command(args) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "model").exists()


def test_the_threshold_a_check_was_fitted_at_is_read_for_the_threshold_command_s_warning(tmp_path):
    from training.threshold import fitted_at

    assert fitted_at(tmp_path) is None  # no check: nothing to warn about
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "answerable.json").write_text('{"threshold": 0.34}', encoding="utf-8")
    assert fitted_at(tmp_path) == 0.34
    (tmp_path / FOLDER / "answerable.json").write_text("{", encoding="utf-8")
    assert fitted_at(tmp_path) is None  # unreadable: the check's own load names it


def test_a_lone_record_is_not_replaced_without_force(tmp_path, monkeypatch, capsys):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "answerable.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path))
    args = Namespace(model="pdq-minilm-l6", questions=CALIBRATION, corpus=CORPUS, force=False)
    assert command(args) == 2 and "already holds an answerable check" in capsys.readouterr().err
