"""Check a writer's raw TSV file: ``python -m training.rawcheck FILE [--corpus DIR]``.

Exits 0 when every line is good, 1 when some are not (each named by file and line), 2 when
the file cannot be read at all: a writer's script can stop on it.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from training.questions import QuestionFileError, read_raw
from training.sections import load_sections


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("training/corpus"))
    args = ap.parse_args(argv)
    sections = {s.key: s for s in load_sections(args.corpus)}
    ok, bad, styles = 0, 0, Counter()
    try:
        for lineno, q, why in read_raw(args.file, sections):
            if q is None:
                bad += 1
                print(f"{args.file}:{lineno}: {why}")
                continue
            ok += 1
            styles[q.style] += 1
    except (QuestionFileError, OSError) as exc:  # not UTF-8, missing or unreadable: named, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{ok} good lines ({dict(styles)}), {bad} bad")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
