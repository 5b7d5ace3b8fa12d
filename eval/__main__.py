"""``python -m eval QUESTIONS.jsonl --index INDEX_DIR [--mode hybrid|dense|bm25|all]``"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eval.questionset import QuestionSetError, load_questions
from eval.report import failures_text, table, to_json
from eval.runner import check_against_index, document_ceiling, evaluate
from retriever.models import MODES
from retriever.search import Retriever
from retriever.settings import SettingsProblem, read_settings
from retriever.store import IndexLoadError


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval", description="Score retrieval on a question set.")
    p.add_argument("questions", type=Path, help="JSONL question set (sections/evidence or MedQuAD style)")
    p.add_argument("--index", type=Path, default=None, help="index folder (default: $PDQ_INDEX_DIR or ./index)")
    p.add_argument("--mode", choices=[*MODES, "all"], default="hybrid")
    p.add_argument("--k", type=int, default=10, help="passages retrieved per question")
    p.add_argument("--json", type=Path, default=None, help="also write every figure as JSON here")
    p.add_argument("--failures", type=int, default=0, help="list the N worst misses")
    args = p.parse_args(argv)
    if args.k < 1:
        p.error("--k must be at least 1")
    if args.failures < 0:
        p.error("--failures must be 0 (none listed) or more")

    if args.json and (problem := _unwritable(args.json)):
        p.error(f"--json {args.json}: {problem}")  # said before the run, not after it
    try:
        settings = read_settings()
        index_dir = args.index or settings.index_dir
        qset = load_questions(args.questions)
        retriever = Retriever.load(index_dir, settings)
        check_against_index(qset, retriever, index_dir)
    except (QuestionSetError, IndexLoadError, SettingsProblem) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    modes = list(MODES) if args.mode == "all" else [args.mode]
    reports = [evaluate(qset, retriever, m, k=args.k, failures=args.failures) for m in modes]
    print(f"{args.questions} ({len(qset.questions)} questions"
          + (f", {qset.skipped} without a document skipped" if qset.skipped else "")
          + f") on {index_dir} [{retriever.manifest.chunks_count} chunks]\n")
    best, n = document_ceiling(qset.questions) if qset.style == "medquad" else (0, 0)
    if best < n:
        print(f"{n - best} of the {n} in-scope questions repeat another's wording with another summary as "
              f"gold, so no ranking gets them all: document Hit@1 is at most {best / n:.3f}\n")
    print(table(reports))
    if args.failures:
        for r in reports:
            print()
            print(failures_text(r))
    if args.json:
        args.json.write_text(to_json(reports, {"questions": str(args.questions), "index": str(index_dir),
                                               "k": args.k, "abstain_threshold": retriever.threshold,
                                               "document_hit1_ceiling": best / n if n else None}))
    return 0


def _unwritable(path: Path) -> str | None:
    """Why ``path`` cannot be written (its folders are made if missing), or None."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot make its folder ({exc.strerror})"
    if path.is_dir():
        return "is a folder; name a file"
    existed = path.exists()
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        return f"cannot be written ({exc.strerror})"
    if not existed:
        path.unlink()
    return None


if __name__ == "__main__":
    sys.exit(main())
