"""How often an index answers a question about a summary it does not hold.

A patient names their cancer. For every summary of the corpus that the index lacks, its
subject (the title less "Treatment", "Childhood", "(PDQ®)", ...) is asked three ways: as
typed into a search box ("esophageal cancer"), with "treatment", and as a question ("what is
the treatment for esophageal cancer?"). Another summary's passage is at best a neighbour's
(the seed's tumours grow in the small intestine, colon and rectum too, and those subjects it
does mention); most are wrong answers. Reported with abstention's rule for subjects the index never
mentions (`retriever.health_topics.topic_words`) and, for comparison, as if the index mentioned
every subject (the rule off).
"""

from __future__ import annotations

import argparse
import re
from contextlib import contextmanager
from pathlib import Path

from eval.bench import publish
from training.words import summaries

TEMPLATES = ("{}", "{} treatment", "what is the treatment for {}?")
_NOT_SUBJECT = re.compile(r"\s*-\s*(NCI|CAM)\b|\((PDQ®?)\)|–.*|Patient Version|\b(Treatment|Prevention|Screening|"
                          r"Childhood|Adult)\b", re.IGNORECASE)
_DANGLING = re.compile(r"^(of|for|in|with)\s+|\s+(of|for|in|with)$")


def subject(title: str) -> str:
    """"Esophageal Cancer Treatment (PDQ®) - NCI" -> "esophageal cancer"; "Late Effects of
    Treatment for Childhood Cancer" -> "late effects of cancer"."""
    text = re.sub(r"\s+", " ", _NOT_SUBJECT.sub(" ", title).replace("&", "and")).strip(" ,-").lower()
    text = re.sub(r"\b(of|for) (of|for)\b", r"\1", text)
    return _DANGLING.sub("", _DANGLING.sub("", text))


def answered(retriever, subjects: list[str]) -> int:
    return sum(not retriever.search(t.format(s), k=3).abstained for s in subjects for t in TEMPLATES)


@contextmanager
def every_subject_mentioned(retriever):
    """The rule off: ``retriever``'s planner reads every subject as one its index mentions."""
    mentioned = retriever.planner.own_words  # where the rule reads it (the index's words less PDQ's notes)
    knows = mentioned.knows
    mentioned.knows = lambda word: True
    try:
        yield
    finally:
        mentioned.knows = knows


def run(args: argparse.Namespace) -> int:
    from retriever.search import Retriever

    retriever = Retriever.load(args.index)
    held = {subject(c.title) for c in retriever.chunks}  # a childhood twin asks the same as the adult one
    subjects = sorted({subject(t) for t, _ in summaries(args.corpus)} - held - {""})
    n = len(subjects) * len(TEMPLATES)
    with_rule = answered(retriever, subjects)
    with every_subject_mentioned(retriever):
        without = answered(retriever, subjects)
    text = (f"`{args.command_line}`: {len(subjects)} subjects of summaries the index lacks, {n} queries\n\n"
            "| | answered | refused |\n|---|---:|---:|\n"
            f"| subjects rule off | {without} | {n - without} |\n"
            f"| subjects rule on | {with_rule} | {n - with_rule} |\n")
    return publish(text, args.out)


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("subjects", help="questions about summaries the index lacks: answered or refused",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--index", type=Path, default=Path("index"))
    p.add_argument("--corpus", type=Path, default=Path("training/corpus"),
                   help="the summaries whose subjects are asked")
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
