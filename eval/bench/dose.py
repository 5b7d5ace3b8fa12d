"""How `retriever.dose_typed` reads "dose": the lines of ``eval/dose`` where it is a noun,
and those where it is "does" mistyped (eval/dose/README.md).

A noun line is read right when no "dose" of it is read as the slip (and so the question is
not rewritten); a slip line when each plain "dose" is read as the slip and each ``{dose}``
is not. Reported per pair of files, with the lines the planner would rewrite.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from retriever.dose_typed import read_does, reads_does

_DOSE = re.compile(r"\bdose\b", re.IGNORECASE)
_MARKED = re.compile(r"\{dose\}|\bdose\b", re.IGNORECASE)


def noun_read_right(line: str) -> bool:
    return not any(reads_does(line, *m.span()) for m in _DOSE.finditer(line))


def slip_read_right(line: str) -> bool:
    """Each plain "dose" of ``line`` read as the slip, each ``{dose}`` as the noun."""
    text = line.replace("{dose}", "dose")
    nouns = [m.group() == "{dose}" for m in _MARKED.finditer(line)]
    return all(reads_does(text, *m.span()) != noun for m, noun in zip(_DOSE.finditer(text), nouns))


def score(nouns: list[str], slips: list[str]) -> dict[str, int]:
    plain = [s.replace("{dose}", "dose") for s in slips]
    return {"nouns": len(nouns), "nouns_right": sum(map(noun_read_right, nouns)),
            "nouns_rewritten": sum(read_does(n) != n for n in nouns),
            "slips": len(slips), "slips_right": sum(map(slip_read_right, slips)),
            "slips_rewritten": sum(read_does(s) != s for s in plain)}


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(args: argparse.Namespace) -> int:
    pairs = sorted(p.name[:-len("_nouns.txt")] for p in args.folder.glob("*_nouns.txt")
                   if (args.folder / p.name.replace("_nouns", "_slips")).is_file())
    if not pairs:
        print(f"error: {args.folder}: no NAME_nouns.txt with its NAME_slips.txt", file=sys.stderr)
        return 2
    print(f"`{args.command_line}`\n")
    print("| lines | nouns read right | nouns rewritten | slips read right | slips rewritten |")
    print("|---|---:|---:|---:|---:|")
    for name in pairs:
        s = score(_lines(args.folder / f"{name}_nouns.txt"), _lines(args.folder / f"{name}_slips.txt"))
        print(f"| {name} | {s['nouns_right']} / {s['nouns']} | {s['nouns_rewritten']} | "
              f"{s['slips_right']} / {s['slips']} | {s['slips_rewritten']} |")
    return 0


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("dose", help='how "dose" is read: a noun, or "does" mistyped',
                              description=__doc__.split("\n\n")[0])
    p.add_argument("folder", type=Path, nargs="?", default=Path("eval/dose"),
                   help="NAME_nouns.txt and NAME_slips.txt pairs (default eval/dose)")
    p.set_defaults(func=run)
