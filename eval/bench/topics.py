"""Which of abstention's health-topic words earn their place, on summaries nobody tuned on.

A health topic that the top passages never mention costs a question 0.4 of confidence
(`retriever.abstain`). When one group's penalties alone decide a refusal (the question would
be answered without them), the group *helped* if the question is out of scope and *hurt* if
it is answerable. Counted by group: the topic list's groups (`TOPIC_GROUPS`) and the two
rules beside it, a disease or drug name's ending and a word that is no English word; and
each kind of figure the question asks for (a rate, a dose, ...) when the passages give none,
and the request for a named hospital or doctor (counted alike: the question would be
answered without that one missing thing); and the rule that a question none of whose words
the top passages use is about something else (`abstain.nothing_found`: it would be
answered without the question's own words counted missing).

Questions, each counted once per group:

* validation summaries' lay and situation questions (answerable), over the corpus and
  within their own summary;
* those that name their cancer, asked of the corpus without that cancer's summaries and of
  one other summary (out of scope: `training.nearmiss`);
* the calibration files (`training/calibration`), each asked of its own summary's index,
  split into validation and training summaries;
* the seed's sets over the seed index, when given.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections import defaultdict
from pathlib import Path

from eval.bench import publish
from retriever.abstain import FIGURE, hand_confidence
from retriever.figures import FIGURE_KINDS
from retriever.health_topics import MEDICAL_ENDING, TOPIC_GROUPS, pdq_subjects
from retriever.providers import PROVIDER
from retriever.tokenization import NON_WORD_ZIPF, zipf

CALIBRATION = Path("training/calibration")
CORPUS = Path("training/corpus")
LAY = Path("training/questions/questions.jsonl")
SITUATION = Path("training/questions/situation.jsonl")
NOTHING = "no word of the question found"
SUBJECTS = "subjects of PDQ summaries the index never mentions"
GROUPS = (*TOPIC_GROUPS, SUBJECTS, "disease or drug ending", "no English word", *(f"figure: {k}" for k in FIGURE_KINDS),
          "a named hospital or doctor", NOTHING)


def group_of(word: str) -> str:
    for name, words in TOPIC_GROUPS.items():
        if word in words:
            return name
    if len(word) > 5 and MEDICAL_ENDING.search(word):
        return "disease or drug ending"
    # a subject only where no earlier rule makes the word a topic (a non-word is one anyway)
    return SUBJECTS if word in pdq_subjects() and zipf(word) >= NON_WORD_ZIPF else "no English word"


def deciding_groups(result, threshold: float, figures: list[int] = ()) -> list[str]:
    """The groups whose missing things alone turned an answer into a refusal: by the hand
    rule (`abstain.hand_confidence`), the question would have been answered without them.
    ``figures``: the kinds of figure the search's plan asked for (of the spell-corrected
    question: `QueryPlan.figures`)."""
    ev = result.evidence
    if not result.abstained or ev is None:
        return []
    if ev.nothing_found:  # every word is missing: only the rule itself can have decided
        others = [*ev.topics_missing, *(m for m in result.missing if m in (FIGURE, PROVIDER))]
        return [NOTHING] if hand_confidence(ev, others) >= threshold else []
    groups: dict[str, set[str]] = {}
    for w in ev.topics_missing:
        groups.setdefault(group_of(w), set()).add(w)
    if FIGURE in result.missing:  # every kind asked, when several are (rare)
        for k in figures:
            groups[f"figure: {FIGURE_KINDS[k]}"] = {FIGURE}
    if PROVIDER in result.missing:
        groups[PROVIDER] = {PROVIDER}
    return [g for g, things in groups.items()
            if hand_confidence(ev, [m for m in result.missing if m not in things]) >= threshold]


class Tally:
    """Distinct questions helped and hurt, by source and group."""

    def __init__(self):
        self.seen: dict[tuple[str, str, str], set[str]] = defaultdict(set)

    def add(self, source: str, question: str, in_scope: bool, searched, threshold: float) -> None:
        """``searched``: a search's result and its plan's figure kinds (`search`)."""
        result, figures = searched
        for group in deciding_groups(result, threshold, figures):
            self.seen[(source, group, "hurt" if in_scope else "helped")].add(question)

    def table(self, sources: list[str]) -> str:
        head = "| group | " + " | ".join(f"{s}: helped / hurt" for s in sources) + " |"
        rows = [head, "|---|" + "---:|" * len(sources)]
        for g in GROUPS:
            cells = [f"{len(self.seen[(s, g, 'helped')])} / {len(self.seen[(s, g, 'hurt')])}" for s in sources]
            rows.append(f"| {g} | " + " | ".join(cells) + " |")
        return "\n".join(rows)


def search(retriever, question: str, filters=None) -> tuple:
    """A search, and the kinds of figure its plan asks for."""
    return retriever.search(question, filters=filters), retriever.plan(question).figures


def _corpus(tally: Tally, index: Path) -> None:
    from retriever.search import Filters, Retriever
    from training.data import is_validation
    from training.nearmiss import named_summaries
    from training.questions import load_questions

    r = Retriever.load(index)
    titles = {c.doc_id: c.title for c in r.chunks}
    docs, rng = sorted(titles), random.Random(0)
    for kind, path in (("lay", LAY), ("situation", SITUATION)):
        for q in (q for q in load_questions(path) if is_validation(q.doc_id) and q.doc_id in titles):
            for f in (None, Filters(doc_ids=(q.doc_id,))):
                tally.add(f"validation {kind}", q.question, True, search(r, q.question, f), r.threshold)
            named = named_summaries(q.question, titles)
            if q.doc_id in named:
                others = [d for d in docs if d not in named]
                for f in (Filters(doc_ids=tuple(others)), Filters(doc_ids=(rng.choice(others),))):
                    tally.add(f"{kind} near-misses", q.question, False, search(r, q.question, f), r.threshold)


def _calibration(tally: Tally) -> None:
    from eval.questionset import load_questions
    from retriever.search import Retriever
    from retriever.settings import Settings
    from training.data import is_validation
    from training.threshold import summary_index

    with tempfile.TemporaryDirectory() as tmp:
        for f in sorted(CALIBRATION.glob("*.jsonl")):
            r = Retriever.load(summary_index(CORPUS, f.stem, Path(tmp), Settings()))
            source = "calibration, validation" if is_validation(f.stem) else "calibration, training"
            for q in load_questions(f).questions:
                tally.add(source, q.question, q.in_scope, search(r, q.question), r.threshold)


def _seed(tally: Tally, index: Path, sets: list[Path]) -> None:
    from eval.questionset import load_questions
    from retriever.search import Retriever

    r = Retriever.load(index)
    for path in sets:
        for q in load_questions(path).questions:
            tally.add("seed sets", q.question, q.in_scope, search(r, q.question), r.threshold)


def run(args: argparse.Namespace) -> int:
    tally = Tally()
    _corpus(tally, args.index)
    _calibration(tally)
    sources = ["validation lay", "lay near-misses", "validation situation", "situation near-misses",
               "calibration, validation", "calibration, training"]
    if args.seed_sets:
        _seed(tally, args.seed_index, args.seed_sets)
        sources.append("seed sets")
    text = ("Questions whose refusal one group's missing topics, figure or provider, or the "
            "nothing-found rule, alone decided "
            f"(`{args.command_line}`):\n\n" + tally.table(sources) + "\n")
    return publish(text, args.out)


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "topics", help="which health-topic groups of abstention help or hurt, on unseen summaries",
        description=__doc__.split("\n\n")[0])
    p.add_argument("--index", type=Path, default=Path("corpus-index"), help="corpus index (default: corpus-index)")
    p.add_argument("--seed-index", type=Path, default=Path("index"), help="seed index for --seed-sets")
    p.add_argument("--seed-sets", type=Path, nargs="*", default=[], help="question sets asked of the seed index")
    p.add_argument("--out", type=Path, help="also write the table here (markdown)")
    p.set_defaults(func=run)
