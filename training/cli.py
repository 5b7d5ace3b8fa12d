"""The ``python -m training`` command line: its subcommands, options and default paths.

Kept apart from the commands (`training.__main__`) so that each stays short; nothing here
imports the training code, so ``--help`` and argument errors answer at once.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

CORPUS = Path("training/corpus")
QUESTIONS = Path("training/questions/questions.jsonl")
AUDIENCE = Path("training/questions/audience.jsonl")  # the ranker's only (AUDIENCE_BRIEF.md)
# the model's; of the ranker, its translation table's only (SITUATION_BRIEF.md)
SITUATION = Path("training/questions/situation.jsonl")
SHARED = Path("training/questions/shared_sections.jsonl")  # train --shared (BOILERPLATE_BRIEF.md)
WORRY = Path("training/questions/worry.jsonl")  # the ranker's table's; not the model's: docs/model.md (WORRY_BRIEF.md)
#: The sections asked about in worry questions (WORRY_BRIEF.md): prognosis, recurrence, follow-up,
#: survivorship, coping and end of life, found by their headings.
WORRY_HEADINGS = (r"prognos|chance of recovery|surviv|outlook|recurren|come back|comes back|follow-up|coping"
                  r"|\bcope\b|end of life|end-of-life|dying|\bdeath|palliative|hospice|feelings|emotion|distress"
                  r"|\bfear|anxiety|depress|advance directive|late effects|quality of life|caregiver|supportive care"
                  r"|remission|stopping|grief|\bhope|talk with|talk to")
CAUSE = Path("training/questions/cause.jsonl")  # the ranker's table's; not the model's: docs/model.md (CAUSE_BRIEF.md)
#: The sections asked about in cause questions (CAUSE_BRIEF.md): risk factors, what raises a risk, what
#: causes a problem, found by their headings. Kept as the packets were cut: "cause" also finds three
#: headings saying "because", and "why " none.
CAUSE_HEADINGS = r"risk factor|cause|causes|risk of|why "
#: ``packets --match`` names for the patterns the focused question files were cut with.
MATCH_NAMES = {"worry": WORRY_HEADINGS, "cause": CAUSE_HEADINGS}
EVERYDAY = Path("training/questions/everyday.jsonl")  # not about cancer: the domain check's (EVERYDAY_BRIEF.md)
EVERYDAY_NEAR = Path("training/questions/everyday_near.jsonl")  # the same on the summaries' ground (its brief)
#: The lay-question files about the summaries that the domain check's cancer side was fitted on (not
#: cause.jsonl, written after it).
DOMAIN_QUESTIONS = [QUESTIONS, SITUATION, WORRY, AUDIENCE, Path("training/questions/lay_words.jsonl"),
                    Path("training/questions/situation_round2.jsonl")]
#: The lay-question files the ranker's translation table is fitted on (`training.translation`): every
#: file of patients' and families' questions about the summaries' sections.
TRANSLATION_QUESTIONS = [*DOMAIN_QUESTIONS, CAUSE]
#: The crisis check's labelled lines: sentences, inputs of one to five words, lines in Spanish and six other
#: languages written in the Latin alphabet, lines asking whom to call, about how long someone has, and about
#: the summary itself (their briefs beside them).
CRISIS_LINES = [Path(f"training/questions/{name}.jsonl") for name in (
    "crisis", "crisis_short", "crisis_languages", "crisis_contacts", "crisis_prognosis", "crisis_ordinary")]
ANIMALS = [Path(f"training/questions/{name}.jsonl")  # ANIMALS_*BRIEF.md
           for name in ("animals", "animals_round2", "animals_round3")]
CALIBRATION = Path("training/calibration")  # patient-style questions, one summary a file (BRIEF.md)
PASSING = Path("training/passing")  # questions naming what their summary never mentions (BRIEF.md)
MODEL_OUT = Path("models/pdq-minilm-l6")
BASE_MODEL = "all-MiniLM-L6-v2"
GUIDE = Path(".guide")  # train --guide unpacks all-mpnet-base-v2 here (training/guide.py)


def _pattern(text: str) -> re.Pattern[str]:
    """``--match``: a regular expression, or ``worry`` or ``cause`` for the one those questions used."""
    try:
        return re.compile(MATCH_NAMES.get(text, text), re.IGNORECASE)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"not a regular expression: {text!r} ({exc})") from exc


def _positive(text: str) -> int:
    """A count of one or more (``--n``, ``--each``): 0 or -2 packets crashed, -1 each asked for minus questions."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {n}")
    return n


def build_parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m training", description=description,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", type=Path, default=CORPUS, help="folder of PDQ summaries")
    sub = p.add_subparsers(dest="command", required=True)
    pk = sub.add_parser("packets", help="write the writers' packets")
    pk.add_argument("out", type=Path)
    pk.add_argument("--n", type=_positive, default=8)
    pk.add_argument("--each", type=_positive, default=None, help="ask N of each kind per section (default: by length)")
    pk.add_argument("--match", type=_pattern, default=None, metavar="REGEX",
                    help="only the sections whose heading path (joined by ' > ') this finds, ignoring case "
                         "('worry', 'cause': the sections those questions ask about, WORRY_HEADINGS, CAUSE_HEADINGS)")
    co = sub.add_parser("collect", help="validate writers' lines into questions.jsonl")
    co.add_argument("raw", type=Path, nargs="+")
    co.add_argument("--out", type=Path, default=QUESTIONS)
    co.add_argument("--force", action="store_true", help="replace --out when it is there (the committed questions)")
    tr = sub.add_parser("train", help="fine-tune the embedding model")
    tr.add_argument("--questions", type=Path, nargs="+", default=[QUESTIONS, SITUATION],
                    help=f"question files (default {QUESTIONS} and {SITUATION})")
    tr.add_argument("--shared", type=Path, nargs="?", const=SHARED, default=None,
                    help="also train on questions about the sections every summary shares "
                         f"(default file {SHARED}; measured and not shipped: docs/model.md)")
    tr.add_argument("--base", default=BASE_MODEL, help=f"model fine-tuned (default {BASE_MODEL})")
    tr.add_argument("--out", type=Path, default=MODEL_OUT,
                    help=f"folder written (default {MODEL_OUT}, the shipped model: --force to replace it)")
    tr.add_argument("--epochs", type=float, default=1.0, help="passes over the pairs (default 1)")
    tr.add_argument("--batch-size", type=int, default=32, help="rows a batch, half from each of "
                    "its two related summaries (their in-batch negatives)")
    tr.add_argument("--scale", type=float, default=20.0,
                    help="the loss's inverse temperature: cosines are multiplied by it before the softmax")
    tr.add_argument("--seed", type=int, default=13, help="seeds the batches' order and the torch "
                    "initialisation: another seed is another draw of the same recipe (the shipped model: 13)")
    tr.add_argument("--hard-negatives", action="store_true",
                    help="add a hard negative per question, mined with the starting model")
    tr.add_argument("--loss", choices=["infonce", "gte", "hardness", "symmetric"], default="infonce",
                    help="infonce: question->passage; gte: also question->question, passage->question and "
                         "passage->passage; hardness: the closest negatives weigh most; symmetric: also "
                         "passage->question (the last three measured and not shipped: docs/model.md)")
    tr.add_argument("--guide", type=Path, nargs="?", const=GUIDE, default=None,
                    help="train with GISTEmbedLoss, guided by a larger model's folder (default: "
                         f"all-mpnet-base-v2 from the '.[guide]' extra, unpacked to {GUIDE}/), which drops "
                         "in-batch negatives the guide ranks above the passage")
    tr.add_argument("--typos", type=float, default=0.0, help="share of questions trained with one slip "
                    "in a word of five letters or more (default 0: none)")
    tr.add_argument("--force", action="store_true", help="replace a model already in --out")
    ca = sub.add_parser("calibrate", help="fit the abstention model beside the embedding model")
    ca.add_argument("--index", type=Path, required=True, help="corpus index built with --model")
    ca.add_argument("--model", default="pdq-minilm-l6")
    ca.add_argument("--questions", type=Path, default=QUESTIONS)
    ca.add_argument("--n", type=int, default=1500, help="questions of each kind")
    ca.add_argument("--out", type=Path, default=None, help="folder for abstention.json "
                    "(default: the model's own folder)")
    fu = sub.add_parser("fusion", help="grid-search the fusion weights on a corpus index")
    fu.add_argument("--index", type=Path, required=True)
    fu.add_argument("--questions", type=Path, default=QUESTIONS)
    fu.add_argument("--n", type=int, default=500, help="questions sampled per split")
    ra = sub.add_parser("ranker", help="fit the learned ranker beside the embedding model")
    ra.add_argument("--index", type=Path, required=True, help="corpus index built with --model")
    ra.add_argument("--model", default="pdq-minilm-l6")
    ra.add_argument("--questions", type=Path, nargs="+", default=[QUESTIONS],
                    help=f"question files (default {QUESTIONS})")
    ra.add_argument("--audience", type=Path, default=AUDIENCE,
                    help="questions that name who the patient is (adult or child)")
    ra.add_argument("--lay", type=Path, nargs="+", default=TRANSLATION_QUESTIONS,
                    help="question files the translation table is fitted on (default: the lay question files)")
    ra.add_argument("--force", action="store_true", help="replace a ranker the model already has")
    wo = sub.add_parser("words", help="list the corpus's own non-everyday words for the speller")
    wo.add_argument("--force", action="store_true", help="replace the lists that are there (the committed ones)")
    wo.add_argument("--out", type=Path, default=Path("retriever/pdq_words.txt"))
    wo.add_argument("--subjects-out", type=Path, default=Path("retriever/pdq_subjects.txt"))
    wo.add_argument("--boilerplate-out", type=Path, default=Path("retriever/pdq_boilerplate.txt"))
    wo.add_argument("--cross-references-out", type=Path, default=Path("retriever/pdq_cross_references.txt"))
    wo.add_argument("--acronyms-out", type=Path, default=Path("retriever/pdq_acronyms.txt"))
    wo.add_argument("--cancer-words-out", type=Path, default=Path("retriever/pdq_cancer_words.txt"))
    wo.add_argument("--cancer-names-out", type=Path, default=Path("retriever/pdq_cancer_names.txt"))
    wo.add_argument("--verbs-out", type=Path, default=Path("retriever/pdq_verbs.txt"))
    wo.add_argument("--plurals-out", type=Path, default=Path("retriever/english_plurals.txt"))
    wo.add_argument("--drug-names-out", type=Path, default=Path("retriever/pdq_drug_names.txt"))
    wo.add_argument("--lay-cancers-out", type=Path, default=Path("retriever/pdq_lay_cancers.txt"))
    wo.add_argument("--lay", type=Path, nargs="+", default=TRANSLATION_QUESTIONS,
                    help="lay question files whose '<word> cancer' questions teach the everyday names of cancers "
                         "(default: the lay question files)")
    wo.add_argument("--questions", type=Path, default=QUESTIONS,
                    help="lay questions whose training summaries' verbs join the verbs list, and whose "
                    "acronyms typed in capitals mark those that are also words")
    do = sub.add_parser("domain", help="fit the check of whether a question is about cancer at all")
    do.add_argument("--model", default="pdq-minilm-l6")
    do.add_argument("--questions", type=Path, nargs="+", default=DOMAIN_QUESTIONS,
                    help="lay questions about cancer (training-question files)")
    do.add_argument("--everyday", type=Path, nargs="+", default=[EVERYDAY, EVERYDAY_NEAR],
                    help=f"questions not about cancer (default: {EVERYDAY} {EVERYDAY_NEAR}; their briefs beside them)")
    do.add_argument("--force", action="store_true", help="replace the model's domain check")
    cr = sub.add_parser("crisis", help="fit the check of whether a question reads as thoughts of suicide or self-harm")
    cr.add_argument("--model", default="pdq-minilm-l6")
    cr.add_argument("--lines", type=Path, nargs="+", default=CRISIS_LINES,
                    help="labelled lines (CRISIS_BRIEF.md, CRISIS_SHORT_BRIEF.md, CRISIS_LANGUAGES_BRIEF.md, "
                         "CRISIS_CONTACTS_BRIEF.md, CRISIS_PROGNOSIS_BRIEF.md, CRISIS_ORDINARY_BRIEF.md)")
    cr.add_argument("--questions", type=Path, nargs="+", default=DOMAIN_QUESTIONS,
                    help="lay questions about cancer (training-question files): the unflagged side with the lines")
    cr.add_argument("--force", action="store_true", help="replace the model's crisis check")
    am = sub.add_parser("animals", help="fit the check of whether a question is about an animal's health")
    am.add_argument("--model", default="pdq-minilm-l6")
    am.add_argument("--lines", type=Path, nargs="+", default=ANIMALS, help="labelled lines (ANIMALS_BRIEF.md)")
    am.add_argument("--questions", type=Path, nargs="+", default=DOMAIN_QUESTIONS,
                    help="lay questions about cancer (training-question files): the unflagged side with the lines")
    am.add_argument("--force", action="store_true", help="replace the model's animal check")
    an = sub.add_parser("answerable", help="fit the check of what a question's wording says about its answer")
    an.add_argument("--model", default="pdq-minilm-l6")
    an.add_argument("--questions", type=Path, default=CALIBRATION, help="folder of <doc_id>.jsonl sets")
    an.add_argument("--force", action="store_true", help="replace the model's answerable check")
    pa = sub.add_parser("passing", help="fit the check of whether a topic the passages lack is named in passing")
    pa.add_argument("--model", default="pdq-minilm-l6")
    pa.add_argument("--questions", type=Path, nargs="+", default=[CALIBRATION, CALIBRATION / "more", PASSING,
                                                                    PASSING / "pairs"],
                    help="folders of <doc_id>.jsonl sets")
    pa.add_argument("--across", type=Path, default=QUESTIONS,
                    help="lay questions (training-question file) asked of other summaries' indexes, out of scope there")
    pa.add_argument("--force", action="store_true", help="replace the model's in-passing check")
    hw = sub.add_parser("health-words", help="learn which everyday English words name a health topic")
    hw.add_argument("--model", default="pdq-minilm-l6", help="the model whose vectors of the words are read")
    hw.add_argument("--out", type=Path, default=Path("retriever/health_words.txt"))
    hw.add_argument("--questions", type=Path, nargs="+", default=DOMAIN_QUESTIONS,
                    help="lay-question files: a word patients ask of summaries that never mention it is no topic")
    hw.add_argument("--force", action="store_true", help="replace the list")
    th = sub.add_parser("threshold", help="pick the hand rule's abstention threshold for a model")
    th.add_argument("--model", default="pdq-minilm-l6")
    th.add_argument("--questions", type=Path, default=CALIBRATION, help="folder of <doc_id>.jsonl sets")
    th.add_argument("--force", action="store_true", help="replace the model's threshold.json")
    return p
