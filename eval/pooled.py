"""Several question sets scored as one: a row per set and the pooled row.

A set of 40 to 90 questions moves by one to two and a half points a question, so a change
is judged on all the unseen sets together, not on one set's figure. The pooled row is
computed the way each set's is (ir-measures over every question of every set, each id
prefixed by its set's name) rather than as a mean of the sets' figures, so a large set
weighs by its questions and the row is the figure one big set would give.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

from eval.metrics import ir_metrics, share
from eval.questionset import KINDS_OUT
from eval.runner import ModeReport

POOLED = "pooled"


@dataclass(frozen=True)
class SetRow:
    """One set's (or the pool's) headline figures for one mode; NaN where no question counts."""

    name: str
    in_scope: int
    hit1: float
    patient: int
    patient_hit1: float
    hit5: float
    mrr: float
    refused: float
    out_of_scope: int
    abstained: float

    def to_dict(self) -> dict:
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in asdict(self).items()}


def set_names(paths: list[Path]) -> list[str]:
    """Short names for the sets' rows: the file name without ``_questions.jsonl``, or the
    path as given where two files would share a name."""
    short = [p.name.removesuffix(".jsonl").removesuffix("_questions") for p in paths]
    return short if len(set(short)) == len(short) and POOLED not in short else [str(p) for p in paths]


def merged(reports: dict[str, ModeReport]) -> ModeReport:
    """The reports of several sets (one mode) as one report's per-question outcomes."""
    first = next(iter(reports.values()))
    out = ModeReport(mode=first.mode, k=min(r.k for r in reports.values()))
    for name, r in reports.items():
        for qid, kind in r.kinds.items():
            key = f"{name}/{qid}"
            out.kinds[key] = kind
            out.refused[key] = r.refused[qid]
            out.run[key] = r.run.get(qid, {})
            if qid in r.qrels:
                out.qrels[key] = r.qrels[qid]
    return out


def in_scope_metrics(report: ModeReport) -> dict[str, float]:
    """Every ir-measures figure of the report's in-scope questions (a row's, and the pool's in ``--json``)."""
    return ir_metrics({q: r for q, r in report.qrels.items() if report.kinds[q] != KINDS_OUT}, report.run, report.k)


def row(name: str, report: ModeReport) -> SetRow:
    """Headline figures of one report's questions (a set, or `merged` sets)."""
    inscope = [q for q, kind in report.kinds.items() if kind != KINDS_OUT]
    patient = [q for q in inscope if report.kinds[q] == "patient"]
    outscope = [q for q, kind in report.kinds.items() if kind == KINDS_OUT]
    nan = float("nan")
    m = in_scope_metrics(report)
    p = ir_metrics({q: report.qrels[q] for q in patient}, report.run, report.k)
    return SetRow(name=name, in_scope=len(inscope), hit1=m.get("Hit@1", nan), patient=len(patient),
                  patient_hit1=p.get("Hit@1", nan), hit5=m.get("Hit@5", nan), mrr=m.get("MRR@10", nan),
                  refused=share([report.refused[q] for q in inscope]), out_of_scope=len(outscope),
                  abstained=share([report.refused[q] for q in outscope]))


def rows(reports: dict[str, ModeReport]) -> list[SetRow]:
    """A row per set, then the pooled row."""
    return [row(name, r) for name, r in reports.items()] + [row(POOLED, merged(reports))]


COLUMNS = ("in-scope", "Hit@1", "Hit@5", "MRR@10", "refused", "patient", "patient Hit@1", "out-of-scope",
           "abstained")


def table(mode: str, set_rows: list[SetRow], k: int = 10) -> str:
    """The rows as a terminal table, with what one question is worth in the smallest set and the pool."""
    def f(v: float) -> str:
        return "-" if math.isnan(v) else f"{v:.3f}"

    width = max(len(r.name) for r in set_rows) + 2
    lines = [mode, "set".ljust(width) + "  ".join(COLUMNS)]
    for r in set_rows:
        cells = (str(r.in_scope), f(r.hit1), f(r.hit5), f(r.mrr), f(r.refused), str(r.patient),
                 f(r.patient_hit1), str(r.out_of_scope), f(r.abstained))
        lines.append(r.name.ljust(width) + "  ".join(c.rjust(len(h)) for c, h in zip(cells, COLUMNS)))
    answerable = [r for r in set_rows[:-1] if r.in_scope]
    if answerable:
        smallest = min(answerable, key=lambda r: r.in_scope)
        lines.append(f"one in-scope question moves Hit@1 by {1 / smallest.in_scope:.4f} in the smallest set "
                     f"({smallest.name}) and by {1 / set_rows[-1].in_scope:.4f} pooled")
    if k < 10:
        lines.append(f"--k {k}: figures cut off past {k} passages (Hit@5 for k < 5, MRR@10) are left out, shown as -")
    return "\n".join(lines)
