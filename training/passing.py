"""Fit the in-passing check (`retriever.passing`) on the questions a topic alone vetoes.

Every question of the calibration files (training/calibration/BRIEF.md, both folders) and of
the files written for this check (training/passing/BRIEF.md: questions that name something
their summary never mentions, in passing or as what they ask) is asked of an index of its
summary alone, the check off, and so are `ACROSS_EACH` lay questions of other summaries
(out of scope there: "a carcinoid in the lung" is no question for the seed). The questions
refused only for health topics the passages never name, none a cancer they ask about
(`retriever.passing.liftable`), are kept: answered when
answerable and their passage comes first, else not (an out-of-scope question, or an
answerable one whose first passage is another section's). A logistic regression over the
best cosine, the question's vector, its product with the first passage's vector
(`training.answerable`'s form) and how the question holds its topics
(`retriever.passing.reading`), on standardised features, is fitted on the training
summaries' questions, and the standardising is folded into its weights. Its cut is
picked on each training summary's questions predicted by a fit on the others: the fewest
errors, a wrong answer counting `WRONG_ANSWER_COST` refusals. The validation summaries'
files, which nothing is fitted on, are reported beside.
"""

from __future__ import annotations

import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from eval.questionset import Question, is_relevant, load_questions
from retriever.answerable import AnswerCheck
from retriever.passing import EXTRA_FEATURES, IN_PASSING, liftable, reading
from retriever.search import Retriever
from retriever.settings import Settings
from training.answerable import AnswerFitError, left_out_logits
from training.data import is_validation
from training.questions import TrainingQuestion
from training.threshold import summary_index

# A wrong answer (an out-of-scope question answered, or an answerable one with another
# section's passage) counts this many refusals when the cut is picked: patients must never
# be given a wrong passage. Left out one training summary at a time, 3 and 4 pick the same
# cut (295 answered with their passage, 20 with another's, 7 of 575 out of scope); 2 answers
# 28 more for 11 more wrong, 5 answers 59 fewer for 14 fewer wrong (docs/abstention.md, "A
# topic named in passing, learned").
WRONG_ANSWER_COST = 3
# Other summaries' lay questions asked of each summary's index (training/questions/BRIEF.md,
# full questions of the same split): a question about another cancer names its organ, which
# the summary never does, as a question about a lung carcinoid does on the seed.
ACROSS_EACH = 15
# The regression's C, on standardised features. Left out one training summary at a time (the
# cut picked at that cost each time; int8 vectors on avx2): 0.001, 0.002, 0.003 and 0.005
# answer 332, 327, 318 and 343 of 457 with their passage for 34, 31, 29 and 39 wrong answers,
# errors 227, 223, 226 and 231; the vectors alone (the answerable check's form, C 3 unscaled)
# 305 for 32, errors 248 (docs/abstention.md, "How the question holds its topics").
PASSING_C = 0.002
# A standardised column's scale is at least this share of its group's median (`scale_floors`).
SCALE_FLOOR = 0.1


@dataclass(frozen=True)
class Vetoed:
    """One question a topic alone vetoes, as the check reads it."""

    summary: str
    in_scope: bool
    answered: bool  # answerable, and its passage first: what a lift should give
    confidence: float  # the best cosine: what this check reads where the answerable check reads the hand rule's
    question: np.ndarray
    passage: np.ndarray
    extra: np.ndarray  # how the question holds its topics (`retriever.passing.reading`)


def ask_vetoed(files: list[Path], corpus: Path, settings: Settings, across: list[TrainingQuestion] = (),
               each: int = ACROSS_EACH) -> tuple[list[Vetoed], float, str]:
    """Every file's questions asked of its own summary's index, the check off, and ``each`` of
    the ``across`` questions of other summaries of its split (out of scope there); the vetoed
    ones, the model's threshold and weights' sha256."""
    settings = settings.model_copy(update={"passing_check": False, "crisis_check": False, "animal_check": False})
    out: list[Vetoed] = []
    with tempfile.TemporaryDirectory(prefix="pdq-passing-") as tmp:
        indexes: dict[str, Path] = {}  # a summary's calibration and passing files share its index
        for f in tqdm(files, desc="question files", unit="file"):
            if f.stem not in indexes:
                indexes[f.stem] = summary_index(corpus, f.stem, Path(tmp), settings)
            r = Retriever.load(indexes[f.stem], settings)
            out += [v for q in load_questions(f).questions if (v := _vetoed(r, f.stem, q.question, q)) is not None]
        for name, index in tqdm(indexes.items(), desc="other summaries' questions", unit="summary"):
            r = Retriever.load(index, settings)
            pool = [q for q in across if q.doc_id != name and is_validation(q.doc_id) == is_validation(name)]
            picked = random.Random(name).sample(pool, min(each, len(pool)))
            out += [v for q in picked if (v := _vetoed(r, name, q.question)) is not None]
    return out, r.threshold, r.manifest.model_sha256


def _vetoed(r: Retriever, summary: str, text: str, q: Question | None = None) -> Vetoed | None:
    """``text`` asked of ``r``, as the check reads it when a topic alone vetoes it; None if not.
    Without ``q`` (another summary's question) it is out of scope."""
    res, plan = r.search(text), r.plan(text.strip())
    if not (liftable(res, plan) and res.withheld):  # one summary: no `other`
        return None
    first = res.withheld[0].chunk
    answered = q is not None and q.in_scope and is_relevant(q, first.section, first.text, first.source)
    vector, passage = r.embedder.encode_query(plan.dense_text), r.vectors[r.chunks.index(first)]
    extra = reading(plan.dense_text, res.evidence.topics_missing, vector, passage, r.embedder.encode_query)
    return Vetoed(summary, q is not None and q.in_scope, answered, res.evidence.best_cosine, vector, passage, extra)


def features(vetoed: list[Vetoed]) -> np.ndarray:
    """The best cosine, the question, its product with the passage, and `reading`'s features
    (their columns split by `groups`)."""
    q, p = np.stack([v.question for v in vetoed]), np.stack([v.passage for v in vetoed])
    return np.hstack([np.array([[v.confidence] for v in vetoed]), q, q * p, np.stack([v.extra for v in vetoed])])


def fit_regression(vetoed: list[Vetoed], label: str = "answered"):
    """Standardised features, then the regression: the vectors' hundreds of small features and
    `reading`'s few large ones are weighed on one scale. A column's scale is at least
    `SCALE_FLOOR` of its group's median (`scale_floors`)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    x = features(vetoed)
    scaler = StandardScaler().fit(x)
    scaler.scale_ = np.maximum(scaler.scale_, scale_floors(scaler.scale_, len(vetoed[0].question)))
    regression = LogisticRegression(C=PASSING_C, max_iter=5000).fit(scaler.transform(x),
                                                                     [int(getattr(v, label)) for v in vetoed])
    return make_pipeline(scaler, regression)


def scale_floors(scales: np.ndarray, dimensions: int) -> np.ndarray:
    """`SCALE_FLOOR` of the median scale of each column's group (the cosine, the question's
    vector, the product, `reading`'s features). Three of the model's dimensions are all but
    constant (a spread of 1e-7): standardised as they are, the fit gave them folded weights up
    to 1.9e11, which read the encoder's rounding noise."""
    floors = np.zeros_like(scales)
    for group in groups(np.arange(len(scales)), dimensions):
        floors[group] = SCALE_FLOOR * np.median(scales[group])
    return floors


def groups(columns: np.ndarray, dimensions: int) -> list[np.ndarray]:
    """``columns`` (one per feature) split as `features` lays them out: the cosine, the
    question's ``dimensions``, the product's, `reading`'s."""
    return np.split(columns, [1, 1 + dimensions, 1 + 2 * dimensions])


def as_check(model, dimensions: int, cut: float, threshold: float) -> AnswerCheck:
    """`fit_regression`'s pipeline as the retriever reads it: weights on the unscaled features."""
    scaler, regression = model[0], model[-1]
    w = regression.coef_[0] / scaler.scale_
    bias = float(regression.intercept_[0] - w @ scaler.mean_)
    parts = groups(w, dimensions)
    return AnswerCheck(float(parts[0][0]), *(part.astype(np.float32) for part in parts[1:3]), bias, cut, threshold,
                       extra_weights=parts[3].astype(np.float32))


def pick_cut(logits: np.ndarray, vetoed: list[Vetoed], cost: float = WRONG_ANSWER_COST) -> float:
    """The logit with the fewest errors, a wrong answer counting ``cost`` refusals (the higher on a tie)."""
    answered = np.array([v.answered for v in vetoed])

    def errors(cut: float) -> float:
        up = logits >= cut
        return cost * (up & ~answered).sum() + (answered & ~up).sum()
    return float(min(np.unique(logits), key=lambda c: (errors(c), -c)))


def answered_at(logits: np.ndarray, vetoed: list[Vetoed], cut: float) -> dict[str, int]:
    """What the check answers at ``cut``: right passages, other sections' passages, out-of-scope questions."""
    up = logits >= cut
    return {"answered with its passage": int(sum(u and v.answered for u, v in zip(up, vetoed))),
            "answered with another passage": int(sum(u and v.in_scope and not v.answered for u, v in zip(up, vetoed))),
            "out of scope answered": int(sum(u and not v.in_scope for u, v in zip(up, vetoed))),
            "of": {"answerable": sum(v.in_scope for v in vetoed), "out of scope": sum(not v.in_scope for v in vetoed)}}


def fit_passing(files: list[Path], corpus: Path, settings: Settings, out: Path,
                across: list[TrainingQuestion] = ()) -> dict:
    """Fit on the training summaries' vetoed questions, pick the cut, save to ``out``; the record."""
    t0 = time.time()
    if not files:
        raise AnswerFitError("no question file to fit on")
    vetoed, threshold, model_sha256 = ask_vetoed(files, corpus, settings, across)
    tuning = [v for v in vetoed if not is_validation(v.summary)]
    held = [v for v in vetoed if is_validation(v.summary)]
    if len({v.summary for v in tuning}) < 2 or len({v.answered for v in tuning}) < 2:
        raise AnswerFitError("the cut is picked on each training summary's questions left out of a fit on the others: "
                             "give vetoed questions of two training summaries or more, answered and not")
    left_out = left_out_logits(tuning, "answered", fit_regression, features)
    cut = round(pick_cut(left_out, tuning), 4)
    check = as_check(fit_regression(tuning), len(tuning[0].question), cut, threshold)
    if not check.confidence_weight > 0:
        raise AnswerFitError(f"the fit weighs the best cosine by {check.confidence_weight:.4f}: a closer passage must "
                             "mean answered; nothing was written")
    logits = lambda group: np.array([check.logit(v.confidence, v.question, v.passage, v.extra)  # noqa: E731
                                     for v in group])
    record = {"C": PASSING_C, "wrong_answer_cost": WRONG_ANSWER_COST, "model_sha256": model_sha256,
              "across_each": ACROSS_EACH,
              "extra_features": {name: round(float(w), 4) for name, w in zip(EXTRA_FEATURES, check.extra_weights)},
              "fitted_on": {"summaries": len({v.summary for v in tuning}), "vetoed questions": len(tuning),
                            "answered": sum(v.answered for v in tuning)},
              "left_out": answered_at(left_out, tuning, cut),
              "training summaries": answered_at(logits(tuning), tuning, cut),
              "validation summaries": answered_at(logits(held), held, cut) if held else {},
              "seconds": round(time.time() - t0, 1)}
    check.save(out, IN_PASSING, **record)
    return {"cut": cut, **record}


def command(args) -> int:
    """``python -m training passing``: fit on the question folders, write beside the model."""
    import json
    import sys

    from eval.questionset import QuestionSetError
    from ingest.loading import DocumentError
    from retriever.embedding import ModelError, resolve_model
    from retriever.settings import read_settings
    from retriever.store import IndexLoadError
    from training.questions import QuestionFileError
    from training.questions import load_questions as load_training_questions

    out = Path(resolve_model(args.model)) / IN_PASSING.folder
    files = sorted(f for folder in args.questions for f in Path(folder).glob("*.jsonl"))
    missing = [f.name for f in files if not (args.corpus / f"{f.stem}.md").is_file()]
    if missing or all(is_validation(f.stem) for f in files):
        print(f"error: {', '.join(map(str, args.questions))}: " + (
            f"no summary in {args.corpus} for {missing}" if missing else
            "no question file (<doc_id>.jsonl) of a training summary"), file=sys.stderr)
        return 2
    if any((out / name).exists() for name in (IN_PASSING.weights, IN_PASSING.record)) and not args.force:
        print(f"error: {out} already holds an in-passing check; pass --force to replace it", file=sys.stderr)
        return 2
    try:
        across = [q for q in load_training_questions(args.across) if q.style == "question"]
        record = fit_passing(files, args.corpus, read_settings(model=args.model, abstain_threshold=None), out, across)
    except (QuestionSetError, QuestionFileError, DocumentError, IndexLoadError, ModelError, AnswerFitError,
            OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(record, indent=2))
    print(f"-> {out}")
    return 0
