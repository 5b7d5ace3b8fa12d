"""``python -m eval QUESTIONS.jsonl [MORE.jsonl ...] --index INDEX_DIR [--mode hybrid|dense|bm25|all]``

One set gets every figure by question group; several get a row each and the pooled row
(`eval.pooled`), the figure changes are judged on.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import textwrap
from pathlib import Path
from typing import TextIO

from eval import pooled
from eval.indexcheck import (
    check_against_index,
    index_message,
    repeated_heading_note,
    shared_sections_note,
    stray_quotes_note,
)
from eval.questionset import QuestionSet, QuestionSetError, load_questions
from eval.report import LEGEND, failures_text, pooled_json, same_file, table, to_json
from eval.runner import document_ceiling, evaluate
from retriever.embedding import ModelError
from retriever.models import MODES
from retriever.provenance import describe, run_line, search_settings
from retriever.search import Retriever
from retriever.settings import Settings, SettingsProblem, read_settings
from retriever.store import IndexLoadError

STDOUT = "-"  # --json -: the report to stdout, the tables to stderr


class _Parser(argparse.ArgumentParser):
    """Refuses an option argparse cannot read ("--mode foo", "--k abc") in one "error:" line,
    as `_argument_problem` refuses the ones it reads, rather than the usage block first."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (python -m eval --help lists the options)\n")


def main(argv: list[str] | None = None) -> int:
    p = _Parser(prog="python -m eval", description="Score retrieval on a question set.", epilog=LEGEND)
    p.add_argument("questions", type=Path, nargs="+", help="JSONL question set (sections/evidence or MedQuAD "
                   "style; the format: eval/questions/README.md); several section sets are also scored pooled")
    p.add_argument("--index", type=Path, default=None, help="index folder (default: $PDQ_INDEX_DIR or ./index)")
    p.add_argument("--mode", choices=[*MODES, "all"], default="hybrid", help="searcher(s) scored (default hybrid)")
    p.add_argument("--k", type=int, default=10, help="passages retrieved per question (default 10)")
    p.add_argument("--json", type=_report_path, default=None, help="also write every figure as JSON here "
                   "(- : to stdout, the tables then to stderr)")
    p.add_argument("--failures", type=int, default=0, help="list the N worst misses")
    args = p.parse_args(argv)
    if problem := _argument_problem(args):  # one "error:" line, as every other refusal here
        print(f"error: {problem}", file=sys.stderr)
        return 2
    out = sys.stdout
    if args.json != STDOUT:
        return _run(args, out)
    with contextlib.redirect_stdout(sys.stderr):  # the tables to stderr, so that stdout is the JSON alone
        return _run(args, out)


def _run(args: argparse.Namespace, out: TextIO) -> int:
    """Load, check and score the sets; ``out``: where ``--json -`` writes the report."""
    try:
        settings = read_settings()
        index_dir = args.index or settings.index_dir
        qsets, bad = _load_all(args.questions)
        if len(qsets) > 1 and (mq := next((q for q in qsets if q.style == "medquad"), None)):
            raise QuestionSetError(f"{mq.path}: a MedQuAD-style set is judged by document as well as by "
                                   "passage, so it is not pooled with other sets; score it on its own")
        if bad:
            raise QuestionSetError(_all_problems(bad, qsets, index_dir, settings))
        if args.json and args.json != STDOUT and args.json.resolve().is_relative_to(index_dir.resolve()):
            raise QuestionSetError(f"--json {args.json}: is inside the index folder {index_dir}, whose files the "
                                   "report would overwrite; name a file outside it")
        retriever = Retriever.load(index_dir, settings)
        for qset in qsets:
            check_against_index(qset, retriever, index_dir)
    except (QuestionSetError, IndexLoadError, SettingsProblem, ModelError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    retriever.warm_up()  # the speller's and planner's lazy loads, paid before any search is timed
    modes = list(MODES) if args.mode == "all" else [args.mode]
    if len(qsets) > 1:
        return _several(args, qsets, retriever, index_dir, modes, out)
    qset = qsets[0]
    reports = [evaluate(qset, retriever, m, k=args.k, failures=args.failures) for m in modes]
    print(f"{qset.path} ({len(qset.questions)} question{'s' * (len(qset.questions) != 1)}"
          + (f", {qset.skipped} without a document skipped" if qset.skipped else "")
          + f") on {index_dir} [{retriever.manifest.chunks_count} chunks]\n{run_line(retriever)}\n")
    print(shared_sections_note(qset, retriever) + repeated_heading_note(qset, retriever)
          + stray_quotes_note(qset, retriever), end="")
    best, n = document_ceiling(qset.questions) if qset.style == "medquad" else (0, 0)
    if best < n:
        print(f"{n - best} of the {n} in-scope questions repeat another's wording with another summary as "
              f"gold, so no ranking gets them all: document Hit@1 is at most {best / n:.3f}\n")
    print(table(reports))
    print("\n" + textwrap.fill(LEGEND, 100))
    if args.failures:
        for r in reports:
            print()
            print(failures_text(r))
    if args.json:
        _write(args.json, out, to_json(reports, {"questions": str(qset.path), "index": str(index_dir),
                                               "k": args.k, **describe(retriever),
                                               "settings": search_settings(retriever),
                                               "document_hit1_ceiling": best / n if n else None}))
    return 0


def _load_all(paths: list[Path]) -> tuple[list[QuestionSet], list[QuestionSetError]]:
    """Every set that loads, and the errors of those that do not (each with its good lines,
    when it has some, to check against the index as well)."""
    qsets, bad = [], []
    for path in paths:
        try:
            qsets.append(load_questions(path))
        except QuestionSetError as err:
            bad.append(err)
    return qsets, bad


def _all_problems(bad: list[QuestionSetError], qsets: list[QuestionSet], index_dir: Path,
                  settings: Settings) -> str:
    """The files' bad lines, then every good line of every file that the index cannot judge:
    one run names all. The index is read only when there are good lines to check, and when
    it cannot be read, the files' own problems come first; the index's after they are fixed."""
    problems = [str(err) for err in bad]
    if any(err.partial for err in bad):
        try:
            retriever = Retriever.load(index_dir, settings)
        except IndexLoadError:
            return "\n".join(problems)
        checked = [err.partial for err in bad if err.partial] + qsets
        problems += filter(None, (index_message(qset, retriever, index_dir) for qset in checked))
    return "\n".join(problems)


def _argument_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the arguments argparse accepted, said before anything loads."""
    if args.k < 1:
        return "--k must be at least 1"
    if args.failures < 0:
        return "--failures must be 0 (none listed) or more"
    named = [q.resolve() for q in args.questions]
    if same := list(dict.fromkeys(str(q) for q, r in zip(args.questions, named) if named.count(r) > 1)):
        said = f"{same[0]} is named twice" if len(same) == 1 else f"{' and '.join(same)} name one file twice"
        return f"{said}; each set is scored once"
    if args.json and args.json != STDOUT:
        if args.json.resolve() in named or any(same_file(args.json, q) for q in args.questions):
            return (f"--json {args.json}: is a question set being scored, which the report would overwrite; "
                    f"name another file (e.g. {args.json.with_suffix('.report.json')})")
        if problem := _unwritable(args.json):
            return f"--json {args.json}: {problem}"  # said before the run, not after it
    return None


def _several(args: argparse.Namespace, qsets: list[QuestionSet], retriever: Retriever, index_dir: Path,
             modes: list[str], out: TextIO) -> int:
    """Score each set in each mode and print a row per set and the pooled row (`eval.pooled`)."""
    names = pooled.set_names([q.path for q in qsets])
    by_mode = {m: {name: evaluate(q, retriever, m, k=args.k, failures=args.failures)
                   for name, q in zip(names, qsets)} for m in modes}
    total = sum(len(q.questions) for q in qsets)
    print(f"{len(qsets)} sets ({total} questions) on {index_dir} [{retriever.manifest.chunks_count} chunks]\n"
          f"{run_line(retriever)}\n")
    print("".join(shared_sections_note(q, retriever) + repeated_heading_note(q, retriever)
                  + stray_quotes_note(q, retriever) for q in qsets), end="")
    rows = {m: pooled.rows(reports) for m, reports in by_mode.items()}
    print("\n\n".join(pooled.table(m, rows[m], args.k) for m in modes))
    print("\n" + textwrap.fill(LEGEND, 100))
    if args.failures:
        for reports in by_mode.values():
            for name, r in reports.items():
                print(f"\n{name}: " + failures_text(r))
    if args.json:
        _write(args.json, out, pooled_json(by_mode, rows, {
            "questions": [str(q.path) for q in qsets], "index": str(index_dir), "k": args.k,
            **describe(retriever), "settings": search_settings(retriever)}))
    return 0


def _report_path(value: str) -> Path | str:
    """``-`` as typed (stdout); any other value a path, so that ``./-`` names a file."""
    return STDOUT if value == STDOUT else Path(value)


def _unwritable(path: Path) -> str | None:
    """Why ``path`` cannot be written, or None. Missing folders are made only when the report
    is written (`_write`): a run refused later leaves none behind."""
    if path.is_dir():
        return "is a folder; name a file"
    if path.is_symlink() and not path.exists():
        return "is a link to nothing; name a file"
    if path.exists():
        try:
            with path.open("a", encoding="utf-8"):
                pass
        except OSError as exc:
            return f"cannot be written ({exc.strerror})"
        return None
    nearest = next(p for p in path.absolute().parents if p.exists())
    if not nearest.is_dir():
        return f"cannot make its folder ({nearest} is a file)"
    return None if os.access(nearest, os.W_OK | os.X_OK) else f"cannot make its folder ({nearest} is read-only)"


def _write(path: Path | str, out: TextIO, text: str) -> None:
    """The report to ``path``, its folders made first, or to ``out`` for ``--json -``."""
    if path == STDOUT:
        out.write(text.rstrip("\n") + "\n")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
