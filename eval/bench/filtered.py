"""Searches filtered to one summary: answered when it is the question's own, refused when not.

The patient page's picker and the API's ``doc`` filter search one summary. Each question of
the training-format files (one summary's section each) is asked twice over a corpus index:
filtered to its own summary, where it is answerable, and filtered to the other summary that
ranks best for it unfiltered, the one a patient might pick by mistake, where passages about
another cancer would be a wrong answer. Reported with the filtered topic check
(`retriever.scope`) and without it (topics read against the whole index, as before it).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from eval.bench import publish
from retriever.models import Filters
from training.data import is_validation


def _asked(retriever, questions, scoped: bool) -> tuple[int, int, int]:
    """(own summary refused, other summaries asked, other summary abstained)."""
    narrow = retriever.scope.narrow
    if not scoped:
        retriever.scope.narrow = lambda plan, allowed, looks_misspelled: plan
    try:
        refused = asked = abstained = 0
        for q, other in questions:
            refused += retriever.search(q.question, k=3, filters=Filters(doc_ids=(q.doc_id,))).abstained
            if other:
                asked += 1
                abstained += retriever.search(q.question, k=3, filters=Filters(doc_ids=(other,))).abstained
        return refused, asked, abstained
    finally:
        retriever.scope.narrow = narrow


def run(args: argparse.Namespace) -> int:
    from retriever.search import Retriever
    from training.questions import load_questions

    retriever = Retriever.load(args.index)
    held = set(retriever.manifest.documents)
    pool = [q for f in args.questions for q in load_questions(f)
            if q.doc_id in held and is_validation(q.doc_id) == (args.split == "validation")]
    random.Random(args.seed).shuffle(pool)
    questions = []
    for q in pool[:args.n]:
        hits = retriever.search(q.question, k=10).hits
        questions.append((q, next((h.chunk.doc_id for h in hits if h.chunk.doc_id != q.doc_id), None)))
    rows = {name: _asked(retriever, questions, scoped) for name, scoped in (("whole index", False),
                                                                              ("filter's summaries", True))}
    text = (f"`{args.command_line}`: {len(questions)} {args.split} summaries' questions\n\n"
            "| topics read in | own summary refused | other summary abstained |\n|---|---:|---:|\n"
            + "".join(f"| {name} | {r} / {len(questions)} | {a} / {n} |\n" for name, (r, n, a) in rows.items()))
    return publish(text, args.out)


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("filtered", help="searches filtered to a summary: own answered, other refused",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--index", type=Path, default=Path("corpus-index"))
    p.add_argument("--questions", type=Path, nargs="+", default=[
        Path("training/questions/questions.jsonl"), Path("training/questions/situation.jsonl"),
        Path("training/questions/lay_words.jsonl")], help="training-format question files")
    p.add_argument("--split", choices=("validation", "training"), default="validation",
                   help="whose summaries' questions are asked")
    p.add_argument("--n", type=int, default=1500, help="questions asked (a seeded random sample)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
