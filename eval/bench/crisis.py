"""How the crisis check reads labelled lines it was not fitted on.

Each line of the file (``{"text": ..., "label": "crisis" | "topic" | "not" | "ambiguous"}``)
is searched as a patient types it, and the search's ``crisis`` flag counted per label:
"crisis" lines flagged is the recall that matters; "not" lines flagged are help boxes above
an answer that needed none. ``eval/crisis/reviewer_questions.jsonl`` was written by a
reviewer of an earlier, phrase-list version of the check, who never saw the training lines.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from eval.bench import publish


def flagged_by_label(retriever, rows: list[dict]) -> tuple[Counter, Counter, list[str], list[str]]:
    """Lines and lines flagged per label, the "crisis" lines missed and the "not" lines flagged."""
    total, flagged, missed, needless = Counter(), Counter(), [], []
    for row in rows:
        hit = retriever.search(row["text"], k=3).crisis
        total[row["label"]] += 1
        flagged[row["label"]] += hit
        if row["label"] == "crisis" and not hit:
            missed.append(row["text"])
        elif row["label"] == "not" and hit:
            needless.append(row["text"])
    return total, flagged, missed, needless


def run(args: argparse.Namespace) -> int:
    from retriever.search import Retriever

    try:
        rows = [json.loads(line) for line in args.lines.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        print(f"error: {args.lines}: {exc}")
        return 2
    total, flagged, missed, needless = flagged_by_label(Retriever.load(args.index), rows)
    lines = [f"`{args.command_line}`\n", "| label | lines | flagged |", "|---|---:|---:|"]
    lines += [f"| {label} | {total[label]} | {flagged[label]} |" for label in sorted(total)]
    text = "\n".join(lines) + "\n\nmissed crisis lines:\n" + "".join(f"- {t}\n" for t in missed)
    text += "\n\"not\" lines flagged:\n" + "".join(f"- {t}\n" for t in needless)
    return publish(text, args.out)


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("crisis", help="the crisis check on labelled lines: flagged per label",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("lines", type=Path, nargs="?", default=Path("eval/crisis/reviewer_questions.jsonl"))
    p.add_argument("--index", type=Path, default=Path("index"))
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
