"""Write the writers' packets: every content section with its key and question quota.

The quota grows with the section's length (about one question and one query per 80
words, two to six of each), so long sections get their several passages asked about.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path

from training.sections import EXCLUDED_DOCS, ContentSection, load_sections


def quota(section: ContentSection) -> int:
    if section.words < 25:
        return 1
    return min(6, max(2, math.ceil(section.words / 80)))


def write_packets(corpus: Path, out: Path, n: int, each: int | None = None,
                  match: re.Pattern[str] | None = None) -> list[int]:
    """Split the summaries into ``n`` packets of about equal length; return their quotas.

    ``each`` asks the same number of every section instead of the length-based quota: the
    situation questions (SITUATION_BRIEF.md) add one kind of question per section.
    ``match`` keeps only the sections whose heading path it finds: the worry questions
    (WORRY_BRIEF.md) are asked of the sections that answer fears, not of every section.
    """
    by_doc: dict[str, list[ContentSection]] = defaultdict(list)
    for sec in load_sections(corpus):
        if sec.doc_id not in EXCLUDED_DOCS and (match is None or match.search(" > ".join(sec.heading_path))):
            by_doc[sec.doc_id].append(sec)
    loads, packets = [0] * n, [[] for _ in range(n)]
    for doc_id in sorted(by_doc, key=lambda d: (-sum(s.words for s in by_doc[d]), d)):
        i = loads.index(min(loads))
        packets[i].append(doc_id)
        loads[i] += sum(s.words for s in by_doc[doc_id])
    out.mkdir(parents=True, exist_ok=True)
    quotas = []
    for i, doc_ids in enumerate(packets, 1):
        lines, total = [], 0
        for doc_id in sorted(doc_ids):
            secs = by_doc[doc_id]
            lines.append(f"\n=============== SUMMARY: {secs[0].title}  (doc {doc_id})\n")
            for s in secs:
                q = each or quota(s)
                total += 2 * q
                lines.append(f"----- KEY {s.key} | {' > '.join(s.heading_path)} | "
                             f"write {q} question + {q} query\n{s.text}\n")
        (out / f"packet_{i}.txt").write_text("".join(lines), encoding="utf-8")
        quotas.append(total)
    return quotas
