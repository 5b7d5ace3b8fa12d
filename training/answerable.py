"""Fit the answerable check (`retriever.answerable`) on the training summaries' calibration files.

Each calibration file (training/calibration/BRIEF.md: patient, typo and staff questions about
one summary, and out-of-scope ones beside them) is asked of an index of its summary alone, as
the threshold is picked (`training.threshold`), with the check off: what is recorded is the
hand rule's confidence, the question's vector and the first passage's vector. A logistic
regression over those (scikit-learn, `C`) is fitted on the training summaries' files. Its cut
is picked on predictions each summary's questions get from a fit on the other summaries
(left out one summary at a time): the logit with the fewest answerable questions refused
plus out-of-scope ones answered. The validation summaries' files, which nothing is fitted
on, are reported beside: before and after, at the model's threshold.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from eval.questionset import load_questions
from retriever.abstain import TOPIC_VETO
from retriever.answerable import AnswerCheck
from retriever.search import Retriever
from retriever.settings import Settings
from training.data import is_validation
from training.threshold import summary_index

# The regression's inverse regularisation: left out one training summary at a time, C of 1 to
# 10 made 28 or 29 errors on their 720 questions against 41 for the hand rule alone, 0.1 made
# 33 and 0.01 made 36 (docs/abstention.md, "What kind of question it is").
C = 3.0
# The product's scale: its terms are a hundredth of the question's, and the regression's one C
# then regularises both alike.
PAIR_SCALE = 10.0


class AnswerFitError(ValueError):
    """Files the check cannot be fitted on, or a fit that cannot be shipped."""


@dataclass(frozen=True)
class Asked:
    """One calibration question as the check reads it."""

    summary: str
    in_scope: bool
    confidence: float
    question: np.ndarray
    passage: np.ndarray


def ask_all(files: list[Path], corpus: Path, settings: Settings) -> tuple[list[Asked], float, str]:
    """Every file's questions asked of its own summary's index, the check off (a shipped one,
    stale or damaged, is not even read); the model's threshold and weights' sha256."""
    settings = settings.model_copy(update={"answer_check": False, "crisis_check": False, "passing_check": False,
                                           "animal_check": False})
    out = []
    with tempfile.TemporaryDirectory(prefix="pdq-answerable-") as tmp:
        for f in tqdm(files, desc="summaries", unit="summary"):
            r = Retriever.load(summary_index(corpus, f.stem, Path(tmp), settings), settings)
            for q in load_questions(f).questions:
                res = r.search(q.question)
                hits = res.hits or res.withheld
                passage = r.vectors[r.chunks.index(hits[0].chunk)] if hits else np.zeros(r.vectors.shape[1])
                vector = r.embedder.encode_query(r.plan(q.question.strip()).dense_text)
                out.append(Asked(f.stem, q.in_scope, float(res.confidence), vector, passage))
    return out, r.threshold, r.manifest.model_sha256


def features(asked: list[Asked]) -> np.ndarray:
    conf = np.array([[a.confidence] for a in asked])
    q = np.stack([a.question for a in asked])
    p = np.stack([a.passage for a in asked])
    return np.hstack([conf, q, q * p * PAIR_SCALE])


def vetoed(asked: list[Asked]) -> np.ndarray:
    """Questions the hand rule vetoes, which the check leaves refused."""
    return np.array([a.confidence <= TOPIC_VETO for a in asked])


def fit_regression(asked: list, label: str = "in_scope"):
    """The regression over `features`, to the rows' ``label`` (the in-passing check's rows
    share the form: `training.passing.Vetoed`, labelled ``answered``)."""
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=5000).fit(features(asked), [int(getattr(a, label)) for a in asked])


def as_check(model, dimensions: int, cut: float, threshold: float) -> AnswerCheck:
    """`fit_regression`'s weights as the retriever reads them (the product's unscaled)."""
    w = model.coef_[0]
    return AnswerCheck(float(w[0]), w[1:dimensions + 1].astype(np.float32),
                       (w[dimensions + 1:] * PAIR_SCALE).astype(np.float32), float(model.intercept_[0]), cut, threshold)


def errors(logits: np.ndarray, asked: list[Asked], cut: float) -> tuple[int, int]:
    """Answerable questions refused and out-of-scope ones answered at ``cut`` (vetoes refused)."""
    answered = (logits >= cut) & ~vetoed(asked)
    inside = np.array([a.in_scope for a in asked])
    return int((inside & ~answered).sum()), int((~inside & answered).sum())


def named(counts: tuple[int, int]) -> dict[str, int]:
    """`errors` as the record names them."""
    return dict(zip(("answerable refused", "out of scope answered"), counts))


def left_out_logits(asked: list, label: str = "in_scope", fit=fit_regression, featurize=features) -> np.ndarray:
    """Each summary's questions' logits from a ``fit`` on the other summaries (the in-passing
    check gives its own fit and features: `training.passing`)."""
    out = np.zeros(len(asked))
    for name in sorted({a.summary for a in asked}):
        mask = np.array([a.summary == name for a in asked])
        model = fit([a for a, m in zip(asked, mask) if not m], label)
        out[mask] = model.decision_function(featurize([a for a, m in zip(asked, mask) if m]))
    return out


def pick_cut(logits: np.ndarray, asked: list[Asked]) -> float:
    """The logit with the fewest errors of both kinds (the higher on a tie)."""
    return float(min(np.unique(logits), key=lambda c: (sum(errors(logits, asked, c)), -c)))


def fit_answerable(files: list[Path], corpus: Path, settings: Settings, out: Path) -> dict:
    """Fit on the training summaries' files, pick the cut, save to ``out``; the record."""
    t0 = time.time()
    asked, threshold, model_sha256 = ask_all(files, corpus, settings)
    tuning = [a for a in asked if not is_validation(a.summary)]
    held = [a for a in asked if is_validation(a.summary)]
    if len({a.summary for a in tuning}) < 2:
        raise AnswerFitError("the cut is picked on each training summary's questions left out of a fit on the "
                             "others: give the files of two training summaries or more")
    left_out = left_out_logits(tuning)  # sixteen fits: once, for the cut and the record
    cut = round(pick_cut(left_out, tuning), 4)
    check = as_check(fit_regression(tuning), len(tuning[0].question), cut, threshold)
    if not check.confidence_weight > 0:
        raise AnswerFitError(f"the fit weighs the hand rule's confidence by {check.confidence_weight:.4f}: a higher "
                             "confidence must mean answerable; nothing was written")

    def figures(group: list[Asked]) -> dict:
        before = np.array([a.confidence - threshold for a in group])  # the hand rule: answered at >= 0
        after = np.array([check.logit(a.confidence, a.question, a.passage) for a in group])
        return {name: named(errors(x, group, c))
                for name, x, c in (("hand rule", before, 0.0), ("with the check", after, cut))}

    record = {"C": C, "model_sha256": model_sha256,
              "fitted_on": {"summaries": len({a.summary for a in tuning}), "questions": len(tuning),
                            "answerable": sum(a.in_scope for a in tuning)},
              "left_out_errors": named(errors(left_out, tuning, cut)),
              "training summaries": figures(tuning), "validation summaries": figures(held) if held else {},
              "seconds": round(time.time() - t0, 1)}
    check.save(out, **record)
    return {"cut": cut, **record}


def command(args) -> int:
    """``python -m training answerable``: fit on the calibration files, write beside the model."""
    import json
    import sys

    from eval.questionset import QuestionSetError
    from ingest.loading import DocumentError
    from retriever.answerable import FOLDER, RECORD_FILE, WEIGHTS_FILE
    from retriever.embedding import ModelError, resolve_model
    from retriever.settings import read_settings
    from retriever.store import IndexLoadError

    out = Path(resolve_model(args.model)) / FOLDER
    files = sorted(Path(args.questions).glob("*.jsonl"))
    missing = [f.name for f in files if not (args.corpus / f"{f.stem}.md").is_file()]
    if missing or all(is_validation(f.stem) for f in files):
        print(f"error: {args.questions}: " + (f"no summary in {args.corpus} for {missing}" if missing else
              "no question file (<doc_id>.jsonl) of a training summary"), file=sys.stderr)
        return 2
    if any((out / name).exists() for name in (WEIGHTS_FILE, RECORD_FILE)) and not args.force:
        print(f"error: {out} already holds an answerable check; pass --force to replace it", file=sys.stderr)
        return 2
    try:
        record = fit_answerable(files, args.corpus, read_settings(model=args.model, abstain_threshold=None), out)
    except (QuestionSetError, DocumentError, IndexLoadError, ModelError, AnswerFitError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(record, indent=2))
    print(f"-> {out}")
    return 0
