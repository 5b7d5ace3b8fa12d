"""Terminal tables and JSON for eval results."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

from eval.pooled import SetRow, in_scope_metrics, merged
from eval.questionset import KINDS_OUT
from eval.runner import OVERALL, ModeReport


def _fmt(v: float) -> str:
    return "   -" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.3f}"


# What the figures mean, printed once under the tables and in --help.
LEGEND = ("Hit@k: share of answerable questions with a relevant passage in the first k; MRR@10: mean of "
          "1/rank of the first relevant one (0 past 10); nDCG@10: how high the relevant passages rank in the "
          "first 10, each relevant passage counting 1 (a set labels none higher than another); Recall@10: share "
          "of relevant passages in the first 10; refused: answerable questions refused (each a miss above); "
          "abstained: out-of-scope questions refused; in-scope, patient, out-of-scope (several sets): how many "
          "questions, patient Hit@1 that of the questions of kind patient; rr: one question's 1/rank; -: a "
          "figure past --k or with no questions")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths are one file, a hard link to the other included: a report written to
    ``--json`` must not replace the question set it scores (`eval.__main__`, `eval.lay`)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def table(reports: list[ModeReport]) -> str:
    """Modes side by side: one block per question group, then refusals and latency."""
    answerable = sum(kind != KINDS_OUT for kind in reports[0].kinds.values())
    refusals = {"in_scope_abstained": f"refused (answerable, n={answerable})",
                "out_of_scope_abstained": f"abstained (out of scope, n={reports[0].counts.get('out_of_scope', 0)})"}
    width = max(24, *(len(label) + 4 for label in refusals.values()))
    head = "".ljust(width) + "".join(r.mode.rjust(10) for r in reports)
    lines = []
    groups = list(reports[0].metrics)
    groups.sort(key=lambda g: (not g.startswith(OVERALL), not g.startswith("focus_"), g))
    for group in groups:
        n = reports[0].counts.get(group, 0)
        lines.append(f"{group} (n={n})")
        lines.append(head)
        for metric in reports[0].metrics[group]:
            values = "".join(_fmt(r.metrics[group][metric]).rjust(10) for r in reports)
            lines.append(f"  {metric}".ljust(width) + values)
        lines.append("")
    lines.append("refusals")
    lines.append(head)
    for key, label in refusals.items():
        lines.append(f"  {label}".ljust(width) + "".join(_fmt(r.abstention[key]).rjust(10) for r in reports))
    lines.append("")
    lines.append("latency (ms, in-process)")
    lines.append(head)
    for key in ("p50_ms", "p95_ms"):
        lines.append(f"  {key}".ljust(width) + "".join(f"{r.latency[key]:.1f}".rjust(10) for r in reports))
    return "\n".join(lines)


def _refused(r: dict) -> str:
    """A refused answerable question's `eval.runner.refusal` in words: how near it came."""
    rank, n = r["held_back_rank"], r["held_back"]
    where = f"its passage {rank} of the {n} held back" if rank else f"its passage not among the {n} held back"
    vetoes = f"; {', '.join(r['vetoes'])}" if r["vetoes"] else ""
    confidence = round(r["confidence"], 2) + 0.0  # never "-0.00"
    return f"refused: confidence {confidence:.2f} under threshold {r['threshold']:.2f}{vetoes}; {where}"


def failures_text(report: ModeReport) -> str:
    """The misses `--failures` asked for; a refused answerable one with how near it came, and
    the passages the search held back in place of its answer."""
    if not report.failures:
        return f"worst misses ({report.mode}): none"
    out = [f"worst misses ({report.mode}):"]
    for f in report.failures:
        why = (_refused(f["refusal"]) if "refusal" in f else "refused") if f["abstained"] else \
            (f"rr={f['rr']:.2f}" if f["rr"] is not None else "answered")
        out.append(f"- {f['id']} [{why}] {f['question']}")
        out.append(f"    gold: {' | '.join(f['gold'])}")
        if f["abstained"] and f["top"]:
            out.append("    held back:")
        for i, t in enumerate(f["top"], 1):
            out.append(f"    {i}. {t}")
    return "\n".join(out)


def _no_nan(value):
    """``value`` with NaN (a figure with no questions to compute it on) as None: JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_no_nan(v) for v in value]
    return value


def _figures(r: ModeReport) -> dict:
    return {"metrics": r.metrics, "abstention": r.abstention, "latency": r.latency,
            "counts": r.counts, "failures": r.failures, "outcomes": r.outcomes}


def to_json(reports: list[ModeReport], meta: dict) -> str:
    """Every figure as strict JSON; a figure without questions (no out-of-scope items) is null."""
    return json.dumps(_no_nan({"meta": meta, "modes": {r.mode: _figures(r) for r in reports}}),
                      indent=2, allow_nan=False)


def pooled_json(by_mode: dict[str, dict[str, ModeReport]], rows: dict[str, list[SetRow]], meta: dict) -> str:
    """Several sets' figures: ``sets[name][mode]`` holds what `to_json` writes for one set's
    mode, ``rows[mode]`` the rows of `eval.pooled` and ``pooled_metrics[mode]`` the pool's
    every ir-measures figure."""
    return json.dumps(_no_nan({
        "meta": meta,
        "sets": {name: {m: _figures(by_mode[m][name]) for m in by_mode} for name in next(iter(by_mode.values()))},
        "rows": {m: [r.to_dict() for r in set_rows] for m, set_rows in rows.items()},
        "pooled_metrics": {m: in_scope_metrics(merged(reports)) for m, reports in by_mode.items()},
    }), indent=2, allow_nan=False)
