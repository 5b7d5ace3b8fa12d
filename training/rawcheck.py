"""Check a writer's raw TSV file: ``python -m training.rawcheck FILE [--corpus DIR]``."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from training.questions import from_raw_line
from training.sections import load_sections


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("training/corpus"))
    args = ap.parse_args()
    sections = {s.key: s for s in load_sections(args.corpus)}
    ok, bad, styles = 0, 0, Counter()
    for lineno, line in enumerate(args.file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = from_raw_line(line, sections)
        except ValueError as exc:
            bad += 1
            print(f"{args.file}:{lineno}: {exc}")
            continue
        ok += 1
        styles[q.style] += 1
    print(f"{ok} good lines ({dict(styles)}), {bad} bad")


if __name__ == "__main__":
    main()
