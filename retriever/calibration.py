"""A learned abstention model shipped beside the embedding model that it calibrates.

Cosines mean different things under different models, so the model folder carries its
own calibration (``abstention.json``): a logistic regression over the `Evidence` signals,
fitted on questions of training summaries (answerable ones, and near-misses asked of the
corpus without the summary they name: ``python -m training calibrate``), with its threshold
picked on validation summaries. A model without the file (the stock MiniLM) keeps the
hand rule of `retriever.abstain`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from retriever.abstain import FEATURES, Evidence

FILE = "abstention.json"


class CalibrationError(ValueError):
    """An abstention file that cannot be used, naming the file and the problem."""


@dataclass(frozen=True)
class Calibration:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def confidence(self, ev: Evidence) -> float:
        """Probability that the passages answer the question."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, ev.vector()))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self, **extra) -> str:
        return json.dumps({"features": list(self.features), "weights": list(self.weights),
                           "bias": self.bias, "threshold": self.threshold, **extra}, indent=2)

    @classmethod
    def load(cls, model_dir: str | Path) -> Calibration | None:
        """The calibration in ``model_dir``, or None when it has none."""
        path = Path(model_dir) / FILE
        if not path.is_file():
            return None
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            cal = cls(tuple(raw["features"]), tuple(float(w) for w in raw["weights"]),
                      float(raw["bias"]), float(raw["threshold"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise CalibrationError(f"{path}: not an abstention calibration ({exc}); rebuild it "
                                   "with: python -m training calibrate") from None
        if cal.features != FEATURES:
            raise CalibrationError(f"{path}: fitted on features {list(cal.features)}, this version "
                                   f"computes {list(FEATURES)}; rebuild it with: "
                                   "python -m training calibrate")
        return cal


THRESHOLD_FILE = "threshold.json"


def model_threshold(model_dir: str | Path) -> float | None:
    """The hand rule's threshold picked for the model in ``model_dir`` (``python -m training
    threshold``), or None when it ships none (the stock MiniLM keeps `HAND_THRESHOLD`)."""
    path = Path(model_dir) / THRESHOLD_FILE
    if not path.is_file():
        return None
    try:
        value = float(json.loads(path.read_text(encoding="utf-8"))["threshold"])
    except (ValueError, KeyError, TypeError) as exc:
        raise CalibrationError(f"{path}: not a threshold record ({exc}); rebuild it with: "
                               "python -m training threshold --force") from None
    if not 0.0 < value < 1.0:
        raise CalibrationError(f"{path}: threshold {value} is not between 0 and 1; rebuild it with: "
                               "python -m training threshold --force")
    return value
