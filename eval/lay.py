"""Score lay training-format questions over a many-summary index.

``python -m eval.lay training/questions/questions.jsonl --index DIR [--split validation]``

Each question names its summary, section and an evidence quote (`training.questions`), so
two things are judged: the right summary first (``summary@1``) and the right passage first
(``passage@1``: a passage of that section holding the quote). ``--near-miss`` asks the
questions that name their own cancer against the index *without* the summaries of that
cancer (a search filter), where the honest answer is a refusal.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from retriever.embedding import ModelError
from retriever.provenance import describe
from retriever.search import Filters, Retriever
from retriever.settings import SettingsProblem, read_settings
from retriever.store import IndexLoadError
from training.data import is_validation
from training.nearmiss import named_summaries
from training.questions import QuestionFileError, TrainingQuestion, load_questions, squash


def relevant_ids(q: TrainingQuestion, retriever: Retriever) -> set[str]:
    in_section = [c for c in retriever.chunks
                  if c.doc_id == q.doc_id and tuple(c.heading_path) == q.heading_path]
    quoted = {c.id for c in in_section if squash(q.evidence) in squash(c.text)}
    return quoted or {c.id for c in in_section}


def score(questions: list[TrainingQuestion], retriever: Retriever, k: int = 5) -> dict:
    """summary@1, passage@1, passage@5 and refusals, overall and by style."""
    rows = []
    for q in questions:
        res = retriever.search(q.question, k=k)
        rel = relevant_ids(q, retriever)
        ids = [h.chunk.id for h in res.hits]
        docs = [h.chunk.doc_id for h in res.hits]
        rows.append((q.style, res.abstained, bool(docs) and docs[0] == q.doc_id,
                     bool(ids) and ids[0] in rel, any(i in rel for i in ids[:5])))

    def agg(sel):
        n = len(sel) or 1
        return {"n": len(sel), "refused": sum(r[1] for r in sel) / n,
                "summary@1": sum(r[2] for r in sel) / n, "passage@1": sum(r[3] for r in sel) / n,
                "passage@5": sum(r[4] for r in sel) / n}
    out = {"all": agg(rows)}
    for style in sorted({r[0] for r in rows}):
        out[style] = agg([r for r in rows if r[0] == style])
    return out


def near_miss(questions: list[TrainingQuestion], retriever: Retriever) -> dict:
    """Share refused when the summaries a question names are taken out of the index."""
    titles = {c.doc_id: c.title for c in retriever.chunks}
    refused, n = 0, 0
    for q in questions:
        named = named_summaries(q.question, titles)
        if q.doc_id not in named:
            continue
        keep = tuple(d for d in titles if d not in named)
        res = retriever.search(q.question, k=5, filters=Filters(doc_ids=keep))
        n += 1
        refused += res.abstained
    return {"n": n, "abstained": refused / (n or 1)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.lay", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("questions", type=Path)
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--split", choices=["validation", "training", "all"], default="validation")
    p.add_argument("--sample", type=int, default=0, help="score a random sample of this size")
    p.add_argument("--near-miss", action="store_true", help="also score near-miss refusals")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    try:
        qs = load_questions(args.questions)
        retriever = Retriever.load(args.index, read_settings())
    except (QuestionFileError, OSError, IndexLoadError, ModelError, SettingsProblem) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.split != "all":
        qs = [q for q in qs if is_validation(q.doc_id) == (args.split == "validation")]
    if args.sample and args.sample < len(qs):
        qs = random.Random(0).sample(qs, args.sample)
    known = {c.doc_id for c in retriever.chunks}
    qs = [q for q in qs if q.doc_id in known]
    result = {"run": describe(retriever), "in_scope": score(qs, retriever)}
    if args.near_miss:
        result["near_miss"] = near_miss(qs, retriever)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
