"""How the animal check reads labelled lines it was not fitted on, and what it changes.

Each line of the file (``{"text": ..., "label": "animal" | "person", "kind": ...}``) is
searched as typed, with the check and without it (``animal_check`` off), and counted per
label and kind: "animal" lines answered are passages about people given for an animal;
"person" lines flagged are people's questions the check refuses.
``eval/animals/animal_questions.jsonl`` was written apart from the training lines, to the
same brief (training/questions/ANIMALS_BRIEF.md). Counts only: the lines stay unread.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

from eval.bench import publish


def counted(retriever, rows: list[dict]) -> dict[tuple[str, str], Counter]:
    """Per (label, kind): lines, flagged by the check, answered with it and without it."""
    without = retriever.with_settings(replace(retriever.settings, animal_check=False))
    out: dict[tuple[str, str], Counter] = {}
    for row in rows:
        c = out.setdefault((row["label"], row.get("kind", "")), Counter())
        result = retriever.search(row["text"], k=3)
        c["lines"] += 1
        c["flagged"] += bool(result.evidence and result.evidence.animal)
        c["answered"] += not result.abstained
        c["answered without"] += not without.search(row["text"], k=3).abstained
    return out


def table(counts: dict[tuple[str, str], Counter], command: str) -> str:
    lines = [f"`{command}`\n", "| label | kind | lines | flagged | answered without the check | answered |",
             "|---|---|---:|---:|---:|---:|"]
    rows = sorted(counts.items()) + [((label, "all"), sum((c for (lab, _), c in counts.items() if lab == label),
                                                          Counter())) for label in sorted({lab for lab, _ in counts})]
    for (label, kind), c in rows:
        lines.append(f"| {label} | {kind} | " + " | ".join(str(c[k]) for k in ("lines", "flagged", "answered without",
                                                                                 "answered")) + " |")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from retriever.embedding import ModelError
    from retriever.search import Retriever
    from retriever.store import IndexLoadError

    try:
        rows = [_row(args.lines, n, line) for n, line in
                enumerate(args.lines.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
        retriever = Retriever.load(args.index)
    except (OSError, ValueError, IndexLoadError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return publish(table(counted(retriever, rows), args.command_line), args.out)


def _row(path: Path, n: int, line: str) -> dict:
    """The line's object, or a ValueError naming file and line."""
    try:
        row = json.loads(line)
    except ValueError:
        raise ValueError(f"{path}:{n}: not a JSON object") from None
    if not (isinstance(row, dict) and isinstance(row.get("text"), str) and row.get("label") in ("animal", "person")):
        raise ValueError(f"{path}:{n}: needs 'text' and 'label' (animal or person)")
    return row


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("animals", help="the animal check on labelled lines: flagged and answered per kind",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("lines", type=Path, nargs="?", default=Path("eval/animals/animal_questions.jsonl"))
    p.add_argument("--index", type=Path, default=Path("index"))
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
