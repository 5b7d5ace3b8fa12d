"""The fusion-ceiling benchmark: its fitting on made-up candidates, then on the seed index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.bench.__main__ import main
from eval.bench.ceiling import (
    FEATURES,
    Candidates,
    first_is_relevant,
    fit,
    hit_at_1,
    listwise_loss,
    run_ceiling,
    search_weights,
)
from eval.questionset import load_questions

ROOT = Path(__file__).resolve().parents[2]
PROJECT_SET = ROOT / "eval" / "questions" / "seed_questions.jsonl"


def _made_up(n_questions: int = 30, seed: int = 0) -> list[Candidates]:
    """Candidates whose first feature marks the relevant one and whose second misleads."""
    rng = np.random.default_rng(seed)
    lists = []
    for _ in range(n_questions):
        x = rng.normal(size=(8, len(FEATURES)))
        relevant = np.zeros(8, dtype=bool)
        relevant[rng.integers(8)] = True
        x[relevant, 0] += 3.0
        x[~relevant, 1] += 3.0
        lists.append(Candidates(ids=list(range(8)), features=x, relevant=relevant, shipped_first_relevant=False))
    return lists


def test_fit_learns_the_telling_feature():
    lists = _made_up()
    w = fit(lists)
    assert w[0] > 0 > w[1]
    assert hit_at_1(lists, w) == 1.0
    assert hit_at_1(lists, np.eye(len(FEATURES))[1]) < 0.5


def test_loss_gradient_matches_finite_differences():
    lists = _made_up(5)
    w = np.random.default_rng(1).normal(size=len(FEATURES))
    _, grad = listwise_loss(w, lists, l2=0.01)
    eps = 1e-6
    numeric = [(listwise_loss(w + eps * e, lists, 0.01)[0] - listwise_loss(w - eps * e, lists, 0.01)[0]) / (2 * eps)
               for e in np.eye(len(w))]
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-6)


def test_weight_search_climbs_from_a_bad_start():
    lists = _made_up()
    bad = -np.eye(len(FEATURES))[0]
    assert hit_at_1(lists, bad) == 0.0
    w, hit = search_weights(lists, bad, trials=600)
    assert hit == hit_at_1(lists, w) == 1.0


def test_no_candidates_is_never_a_hit():
    empty = Candidates(ids=[], features=np.zeros((0, len(FEATURES))), relevant=np.zeros(0, dtype=bool),
                       shipped_first_relevant=False)
    assert not first_is_relevant(empty, np.ones(len(FEATURES)))


@pytest.mark.model
def test_ceiling_on_the_seed_index(seed_retriever):
    settings = seed_retriever.settings
    result = run_ceiling(load_questions(PROJECT_SET), seed_retriever, folds=3)
    assert seed_retriever.settings is settings  # the benchmark never changes the retriever
    assert result["questions"] == 88 and result["reachable"] == 1.0
    assert 0.5 < result["shipped"] <= 1.0
    assert result["best_on_set"] >= result["fit_on_set"]
    assert set(result["weights"]) == set(FEATURES)


@pytest.mark.model
def test_ceiling_cli_reports_and_refuses_bad_folds(seed_index, capsys):
    assert main(["ceiling", str(PROJECT_SET), "--index", str(seed_index), "--folds", "1"]) == 2
    assert "--folds must be at least 2" in capsys.readouterr().err
    assert main(["ceiling", str(PROJECT_SET), "--index", str(seed_index), "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "| shipped fusion |" in out and "optimistic ceiling" in out
