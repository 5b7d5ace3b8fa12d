"""Picking the hand rule's threshold for a model, and the model folder carrying it."""

from __future__ import annotations

import json
import shutil

import pytest

from retriever import embedding
from retriever.calibration import THRESHOLD_FILE, CalibrationError, model_threshold
from training.__main__ import main
from training.threshold import Asked, Pick, at_edge, pick, sweep


def _asked(inside: list[float], outside: list[float]) -> list[Asked]:
    return ([Asked("doc", f"i{n}", "patient", True, c) for n, c in enumerate(inside)]
            + [Asked("doc", f"o{n}", "out_of_scope", False, c) for n, c in enumerate(outside)])


def test_the_sweep_counts_refusals_and_abstentions_below_each_threshold():
    rows = sweep(_asked([0.2, 0.4, 0.6, 0.8], [0.1, 0.3]), grid=(0.25, 0.35, 0.5))
    assert rows == [{"threshold": 0.25, "refused": 0.25, "abstained": 0.5, "errors": 2},
                    {"threshold": 0.35, "refused": 0.25, "abstained": 1.0, "errors": 1},
                    {"threshold": 0.5, "refused": 0.5, "abstained": 1.0, "errors": 2}]


def test_the_pick_makes_the_fewest_errors_and_says_whether_it_keeps_the_refusal_bound():
    rows = [{"threshold": t, "refused": r, "errors": e}
            for t, r, e in ((0.26, 0.029, 64), (0.30, 0.035, 55), (0.34, 0.043, 47), (0.35, 0.047, 48))]
    picked = pick(rows)  # not 0.26, the highest within 3%, which answers far more out-of-scope questions
    assert picked.threshold == 0.34 and not picked.within_bound
    assert picked.rule == ("the threshold with the fewest answerable questions refused plus out-of-scope ones "
                           "answered; it refuses 4.3% of answerable questions, more than 3% (the lowest share "
                           "refused is 2.9%)")
    assert pick(rows, max_refused=0.05) == Pick(
        0.34, "the threshold with the fewest answerable questions refused plus out-of-scope ones answered", True)


def test_of_thresholds_with_as_few_errors_the_pick_is_the_higher():
    rows = [{"threshold": t, "refused": r, "errors": e}
            for t, r, e in ((0.2, 0.05, 30), (0.3, 0.06, 22), (0.35, 0.07, 22), (0.4, 0.09, 25))]
    assert pick(rows).threshold == 0.35


def test_a_pick_at_either_end_of_the_grid_is_flagged():
    rows = [{"threshold": t, "refused": r, "errors": e} for t, r, e in ((0.2, 0.0, 9), (0.35, 0.01, 5), (0.5, 0.02, 3))]
    assert at_edge(pick(rows).threshold, rows).startswith("the pick 0.50 is the highest threshold tried (0.20-0.50)")
    assert "lowest" in at_edge(0.2, rows)
    assert at_edge(0.35, rows) == ""


def test_a_model_without_a_threshold_keeps_the_hand_rules(tmp_path):
    assert model_threshold(tmp_path) is None


@pytest.mark.parametrize("content, problem", [("{", "not a threshold record"),
                                              ('{"value": 0.3}', "not a threshold record"),
                                              ('{"threshold": 3}', "not between 0 and 1")])
def test_a_damaged_threshold_names_the_file_and_the_fix(tmp_path, content, problem):
    (tmp_path / THRESHOLD_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(CalibrationError, match=problem) as err:
        model_threshold(tmp_path)
    assert str(tmp_path / THRESHOLD_FILE) in str(err.value)
    assert "python -m training threshold --force" in str(err.value)


def test_an_existing_threshold_is_not_replaced_without_force(tmp_path, capsys):
    (tmp_path / THRESHOLD_FILE).write_text('{"threshold": 0.3}', encoding="utf-8")
    assert main(["threshold", "--model", str(tmp_path)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert json.loads((tmp_path / THRESHOLD_FILE).read_text(encoding="utf-8")) == {"threshold": 0.3}


def test_a_question_file_without_its_summary_is_named(tmp_path, capsys):
    questions = tmp_path / "calibration"
    questions.mkdir()
    (questions / "no-such-summary.jsonl").write_text("", encoding="utf-8")
    assert main(["threshold", "--model", str(tmp_path), "--questions", str(questions)]) == 2
    assert "no-such-summary.jsonl" in capsys.readouterr().err
    assert not (tmp_path / THRESHOLD_FILE).exists()


def test_held_out_files_alone_are_not_picked_on(tmp_path, capsys):
    questions = tmp_path / "calibration"
    questions.mkdir()
    (questions / "types-anal-patient-anal-treatment-pdq.jsonl").write_text("", encoding="utf-8")  # validation
    assert main(["threshold", "--model", str(tmp_path), "--questions", str(questions)]) == 2
    assert "validation summary" in capsys.readouterr().err
    assert not (tmp_path / THRESHOLD_FILE).exists()


@pytest.mark.model
def test_a_threshold_is_picked_on_one_summary_indexes_and_written_beside_the_model(tmp_path, monkeypatch,
                                                                                   seed_index, embedder):
    from retriever.search import Retriever
    from retriever.settings import Settings
    from tests.conftest import SEED_DOC

    model = tmp_path / "model"
    shutil.copytree(embedding.SHIPPED_NAMES["pdq-minilm-l6"], model)
    (model / THRESHOLD_FILE).unlink(missing_ok=True)
    monkeypatch.setitem(embedding.SHIPPED_NAMES, "pdq-minilm-l6", model)
    corpus, questions = tmp_path / "corpus", tmp_path / "calibration"
    corpus.mkdir()
    questions.mkdir()
    shutil.copy(SEED_DOC, corpus / SEED_DOC.name)
    items = [{"id": "c01", "question": "what does hormone therapy do for these tumors", "kind": "patient",
              "sections": ["Hormone therapy"], "evidence": []},
             {"id": "c02", "question": "best pizza toppings for a party", "kind": "out_of_scope",
              "sections": [], "evidence": []}]
    (questions / f"{SEED_DOC.stem}.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items),
                                                      encoding="utf-8")
    assert main(["--corpus", str(corpus), "threshold", "--questions", str(questions)]) == 0
    record = json.loads((model / THRESHOLD_FILE).read_text(encoding="utf-8"))
    assert record["summaries"] == {"tuning": [SEED_DOC.stem], "held_out": []}
    assert record["questions"] == {"tuning": 2, "held_out": 0}
    # the pick makes no error, and every higher threshold makes one
    assert record["figures"]["tuning"]["picked"]["refused"] == 0.0
    assert record["rule"] == ("the threshold with the fewest answerable questions refused plus out-of-scope "
                              "ones answered")
    assert [r["errors"] for r in record["sweep"] if r["threshold"] == record["threshold"]] == [0]
    assert all(r["errors"] > 0 for r in record["sweep"] if r["threshold"] > record["threshold"])
    assert model_threshold(model) == record["threshold"]
    # and a retriever of that model abstains by it
    assert Retriever.load(seed_index, Settings(), embedder=embedder).threshold == record["threshold"]
