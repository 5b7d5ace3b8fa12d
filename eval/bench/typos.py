"""How the search holds up when patients mistype: every in-scope question of the given sets,
as written and with random slips.

A slip is what a hurried thumb does to a word of five letters or more: two letters swapped,
one dropped, one doubled or one replaced (`slip`). Each question gets ``--slips`` of them in
distinct words, drawn with ``--seed``, so a run repeats exactly and several seeds give
several draws. Reported per draw: right passage first, and the share refused (an answer
withheld from a question the summary answers).
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

_LETTERS = "aeiounrst"  # the commonest letters: a replaced letter is usually one of them


def slip(word: str, rng: random.Random) -> str:
    """``word`` with one slip after its first letter."""
    j = rng.randrange(1, len(word) - 1)
    kind = rng.choice("sdtr")
    if kind == "s":  # swap two letters
        return word[:j] + word[j + 1] + word[j] + word[j + 2:]
    if kind == "d":  # drop one
        return word[:j] + word[j + 1:]
    if kind == "t":  # double one
        return word[:j] + word[j] + word[j:]
    return word[:j] + rng.choice(_LETTERS) + word[j + 1:]


def mistype(question: str, slips: int, rng: random.Random) -> str:
    """``question`` with a slip in each of ``slips`` of its words of five letters or more."""
    words = question.split(" ")
    long = [i for i, w in enumerate(words) if len(re.sub(r"\W", "", w)) >= 5]
    for i in rng.sample(long, min(slips, len(long))):
        words[i] = slip(words[i], rng)
    return " ".join(words)


def score(retriever, questions, texts: list[str]) -> tuple[float, float]:
    """Right passage first and refused, over ``questions`` searched as ``texts``."""
    from eval.questionset import is_relevant

    first = refused = 0
    for q, text in zip(questions, texts):
        res = retriever.search(text, k=5)
        refused += res.abstained
        top = res.hits[0].chunk if res.hits else None
        first += top is not None and is_relevant(q, top.section, top.text, top.source)
    return first / len(questions), refused / len(questions)


def run(args: argparse.Namespace) -> int:
    from eval.questionset import load_questions
    from retriever.search import Retriever

    retriever = Retriever.load(args.index)
    questions = [q for path in args.sets for q in load_questions(path).questions if q.in_scope]
    lines = [f"`{args.command_line}`: {len(questions)} in-scope questions, {args.slips} slips each\n",
             "| draw | Hit@1 | refused |", "|---|---:|---:|"]
    hit, refused = score(retriever, questions, [q.question for q in questions])
    lines.append(f"| as written | {hit:.3f} | {refused:.3f} |")
    for seed in args.seeds:
        rng = random.Random(seed)
        hit, refused = score(retriever, questions, [mistype(q.question, args.slips, rng) for q in questions])
        lines.append(f"| slips, seed {seed} | {hit:.3f} | {refused:.3f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("typos", help="right passage first and refusals with random slips in the questions",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("sets", type=Path, nargs="+", help="question sets (sections/evidence style)")
    p.add_argument("--index", type=Path, default=Path("index"))
    p.add_argument("--slips", type=int, default=2, help="slipped words per question")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="one draw per seed")
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
