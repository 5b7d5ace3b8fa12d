"""Whether the passage found answers the question, learned from the question's wording.

The hand rule's confidence (`retriever.abstain`) reads how close the best passage is and
what it lacks; it cannot read what kind of question was asked. Questions that PDQ
summaries never answer have a wording of their own ("which hospital", "how much will it
cost", "what dose should I take", a cancer the summary is not about), and answerable ones
asked in lay words sit below the threshold though the passage found is the right one. A
logistic regression over the hand confidence, the question's vector and its product with
the first passage's vector (elementwise: which of the model's dimensions the two share),
fitted on the training summaries' calibration files (``python -m training answerable``;
training/calibration/BRIEF.md), moves the confidence up or down by what it has learnt.

It only moves the confidence, and the threshold stays the model's. The adjusted confidence
answers exactly when the regression's probability reaches its cut, which is picked where
the training summaries' files, each summary's questions predicted by a fit on the other
summaries, make the fewest errors of both kinds (docs/abstention.md, "What kind of question
it is"). A question the hand rule vetoes (a topic or subject the passages never name)
stays refused. A question not in English (`tokenization.not_in_english`) is left to the
hand rule wherever the check would change its decision: the check was fitted on English
questions, and such a question's vector is unlike any it read ("类癌综合征是什么" was raised
from 0.23 to 0.47 and answered with a passage on how cancer spreads).
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from retriever.abstain import TOPIC_VETO, Verdict
from retriever.store import finite_number, read_check, sha256_file, write_json, write_npz
from retriever.tokenization import not_in_english

FOLDER = "answerable"
WEIGHTS_FILE = "answerable.npz"
RECORD_FILE = "answerable.json"
REBUILD = "python -m training answerable --force"


@dataclass(frozen=True)
class CheckFiles:
    """Where a model ships a check of this form, and what its errors name: the answerable
    check below, and the check of a topic named in passing (`retriever.passing`)."""

    folder: str
    weights: str
    record: str
    what: str
    rebuild: str
    switch: str
    extra_features: int = 0  # read beside the vectors (`retriever.passing.reading`); the answerable check reads none


ANSWERABLE = CheckFiles(FOLDER, WEIGHTS_FILE, RECORD_FILE, "answerable check", REBUILD, "PDQ_ANSWER_CHECK")


class AnswerCheckError(ValueError):
    """An answerable-check file that cannot be used, naming the file and the fix."""


@dataclass(frozen=True, eq=False)  # arrays: compared by identity
class AnswerCheck:
    """The regression's weights: on the hand confidence, the question's vector and the
    question-passage product, and on ``extra`` features where the check reads some
    (`CheckFiles.extra_features`); ``cut`` is the logit at which it answers at ``threshold``,
    the hand rule's threshold it was fitted at."""

    confidence_weight: float
    question_weights: np.ndarray  # (dimensions,)
    pair_weights: np.ndarray      # (dimensions,)
    bias: float
    cut: float
    threshold: float
    sha256: str = ""
    extra_weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    def logit(self, confidence: float, question: np.ndarray, passage: np.ndarray,
              extra: np.ndarray | None = None) -> float:
        more = float(extra @ self.extra_weights) if self.extra_weights.size else 0.0
        return float(self.confidence_weight * confidence + question @ self.question_weights
                     + (question * passage) @ self.pair_weights + self.bias) + more

    def adjust(self, confidence: float, question: np.ndarray, passage: np.ndarray,
               extra: np.ndarray | None = None) -> float:
        """The confidence on the hand rule's scale, moved by what the regression learnt: it
        reaches the threshold the check was fitted at exactly when the logit reaches the cut,
        and a threshold set higher or lower (``PDQ_ABSTAIN_THRESHOLD``) asks more or less of it."""
        return self.threshold + (self.logit(confidence, question, passage, extra) - self.cut) / self.confidence_weight

    def save(self, folder: Path, files: CheckFiles = ANSWERABLE, **record) -> None:
        """The weights and their record (sha256, cut, what they were fitted on)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / files.weights
        extra = {"extra_weights": self.extra_weights} if self.extra_weights.size else {}
        write_npz(path, confidence_weight=np.float32(self.confidence_weight), question_weights=self.question_weights,
                  pair_weights=self.pair_weights, bias=np.float32(self.bias), **extra)
        write_json(folder / files.record, {"sha256": sha256_file(path), "cut": self.cut, "threshold": self.threshold,
                                          **record})

    @classmethod
    def load(cls, model_dir: str | Path, dimensions: int, model_sha256: str = "",
             files: CheckFiles = ANSWERABLE) -> AnswerCheck | None:
        """The check shipped in ``model_dir``, or None when the model ships none (the stock MiniLM).

        Raises:
            AnswerCheckError: a record or weights file that is missing, unreadable, edited or
                cut off, or fitted on another model's vectors; the message names the file and the fix.
        """
        folder = Path(model_dir) / files.folder
        read = read_check(folder, files.weights, files.record, files.what, files.rebuild, files.switch,
                          model_sha256, AnswerCheckError)
        if read is None:
            return None
        raw, sha256, fix = read
        path, what = folder / files.weights, files.what
        cut, threshold = (raw.get(name) for name in ("cut", "threshold"))
        if not (finite_number(cut) and finite_number(threshold)):
            raise AnswerCheckError(f"{folder / files.record}: not an {what} record (cut {cut!r} and "
                                   f"threshold {threshold!r} must be finite numbers); {fix}")
        try:
            with np.load(path) as z:
                weights = (z["question_weights"].astype(np.float32), z["pair_weights"].astype(np.float32))
                extra = z["extra_weights"].astype(np.float32) if "extra_weights" in z else np.zeros(0, np.float32)
                check = cls(float(z["confidence_weight"]), *weights, float(z["bias"]), float(cut), float(threshold),
                            sha256, extra)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
            raise AnswerCheckError(f"{path}: not an {what} ({exc}); {fix}") from None
        arrays = (check.question_weights, check.pair_weights, check.extra_weights, np.float32(check.bias))
        if not all(np.isfinite(a).all() for a in arrays):
            raise AnswerCheckError(f"{path}: weights that are not finite numbers; {fix}")
        if check.question_weights.shape != (dimensions,) or check.pair_weights.shape != (dimensions,):
            raise AnswerCheckError(f"{path}: weights of shapes {check.question_weights.shape} and "
                                   f"{check.pair_weights.shape} do not read vectors of {dimensions} "
                                   f"dimensions; rebuild it with: {files.rebuild}")
        if check.extra_weights.shape != (files.extra_features,):
            raise AnswerCheckError(f"{path}: {check.extra_weights.size} weights on features beside the vectors where "
                                   f"the {what} reads {files.extra_features}; rebuild it with: {files.rebuild}")
        if not (check.confidence_weight > 0 and math.isfinite(check.confidence_weight)):  # divided by; must rise
            raise AnswerCheckError(f"{path}: its weight on the confidence is {check.confidence_weight}, not "
                                   f"positive; rebuild it with: {files.rebuild}")
        return check


def checked(verdict: Verdict, check: AnswerCheck | None, question: np.ndarray | None, passage: np.ndarray | None,
            threshold: float, text: str = "") -> Verdict:
    """``verdict`` with its confidence moved by ``check`` (None: as it is), judged against
    ``threshold``. A veto, and a query that asks nothing, stay refused: their confidence is
    at most `TOPIC_VETO`. One passage holding every term of the question, with nothing
    missing, is never lowered below the hand rule's confidence (raised to the floor that
    earns it, `abstain.ALL_TERMS_FOUND`): a test's name typed alone ("5HIAA") reads unlike
    a question."""
    if check is None or question is None or passage is None or verdict.confidence <= TOPIC_VETO:
        return verdict
    confidence = check.adjust(verdict.confidence, question, passage)
    ev = verdict.evidence
    if ev is not None and ev.all_terms_found and not verdict.missing:
        confidence = max(confidence, verdict.confidence)
    abstained = bool(confidence < threshold)
    if abstained != verdict.abstained and not_in_english(text):  # read only where it decides: 0.1 ms
        return verdict
    return replace(verdict, abstained=abstained, confidence=confidence)
