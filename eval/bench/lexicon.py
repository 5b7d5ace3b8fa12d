"""Which entries of the lay lexicon earn their place, on summaries nobody tuned on.

The lexicon (`retriever.lexicon`) is a hand list written for the seed's topic: "belly" adds
"abdominal abdomen" to the keyword query, "come back" adds "recurrent recur". The issue's
rule keeps a hand rule only where the validation summaries show it still helps. Each entry
is left out alone, and every lay question that uses it (the training-question files, their
validation summaries by default) is searched over a corpus index with the whole lexicon and
without that entry: the right passage first *gained* without the entry means it hurt, *lost*
means it helped; refusals are counted alike. Questions of the training summaries can be
counted too (``--split training``), but the ranker was fitted on their plans, the lexicon's
words among them, so they favour every entry.
"""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from eval.bench import publish

FILES = ("questions", "situation", "situation_round2", "worry", "cause", "audience", "lay_words")


@dataclass(frozen=True)
class EntryCount:
    """One entry's questions and what leaving it out changed."""

    entry: str
    questions: int
    gained: int   # right passage first only without the entry: it hurt
    lost: int     # right passage first only with it: it helped
    refused: int  # refusals without it, less refusals with it


@contextmanager
def left_out(entry: str):
    """The lexicon without ``entry`` for the searches inside: no question reads it, and
    abstention no longer finds a topic by its words ("womb" as "uterus")."""
    from retriever import lexicon

    whole, terms = lexicon._matcher, dict(lexicon.LAY_TERMS)
    del lexicon.LAY_TERMS[entry]
    lexicon._matcher = lexicon.matcher(lexicon.LAY_TERMS)
    try:
        yield
    finally:
        lexicon._matcher = whole
        lexicon.LAY_TERMS.clear()
        lexicon.LAY_TERMS.update(terms)  # in its order


def count_entry(entry: str, questions: list, first_right) -> EntryCount:
    """``first_right(q)``: (the right passage first, refused) for question ``q``, as the
    lexicon stands when it is called."""
    from retriever import lexicon

    users = [q for q in questions if entry in lexicon.widenings(q.question)]
    before = [first_right(q) for q in users]
    with left_out(entry):
        after = [first_right(q) for q in users]
    return EntryCount(entry, len(users), sum(a[0] and not b[0] for a, b in zip(after, before)),
                      sum(b[0] and not a[0] for a, b in zip(after, before)),
                      sum(a[1] for a in after) - sum(b[1] for b in before))


def table(counts: list[EntryCount]) -> str:
    """Every entry some question uses, the ones that hurt most first, and the sums."""
    used = sorted((c for c in counts if c.questions), key=lambda c: (c.lost - c.gained, -c.questions))
    rows = ["| entry | questions | right first without it: gained / lost | refused without it |",
            "|---|---:|---:|---:|"]
    rows += [f"| {c.entry} | {c.questions} | {c.gained} / {c.lost} | {c.refused:+d} |" for c in used]
    rows.append(f"| **all {len(used)} entries, each alone** | {sum(c.questions for c in used)} | "
                f"{sum(c.gained for c in used)} / {sum(c.lost for c in used)} | {sum(c.refused for c in used):+d} |")
    return "\n".join(rows)


def run(args: argparse.Namespace) -> int:
    from eval.lay import relevant_ids
    from retriever import lexicon
    from retriever.search import Retriever
    from training.data import is_validation
    from training.questions import load_questions

    r = Retriever.load(args.index)
    docs = {c.doc_id for c in r.chunks}
    questions = [q for name in FILES for q in load_questions(args.questions / f"{name}.jsonl")
                 if q.doc_id in docs and is_validation(q.doc_id) == (args.split == "validation")]
    relevant: dict[tuple, set[str]] = {}

    def first_right(q) -> tuple[bool, bool]:
        res = r.search(q.question, k=5)
        key = (q.doc_id, q.heading_path, q.evidence)
        if key not in relevant:
            relevant[key] = relevant_ids(q, r)
        rel = relevant[key]
        return bool(res.hits) and res.hits[0].chunk.id in rel, res.abstained

    counts = [count_entry(e, questions, first_right) for e in list(lexicon.LAY_TERMS)]
    text = (f"Each lexicon entry left out alone, the {args.split} summaries' lay questions that use it "
            f"(`{args.command_line}`):\n\n" + table(counts) + "\n")
    return publish(text, args.out)


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("lexicon", help="which lay-lexicon entries help or hurt, on unseen summaries",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--index", type=Path, default=Path("corpus-index"), help="corpus index (default: corpus-index)")
    p.add_argument("--questions", type=Path, default=Path("training/questions"),
                   help=f"folder of the lay question files ({', '.join(FILES)})")
    p.add_argument("--split", choices=("validation", "training"), default="validation")
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
