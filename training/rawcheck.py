"""Check a writer's raw TSV file: ``python -m training.rawcheck FILE [--corpus DIR]``."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from training.questions import read_raw
from training.sections import load_sections


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("file", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("training/corpus"))
    args = ap.parse_args()
    sections = {s.key: s for s in load_sections(args.corpus)}
    ok, bad, styles = 0, 0, Counter()
    for lineno, q, why in read_raw(args.file, sections):
        if q is None:
            bad += 1
            print(f"{args.file}:{lineno}: {why}")
            continue
        ok += 1
        styles[q.style] += 1
    print(f"{ok} good lines ({dict(styles)}), {bad} bad")


if __name__ == "__main__":
    main()
