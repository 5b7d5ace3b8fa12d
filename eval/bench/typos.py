"""How the search holds up when patients mistype: every in-scope question of the given sets,
as written and with random slips.

A slip is what a hurried thumb does to a word of five letters or more: two letters swapped,
one dropped, one doubled or one replaced (`slip`). Each question gets ``--slips`` of them in
distinct words, drawn with ``--seed``, so a run repeats exactly and several seeds give
several draws. Reported per draw: right passage first, and the share refused (an answer
withheld from a question the summary answers).

``--swap does:dose`` measures one slip onto another word instead: the questions that say
"does", as written and with it typed "dose" (docs/abstention.md, "Dose typed for does").
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

from eval.bench import publish
from retriever.text import replace_word

_LETTERS = "aeiounrst"  # the commonest letters: a replaced letter is usually one of them


def slip(word: str, rng: random.Random) -> str:
    """``word`` (letters, three or more) with one slip after its first letter; never the same
    word (a letter is replaced by another, and only two different letters swap)."""
    while True:
        j = rng.randrange(1, len(word) - 1)
        kind = rng.choice("sdtr")
        if kind == "s" and word[j] != word[j + 1]:  # swap two letters
            return word[:j] + word[j + 1] + word[j] + word[j + 2:]
        if kind == "d":  # drop one
            return word[:j] + word[j + 1:]
        if kind == "t":  # double one
            return word[:j] + word[j] + word[j:]
        if kind == "r":  # replace one by another
            return word[:j] + rng.choice(_LETTERS.replace(word[j], "")) + word[j + 1:]


def mistype(question: str, slips: int, rng: random.Random) -> str:
    """``question`` with a slip in each of ``slips`` of its words of five letters or more
    (in the word's letters: "surgery?" keeps its question mark)."""
    words = question.split(" ")
    runs = {i: m for i, w in enumerate(words) if (m := re.search(r"[A-Za-z]{5,}", w))}
    for i in rng.sample(sorted(runs), min(slips, len(runs))):
        m = runs[i]
        words[i] = words[i][:m.start()] + slip(m.group(), rng) + words[i][m.end():]
    return " ".join(words)


def swapped(question: str, word: str, typed: str) -> str:
    """``question`` with every ``word`` (a whole word, any case) typed ``typed``, in its case."""
    return replace_word(question, word, typed, keep_case=True)


def score(retriever, questions, texts: list[str]) -> tuple[float, float]:
    """Right passage first and refused, over ``questions`` searched as ``texts``: the eval's
    own figures (`eval.runner.evaluate`), of the questions retyped."""
    from dataclasses import replace

    from eval.questionset import QuestionSet
    from eval.runner import evaluate

    # numbered afresh: two sets given together may reuse an id
    typed = QuestionSet(Path("typos"), "sections",
                        [replace(q, id=str(i), question=t) for i, (q, t) in enumerate(zip(questions, texts))])
    report = evaluate(typed, retriever, "hybrid", k=5)
    return report.metrics["in_scope"]["Hit@1"], report.abstention["in_scope_abstained"]


def run(args: argparse.Namespace) -> int:
    from eval.questionset import load_questions
    from retriever.search import Retriever

    questions = [q for path in args.sets for q in load_questions(path).questions if q.in_scope]
    if args.swap:
        questions = [q for q in questions if swapped(q.question, *args.swap) != q.question]
    if not questions:
        saying = f' saying "{args.swap[0]}"' if args.swap else ""
        print(f"error: no answerable question{saying} in {', '.join(map(str, args.sets))}", file=sys.stderr)
        return 2
    retriever = Retriever.load(args.index)
    what = f'"{args.swap[0]}" typed "{args.swap[1]}"' if args.swap else f"{args.slips} slips each"
    lines = [f"`{args.command_line}`: {len(questions)} in-scope questions, {what}\n",
             "| draw | Hit@1 | refused |", "|---|---:|---:|"]
    hit, refused = score(retriever, questions, [q.question for q in questions])
    lines.append(f"| as written | {hit:.3f} | {refused:.3f} |")
    if args.swap:
        hit, refused = score(retriever, questions, [swapped(q.question, *args.swap) for q in questions])
        lines.append(f"| {what} | {hit:.3f} | {refused:.3f} |")
    for seed in [] if args.swap else args.seeds:
        rng = random.Random(seed)
        hit, refused = score(retriever, questions, [mistype(q.question, args.slips, rng) for q in questions])
        lines.append(f"| slips, seed {seed} | {hit:.3f} | {refused:.3f} |")
    text = "\n".join(lines) + "\n"
    return publish(text, args.out)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _swap(text: str) -> tuple[str, str]:
    word, _, typed = text.partition(":")
    if not (word.isalpha() and typed.isalpha()) or word.lower() == typed.lower():
        raise argparse.ArgumentTypeError(f"expected WORD:TYPED, two different words, got {text!r}")
    return word, typed


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("typos", help="right passage first and refusals with random slips in the questions",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("sets", type=Path, nargs="+", help="question sets (sections/evidence style)")
    p.add_argument("--index", type=Path, default=Path("index"))
    p.add_argument("--slips", type=_positive, default=2, help="slipped words per question")
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="one draw per seed")
    p.add_argument("--swap", type=_swap, metavar="WORD:TYPED",
                   help="instead of random slips: the questions saying WORD, with it typed TYPED (does:dose)")
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
