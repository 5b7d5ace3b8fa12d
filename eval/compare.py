"""Two runs of the same question sets, question by question: what a change won and lost.

``python -m eval.compare BEFORE.json AFTER.json [--mode hybrid] [--level passage] [--list]``

Both files are ``python -m eval ... --json`` reports, or both ``python -m eval.lay ... --json``
ones (their passage level is the section's passage, their document level the summary, and
with ``--near-miss`` the near-misses count as out-of-scope questions). A set of 40 to 90 questions moves one
to two and a half points a question, and a change that wins four questions and loses three
moves a figure as much as one that wins one. So each figure is given as the questions it
won and lost, and the two-sided exact sign test (McNemar's, on the questions that changed)
says how often a change that does nothing would win or lose that unevenly: a p-value well
under 0.05 on the pooled row is a real change; one near 1 is a draw. The pooled row counts
every question of the sets both reports hold.

``--list`` names the questions that changed by id, not by text, so a set kept unread stays so.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from scipy.stats import binomtest

from eval.pooled import POOLED, set_names
from eval.questionset import KINDS_OUT

# Hit@1 and Hit@5 of the answerable questions, the answerable ones refused, the out-of-scope ones abstained on.
FIGURES = ("Hit@1", "Hit@5", "refused", "abstained")


class ReportError(ValueError):
    """An eval report that cannot be compared, naming the file and the fix."""


@dataclass(frozen=True)
class Change:
    """One figure of one set, before and after, and the questions it won and lost."""

    n: int
    before: int
    after: int
    won: tuple[str, ...]  # the questions the figure newly counts (a refusal too: "won" is no praise)
    lost: tuple[str, ...]  # the ones it no longer counts

    @property
    def p(self) -> float:
        """Two-sided exact sign test over the questions that changed (1.0 when none did)."""
        changed = len(self.won) + len(self.lost)
        return binomtest(len(self.won), changed, 0.5).pvalue if changed else 1.0


def read_report(path: Path, mode: str) -> dict[str, dict[str, dict]]:
    """Each set's per-question outcomes in ``mode``: ``{set: {question id: outcome}}``."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if "sets" in raw:  # several sets
            figures = {name: modes.get(mode) for name, modes in raw["sets"].items()}
        elif "in_scope" in raw:  # python -m eval.lay: one file's questions, hybrid only
            [name] = set_names([Path(raw.get("questions", path.stem))])
            figures = {name: raw if mode == "hybrid" else None}
        else:  # one set, named as its row would be
            [name] = set_names([Path(raw["meta"]["questions"])])
            figures = {name: raw["modes"].get(mode)}
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ReportError(f"{path}: not a report of python -m eval --json ({exc})") from None
    out = {}
    for name, fig in figures.items():
        if fig is None:
            raise ReportError(f"{path}: set {name!r} was not scored in mode {mode!r}; pick it with --mode")
        if "outcomes" not in fig:
            raise ReportError(f"{path}: set {name!r} has no per-question outcomes (a report written before "
                              "they were recorded): score it again with --json")
        out[name] = fig["outcomes"]
    return out


def _success(figure: str, outcome: dict, level: str) -> bool:
    rank = outcome["rank"][level]
    return {"Hit@1": rank == 1, "Hit@5": rank is not None and rank <= 5,
            "refused": outcome["refused"], "abstained": outcome["refused"]}[figure]


def same_questions(before: dict[str, dict], after: dict[str, dict], where: str = "") -> None:
    """Refuse two runs of different questions: other ids, or one reworded or of another kind."""
    if before.keys() != after.keys():
        odd = sorted(before.keys() ^ after.keys())
        raise ReportError(f"{where}the two runs hold different questions ({', '.join(odd[:5])}"
                          f"{' ...' if len(odd) > 5 else ''}): compare runs of the same set files")

    def reworded(a: dict, b: dict) -> bool:  # eval.lay's ids are a hash of the wording themselves
        return "wording" in a and "wording" in b and a["wording"] != b["wording"]

    edited = [q for q, o in before.items() if o["kind"] != after[q]["kind"] or reworded(o, after[q])]
    if edited:
        more = f", and {len(edited) - 1} more" if len(edited) > 1 else ""
        raise ReportError(f"{where}question {edited[0]} changed between the runs (its wording or kind{more}): "
                          "compare runs of the same set files")


def changes(before: dict[str, dict], after: dict[str, dict], level: str, where: str = "") -> dict[str, Change]:
    """Every figure of `FIGURES` for one set's questions (both runs must hold the same ones)."""
    same_questions(before, after, where)
    some = next(iter(before.values()), None)
    if some is not None and level not in some["rank"]:
        raise ReportError(f"{where}no {level!r} level (this set has {', '.join(some['rank'])}); pick one with --level")
    out = {}
    for figure in FIGURES:
        out_of_scope = figure == "abstained"
        ids = sorted(q for q, o in before.items() if (o["kind"] == KINDS_OUT) == out_of_scope)
        b = {q: _success(figure, before[q], level) for q in ids}
        a = {q: _success(figure, after[q], level) for q in ids}
        out[figure] = Change(len(ids), sum(b.values()), sum(a.values()),
                             tuple(q for q in ids if a[q] and not b[q]), tuple(q for q in ids if b[q] and not a[q]))
    return out


def compare(before: dict[str, dict[str, dict]], after: dict[str, dict[str, dict]], level: str
            ) -> tuple[dict[str, dict[str, Change]], list[str]]:
    """Figures per common set and pooled, and the sets only one report holds."""
    common = [name for name in before if name in after]
    if not common:
        raise ReportError("the two reports share no set: compare runs of the same question files")
    rows = {name: changes(before[name], after[name], level, f"set {name!r}: ") for name in common}
    if len(common) > 1:
        pool_b = {f"{name}/{q}": o for name in common for q, o in before[name].items()}
        pool_a = {f"{name}/{q}": o for name in common for q, o in after[name].items()}
        rows[POOLED] = changes(pool_b, pool_a, level)
    alone = sorted((before.keys() | after.keys()) - set(common))
    return rows, alone


def _cell(c: Change) -> str:
    if not c.n:
        return "-"
    p = f"p={c.p:.2f}" if c.won or c.lost else "even"
    return f"{c.before / c.n:.3f}->{c.after / c.n:.3f} +{len(c.won)}/-{len(c.lost)} {p}"


def table(rows: dict[str, dict[str, Change]], listed: bool = False) -> str:
    """A line per set (and the pool): each figure as before->after, questions won/lost and p."""
    width = max(len(name) for name in rows) + 2
    cols = [max(len(f), *(len(_cell(r[f])) for r in rows.values())) + 2 for f in FIGURES]
    lines = ["set".ljust(width) + "in-scope".rjust(9) + "".join(f.rjust(w) for f, w in zip(FIGURES, cols))
             + "out-of-scope".rjust(14)]
    for name, r in rows.items():
        lines.append(name.ljust(width) + str(r["Hit@1"].n).rjust(9)
                     + "".join(_cell(r[f]).rjust(w) for f, w in zip(FIGURES, cols)) + str(r["abstained"].n).rjust(14))
    lines.append("refused: answerable questions refused; abstained: out-of-scope ones refused. +n/-m: questions "
                 "the figure newly counts / no longer counts; p: two-sided exact sign test over those n + m")
    if listed:
        for name, r in rows.items():
            for f in (f for f in FIGURES if name != POOLED and (r[f].won or r[f].lost)):
                lines.append(f"{name} {f}: + {' '.join(r[f].won) or '(none)'}; - {' '.join(r[f].lost) or '(none)'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.compare", description=__doc__.split("\n\n")[0])
    p.add_argument("before", type=Path, help="python -m eval --json report of the first run")
    p.add_argument("after", type=Path, help="the same sets' report after the change")
    p.add_argument("--mode", default="hybrid", help="search mode both reports scored (default hybrid)")
    p.add_argument("--level", default="passage", choices=["passage", "document"],
                   help="what counts as found: the passage, or for MedQuAD-style sets the document")
    p.add_argument("--list", action="store_true", help="name the questions each figure won and lost, by id")
    args = p.parse_args(argv)
    try:
        rows, alone = compare(read_report(args.before, args.mode), read_report(args.after, args.mode), args.level)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.mode}, {args.level} level: {args.before} -> {args.after}")
    print(table(rows, args.list))
    if alone:
        print(f"not compared (in one report only): {', '.join(alone)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
