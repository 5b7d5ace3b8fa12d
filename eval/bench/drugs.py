"""How a support worker's drug searches fare: "<drug> side effects" for every drug the index names.

The drugs are the names the summaries use in the table of drugs' other names
(`retriever/pdq_drug_names.txt`, made from a drug dictionary), one word each, that some
passage of the index holds. Each is searched three ways, and counted as refused, answered
with a passage holding the drug first, or answered with another first. A staff trial's
"rituximab side effects" was refused for "rituximab", which 58 passages of the corpus say.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from eval.bench import publish
from retriever.drug_names import drug_names

TEMPLATES = ("{} side effects", "side effects of {}", "how does {} work")
OUTCOMES = ("refused", "drug's passage first", "another first")


def held_drugs(retriever) -> list[str]:
    """The one-word drugs of the table that some passage of ``retriever``'s index holds."""
    names = sorted({name for name in drug_names().values() if " " not in name})
    return [d for d in names if any(retriever.words.own(i).knows(d) for i in range(len(retriever.chunks)))]


def outcome(retriever, query: str, drug: str) -> str:
    result = retriever.search(query, k=5)
    if result.abstained:
        return OUTCOMES[0]
    return OUTCOMES[1] if drug in result.hits[0].chunk.text.lower() else OUTCOMES[2]


def run(args: argparse.Namespace) -> int:
    from retriever.search import Retriever

    retriever = Retriever.load(args.index)
    drugs = held_drugs(retriever)
    counts = Counter((t, outcome(retriever, t.format(d), d)) for t in TEMPLATES for d in drugs)
    rows = "".join(f"| {t.format('<drug>')} | " + " | ".join(str(counts[t, o]) for o in OUTCOMES) + " |\n"
                   for t in TEMPLATES)
    text = (f"`{args.command_line}`: {len(drugs)} drugs the index names\n\n"
            "| search | " + " | ".join(OUTCOMES) + " |\n|---|---:|---:|---:|\n" + rows)
    return publish(text, args.out)


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("drugs", help="staff drug searches: refused, the drug's passage first, or another",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("--index", type=Path, default=Path("corpus-index"))
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
