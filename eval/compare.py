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

Two runs scored with different ``--k`` are refused when either stops before the deepest
figure compared (Hit@5): it has no figure past its k, and a question it never looked for
would count as lost. At k=5 and k=10 every figure exists in both. Two runs on
another index or model are compared, since that is often the change being judged, under a
note naming what differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from scipy.stats import binomtest

from eval.lay import K as LAY_K
from eval.pooled import POOLED, set_names
from eval.questionset import KINDS_OUT

# Hit@1 and Hit@5 of the answerable questions, the answerable ones refused, the out-of-scope ones abstained on.
FIGURES = ("Hit@1", "Hit@5", "refused", "abstained")
CUTOFF = {"Hit@1": 1, "Hit@5": 5}  # passages a figure looks at: past a run's k it does not exist


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


@dataclass(frozen=True)
class Run:
    """What a report was scored with: the passages retrieved a question (``k``; None in a
    report that does not say) and the index and model (`retriever.provenance.describe`)."""

    k: int | None
    setup: dict


# What `differences` compares: the index (as built) and what searched it.
SETUP = ("index_created", "documents", "chunks", "model", "backend", "encoder", "ranker", "domain_check",
         "answer_check", "crisis_check", "passing_check", "animal_check", "abstain_threshold")


def load(path: Path) -> dict:
    """A report's JSON, or a one-line `ReportError` naming the file."""
    if not path.is_file():
        raise ReportError(f"{path}: {'a folder' if path.is_dir() else 'no such file'}; give a report written by "
                          "python -m eval ... --json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ReportError(f"{path}: not a report of python -m eval --json ({exc})") from None
    if not isinstance(raw, dict):
        raise ReportError(f"{path}: not a report of python -m eval --json (not a JSON object)")
    return raw


def run_of(raw: dict) -> Run:
    """The run a loaded report describes; a lay report searched `eval.lay.K` passages a question."""
    if "in_scope" in raw:
        meta = raw.get("run") if isinstance(raw.get("run"), dict) else {}
        return Run(raw.get("k", LAY_K), _setup(meta))
    meta = raw.get("meta") if isinstance(raw.get("meta"), dict) else {}
    return Run(meta.get("k"), _setup(meta) | {"index": meta.get("index")})


def _setup(meta: dict) -> dict:
    """`SETUP`'s fields of a report's run, and its search settings (`retriever.provenance.
    search_settings`), so that a run with ``PDQ_LEXICON=false`` is not compared as if it were another's."""
    out = {f: meta[f] for f in SETUP if f in meta}
    if isinstance(meta.get("settings"), dict):
        out["settings"] = meta["settings"]
    return out


def differences(before: Run, after: Run, names: tuple[Path, Path]) -> list[str]:
    """How the two runs' index and model differ, ``field: before -> after`` each.

    Raises:
        ReportError: they were scored with different ``--k``, one under the deepest figure's
            (Hit@5 at k=1), so a question would be counted lost that was never looked for.
    """
    deepest = max(CUTOFF.values())
    if before.k is not None and after.k is not None and before.k != after.k and min(before.k, after.k) < deepest:
        raise ReportError(f"{names[0]} was scored with --k {before.k} and {names[1]} with --k {after.k}: figures "
                          "past the smaller k do not exist in one of them; score both with the same --k")
    a, b = before.setup, after.setup
    out = [f"{f} {_said(a[f])} -> {_said(b[f])}" for f in SETUP if f in a and f in b and a[f] != b[f]]
    if "settings" in a and "settings" in b:
        sa, sb = a["settings"], b["settings"]
        out += [f"{name} {_said(sa[name])} -> {_said(sb[name])}"  # a setting one report lacks is not compared
                for name in sorted(sa.keys() & sb.keys()) if sa[name] != sb[name] and name not in SETUP]
    elif "settings" in a or "settings" in b:
        out.append("search settings recorded by one report only (the other was written before they were)")
    if out and a.get("index") != b.get("index") and "index_created" in a:
        out.insert(0, f"index {a.get('index')} -> {b.get('index')}")
    return out


def _said(value) -> str:
    """A setup value as the report's header says it: a check or ranker not used is "off"."""
    return "off" if value is None else str(value)


def outcomes_of(raw: dict, path: Path, mode: str) -> dict[str, dict[str, dict]]:
    """Each set's per-question outcomes in ``mode`` of a loaded report: ``{set: {question id: outcome}}``."""
    try:
        if "sets" in raw:  # several sets
            modes = {name: modes for name, modes in raw["sets"].items()}
        elif "in_scope" in raw:  # python -m eval.lay: one file's questions, hybrid only
            [name] = set_names([Path(raw.get("questions", path.stem))])
            modes = {name: {"hybrid": raw}}
        else:  # one set, named as its row would be
            [name] = set_names([Path(raw["meta"]["questions"])])
            modes = {name: raw["modes"]}
        figures = {name: (m.get(mode), sorted(m)) for name, m in modes.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ReportError(f"{path}: not a report of python -m eval --json ({exc})") from None
    out = {}
    for name, (fig, scored) in figures.items():
        if fig is None:
            raise ReportError(f"{path}: set {name!r} was not scored in mode {mode!r} (the report has "
                              f"{', '.join(scored) or 'no mode'}); pick one of those with --mode")
        if "outcomes" not in fig:
            raise ReportError(f"{path}: set {name!r} has no per-question outcomes (a report written before "
                              "they were recorded): score it again with --json")
        out[name] = fig["outcomes"]
    return out


def read_report(path: Path, mode: str) -> dict[str, dict[str, dict]]:
    """Each set's per-question outcomes in ``mode``: ``{set: {question id: outcome}}``."""
    return outcomes_of(load(path), path, mode)


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
    relabelled = [q for q, o in before.items() if "labels" in o and "labels" in after[q]
                  and o["labels"] != after[q]["labels"]]
    if relabelled:
        more = f", and {len(relabelled) - 1} more" if len(relabelled) > 1 else ""
        raise ReportError(f"{where}the answer of question {relabelled[0]} changed between the runs (its sections, "
                          f"evidence, doc, MedQuAD answer or focus{more}), which would count as passages won or lost: "
                          "score both runs with the same set files")


def changes(before: dict[str, dict], after: dict[str, dict], level: str, where: str = "",
            k: int | None = None) -> dict[str, Change]:
    """Every figure of `FIGURES` for one set's questions (both runs must hold the same ones);
    one that looks past ``k`` passages is left empty (shown as -), never made up."""
    same_questions(before, after, where)
    some = next(iter(before.values()), None)
    if some is not None and level not in some["rank"]:
        raise ReportError(f"{where}no {level!r} level (this set has {', '.join(some['rank'])}); pick one with --level")
    out = {}
    for figure in FIGURES:
        out_of_scope = figure == "abstained"
        ids = sorted(q for q, o in before.items() if (o["kind"] == KINDS_OUT) == out_of_scope)
        if k is not None and CUTOFF.get(figure, 0) > k:
            out[figure] = Change(0, 0, 0, (), ())
            continue
        b = {q: _success(figure, before[q], level) for q in ids}
        a = {q: _success(figure, after[q], level) for q in ids}
        out[figure] = Change(len(ids), sum(b.values()), sum(a.values()),
                             tuple(q for q in ids if a[q] and not b[q]), tuple(q for q in ids if b[q] and not a[q]))
    return out


def compare(before: dict[str, dict[str, dict]], after: dict[str, dict[str, dict]], level: str,
            k: int | None = None) -> tuple[dict[str, dict[str, Change]], list[str]]:
    """Figures per common set and pooled, and the sets only one report holds (``k``: the
    passages both runs retrieved a question, when known)."""
    common = [name for name in before if name in after]
    if not common:
        raise ReportError(f"the two reports share no set (sets are matched by their file's name: the first has "
                          f"{', '.join(before) or 'none'}; the second has {', '.join(after) or 'none'}): "
                          "compare runs of the same question files")
    rows = {name: changes(before[name], after[name], level, f"set {name!r}: ", k) for name in common}
    if len(common) > 1:
        pool_b = {f"{name}/{q}": o for name in common for q, o in before[name].items()}
        pool_a = {f"{name}/{q}": o for name in common for q, o in after[name].items()}
        rows[POOLED] = changes(pool_b, pool_a, level, k=k)
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
                 "the figure newly counts / no longer counts; p: two-sided exact sign test over those n + m; "
                 "-: no such figure (no such questions, or Hit@5 of runs with --k under 5)")
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
        raw = load(args.before), load(args.after)
        runs = run_of(raw[0]), run_of(raw[1])
        differ = differences(*runs, (args.before, args.after))
        rows, alone = compare(outcomes_of(raw[0], args.before, args.mode), outcomes_of(raw[1], args.after, args.mode),
                              args.level, runs[0].k)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.mode}, {args.level} level: {args.before} -> {args.after}")
    if differ:
        print(f"note: the runs differ in {'; '.join(differ)}: a change below may come from these, not only "
              "from the change being judged")
    print(table(rows, args.list))
    if alone:
        print(f"not compared (in one report only): {', '.join(alone)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
