import json

import pytest

from eval.__main__ import main as eval_main
from tests.conftest import ROOT

pytestmark = pytest.mark.model
PROJECT_SET = ROOT / "eval" / "questions" / "seed_questions.jsonl"


def test_eval_all_modes_table_and_json(seed_index, tmp_path, capsys):
    out_json = tmp_path / "r.json"
    code = eval_main([str(PROJECT_SET), "--index", str(seed_index), "--mode", "all",
                      "--json", str(out_json), "--failures", "3"])
    out = capsys.readouterr().out
    assert code == 0
    assert "hybrid" in out and "dense" in out and "bm25" in out and "Hit@1" in out
    assert "worst misses (hybrid)" in out
    data = json.loads(out_json.read_text())
    for mode in ("hybrid", "dense", "bm25"):
        m = data["modes"][mode]
        assert set(m["metrics"]["in_scope"]) == {"Hit@1", "Hit@3", "Hit@5", "Hit@10", "MRR@10", "nDCG@10", "Recall@10"}
        assert {"patient", "staff", "typo"} <= set(m["metrics"])
        assert set(m["abstention"]) == {"out_of_scope_abstained", "in_scope_abstained"}
        assert m["latency"]["p50_ms"] > 0
    hybrid = data["modes"]["hybrid"]
    assert hybrid["metrics"]["in_scope"]["Hit@5"] >= 0.8  # a sanity floor, not the target
    assert hybrid["abstention"]["out_of_scope_abstained"] > 0.5


def test_unknown_section_is_a_clear_error(seed_index, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x", "question": "q", "kind": "patient",
                               "sections": ["No Such Heading"], "evidence": []}) + "\n")
    assert eval_main([str(bad), "--index", str(seed_index)]) == 2
    assert "unknown section 'No Such Heading'" in capsys.readouterr().err


def test_missing_index_is_a_clear_error(tmp_path, capsys):
    assert eval_main([str(PROJECT_SET), "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "python -m ingest" in err
