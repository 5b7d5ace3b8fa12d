"""The in-passing check's training: the cut it picks, its left-out predictions and the command's guards."""

import shutil
from argparse import Namespace

import numpy as np
import pytest

from retriever.passing import EXTRA_FEATURES, IN_PASSING
from tests.conftest import question_files
from training.answerable import AnswerFitError, left_out_logits
from training.cli import CALIBRATION, CORPUS, PASSING, QUESTIONS
from training.passing import Vetoed, answered_at, as_check, command, features, fit_regression, pick_cut

VALIDATION_FILE = "types-anal-patient-anal-treatment-pdq"
TRAINING_FILE = "types-kidney-patient-kidney-treatment-pdq"


def _vetoed(summary, in_scope, answered, direction, extra=None) -> Vetoed:
    question = np.zeros(4, np.float32)
    question[direction] = 1.0
    extra = np.zeros(len(EXTRA_FEATURES), np.float32) if extra is None else extra
    return Vetoed(summary, in_scope, answered, 0.5, question, np.ones(4, np.float32) * 0.5, extra)


def test_the_cut_makes_the_fewest_errors_a_wrong_answer_counting_more_than_a_refusal():
    vetoed = [_vetoed("a", True, True, 0), _vetoed("a", False, False, 1), _vetoed("a", True, True, 0),
              _vetoed("a", True, True, 0)]
    logits = np.array([4.0, 3.0, 2.0, 1.0])
    assert pick_cut(logits, vetoed, cost=1.0) == 1.0  # one wrong answer for two more right ones
    assert pick_cut(logits, vetoed, cost=3.0) == 4.0  # not at three refusals each
    assert pick_cut(np.array([1.0, 1.0, 1.0, 1.0]), vetoed, cost=3.0) == 1.0


def test_what_is_lifted_is_counted_by_kind():
    vetoed = [_vetoed("a", True, True, 0), _vetoed("a", True, False, 0), _vetoed("a", False, False, 1)]
    counts = answered_at(np.array([3.0, 2.0, 1.0]), vetoed, 1.5)
    assert (counts["answered with its passage"], counts["answered with another passage"],
            counts["out of scope answered"]) == (1, 1, 0)
    assert counts["of"] == {"answerable": 2, "out of scope": 1}


def test_left_out_logits_come_from_fits_on_the_other_summaries():
    """Direction 2 is named in passing in every summary but d: d's own refusals are unseen."""
    rows = []
    for s in "abcd":
        rows += [_vetoed(s, True, True, 0) for _ in range(6)] + [_vetoed(s, False, False, 1) for _ in range(6)]
        rows += [_vetoed(s, s != "d", s != "d", 2) for _ in range(6)]
    logits = left_out_logits(rows, "answered", fit_regression, features)
    by = {s: [lg for r, lg in zip(rows, logits) if r.summary == s] for s in "abcd"}
    assert all(np.mean(v[:6]) > np.mean(v[6:12]) for v in by.values())
    assert np.mean(by["d"][12:]) > np.mean(by["d"][6:12])


def test_the_shipped_form_gives_the_fitted_pipeline_s_logits_on_unscaled_features():
    """The standardising is folded into the weights: the retriever reads raw vectors and features."""
    rng = np.random.default_rng(3)
    rows = [_vetoed("a", True, bool(i % 2), i % 4, rng.normal(i % 2, 1.0, len(EXTRA_FEATURES)).astype(np.float32))
            for i in range(40)]
    rows = [Vetoed(v.summary, v.in_scope, v.answered, float(rng.uniform(0.2, 0.8)), v.question,
                   rng.uniform(0, 1, 4).astype(np.float32), v.extra) for v in rows]
    model = fit_regression(rows)
    check = as_check(model, 4, cut=0.0, threshold=0.35)
    shipped = [check.logit(v.confidence, v.question, v.passage, v.extra) for v in rows]
    assert np.allclose(shipped, model.decision_function(features(rows)), atol=1e-4)
    assert check.extra_weights.shape == (len(EXTRA_FEATURES),)


def test_a_dimension_all_but_constant_gets_no_outsized_weight():
    """Standardised as it is, a column with a spread of 1e-7 was given folded weights up to 1.9e11."""
    rng = np.random.default_rng(5)
    rows = []
    for i in range(60):
        question = rng.normal(0, 0.05, 4).astype(np.float32)
        question[3] = 1e-7 * rng.normal()  # all but constant, like three of the model's dimensions
        rows.append(Vetoed("a", True, bool(i % 2), float(rng.uniform(0.2, 0.8)), question,
                           rng.normal(0, 0.05, 4).astype(np.float32),
                           rng.normal(i % 2, 1.0, len(EXTRA_FEATURES)).astype(np.float32)))
    check = as_check(fit_regression(rows), 4, cut=0.0, threshold=0.35)
    assert abs(check.question_weights[3]) < 1e3 and abs(check.pair_weights[3]) < 1e5
    assert np.isfinite(check.extra_weights).all()


def test_the_command_never_replaces_a_shipped_check_without_force(tmp_path, monkeypatch, capsys):
    (tmp_path / IN_PASSING.folder).mkdir()
    (tmp_path / IN_PASSING.folder / IN_PASSING.weights).write_bytes(b"shipped")
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path))
    args = Namespace(model="pdq-minilm-l6", questions=[CALIBRATION, PASSING], corpus=CORPUS, force=False,
                     across=QUESTIONS)
    assert command(args) == 2
    assert "already holds an in-passing check; pass --force" in capsys.readouterr().err
    assert (tmp_path / IN_PASSING.folder / IN_PASSING.weights).read_bytes() == b"shipped"


@pytest.mark.parametrize("files, message", [
    ([VALIDATION_FILE], "no question file (<doc_id>.jsonl) of a training summary"),
    (["no-such-summary"], "no summary in"),
])
def test_files_it_cannot_fit_on_are_refused_before_any_work(tmp_path, monkeypatch, capsys, files, message):
    question_files(PASSING, files, tmp_path)
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path / "model"))
    args = Namespace(model="pdq-minilm-l6", questions=[tmp_path], corpus=CORPUS, force=True, across=QUESTIONS)
    assert command(args) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "model").exists()


@pytest.mark.model  # ingests with the shipped model
def test_a_fit_on_one_training_summary_is_refused_and_writes_nothing(tmp_path):
    from retriever.settings import Settings
    from training.passing import fit_passing

    shutil.copy(PASSING / f"{TRAINING_FILE}.jsonl", tmp_path / f"{TRAINING_FILE}.jsonl")
    with pytest.raises(AnswerFitError, match="two training summaries or more"):
        fit_passing(sorted(tmp_path.glob("*.jsonl")), CORPUS, Settings(), tmp_path / "out")
    assert not (tmp_path / "out").exists()
