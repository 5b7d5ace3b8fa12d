"""`eval.report`: the single-set table, its legend, and the misses list."""

import pytest

from eval.__main__ import main as eval_main
from eval.report import LEGEND, failures_text, table
from eval.runner import ModeReport


def report(**kw) -> ModeReport:
    r = ModeReport(mode="hybrid", metrics={"in_scope": {"Hit@1": 0.5}}, latency={"p50_ms": 1.0, "p95_ms": 2.0},
                   counts={"in_scope": 2, "out_of_scope": 1}, kinds={"a": "patient", "b": "staff", "o": "out_of_scope"},
                   abstention={"in_scope_abstained": 0.5, "out_of_scope_abstained": 1.0})
    for key, value in kw.items():
        setattr(r, key, value)
    return r


def test_refusals_are_named_as_in_the_pooled_table_each_with_its_own_n():
    """The answerable questions' refusal share was printed under "abstention (out_of_scope n=6)"."""
    lines = table([report()]).splitlines()
    assert "abstention" not in "\n".join(lines)
    start = lines.index("refusals")
    assert lines[start + 2].split() == ["refused", "(answerable,", "n=2)", "0.500"]
    assert lines[start + 3].split() == ["abstained", "(out", "of", "scope,", "n=1)", "1.000"]


def test_no_misses_print_no_empty_header():
    assert failures_text(report()) == "worst misses (hybrid): none"


def test_the_legend_names_every_figure_and_is_in_help(capsys):
    for name in ("Hit@k", "MRR@10", "nDCG@10", "Recall@10", "refused", "abstained", "rr"):
        assert f"{name}: " in LEGEND
    with pytest.raises(SystemExit):
        eval_main(["--help"])
    assert "Recall@10: share of relevant" in " ".join(capsys.readouterr().out.split())
