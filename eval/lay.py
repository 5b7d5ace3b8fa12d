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

from eval.questionset import KINDS_OUT
from eval.report import same_file
from eval.runner import wording
from retriever.embedding import ModelError
from retriever.provenance import describe, search_settings
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


def question_id(q: TrainingQuestion) -> str:
    """A stable id for a training-format question, which has none: a hash of its summary and
    wording, so `python -m eval.compare --list` names it without printing it."""
    return wording(f"{q.doc_id}\n{q.question}")


def unique(key: str, taken: dict) -> str:
    """``key``, or ``key-2``, ``key-3``...: a question asked twice (two files pooled) counts twice."""
    n = 1
    while (candidate := key if n == 1 else f"{key}-{n}") in taken:
        n += 1
    return candidate


def _rank(found: list[bool]) -> int | None:
    return found.index(True) + 1 if True in found else None


# Passages searched a question; `eval.compare` reads a lay report as scored with this k.
K = 5


def outcomes(questions: list[TrainingQuestion], retriever: Retriever, k: int = K) -> dict[str, dict]:
    """Each question's search as `eval.compare` reads it: its style as kind, whether it was
    refused, and the rank of the first passage of its section (``passage``) and of its summary
    (``document``)."""
    out = {}
    for q in questions:
        res = retriever.search(q.question, k=k)
        rel = relevant_ids(q, retriever)
        out[unique(question_id(q), out)] = {"kind": q.style, "refused": res.abstained, "rank": {
            "passage": _rank([h.chunk.id in rel for h in res.hits]),
            "document": _rank([h.chunk.doc_id == q.doc_id for h in res.hits])}}
    return out


def score(questions: list[TrainingQuestion], retriever: Retriever, k: int = K,
          searched: dict[str, dict] | None = None) -> dict:
    """summary@1, passage@1, passage@5 and refusals, overall and by style (from ``searched``,
    the questions' `outcomes`, when given)."""
    searched = searched if searched is not None else outcomes(questions, retriever, k)

    def agg(sel: list[dict]) -> dict:
        n = len(sel) or 1
        passage = [o["rank"]["passage"] for o in sel]
        return {"n": len(sel), "refused": sum(o["refused"] for o in sel) / n,
                "summary@1": sum(o["rank"]["document"] == 1 for o in sel) / n,
                "passage@1": sum(r == 1 for r in passage) / n,
                "passage@5": sum(r is not None and r <= 5 for r in passage) / n}
    rows = list(searched.values())
    out = {"all": agg(rows)}
    for style in sorted({o["kind"] for o in rows}):
        out[style] = agg([o for o in rows if o["kind"] == style])
    return out


def near_miss(questions: list[TrainingQuestion], retriever: Retriever) -> dict[str, dict]:
    """Each question that names its own cancer, asked with the summaries it names taken out of
    the index: an out-of-scope outcome (`outcomes`' form), which should be refused."""
    titles = {c.doc_id: c.title for c in retriever.chunks}
    out = {}
    for q in questions:
        named = named_summaries(q.question, titles)
        if q.doc_id not in named:
            continue
        keep = tuple(d for d in titles if d not in named)
        if not keep:  # nothing left to ask: an empty filter would search every summary
            continue
        res = retriever.search(q.question, k=5, filters=Filters(doc_ids=keep))
        out[unique(f"near-{question_id(q)}", out)] = {"kind": KINDS_OUT, "refused": res.abstained,
                                         "rank": {"passage": None, "document": None}}
    return out


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
    if args.json and same_file(args.json, args.questions):
        print(f"error: --json {args.json}: is the question file being scored, which the report would overwrite; "
              "name another file", file=sys.stderr)
        return 2
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
    searched = outcomes(qs, retriever)
    run = describe(retriever) | {"settings": search_settings(retriever)}
    result = {"questions": str(args.questions), "run": run, "in_scope": score(qs, retriever, searched=searched)}
    if args.near_miss:
        missed = near_miss(qs, retriever)
        result["near_miss"] = {"n": len(missed), "abstained": sum(o["refused"] for o in missed.values())
                               / (len(missed) or 1)}
        searched.update(missed)
    print(json.dumps(result, indent=2))
    if args.json:  # with each question's outcome, for python -m eval.compare
        args.json.write_text(json.dumps({**result, "outcomes": searched}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
