"""Whether a question is about cancer at all, read from its own embedding.

Patients type everything into the one box. "i have a cold and a sore throat what should i
take" or "my back hurts" land close to a treatment or symptom passage (cosines of 0.5 to
0.6, above the threshold), and no word of them is a topic the summaries lack, so neither
the threshold nor the topic rule refuses them. A small network over the question's vector
(the one the search already has), fitted on the training summaries' lay questions against
everyday questions that are not about cancer (``python -m training domain``;
training/questions/EVERYDAY_BRIEF.md), says which side it is on.

Its cut lets through all but `FLAGGED_SHARE` of the validation summaries' questions, and it
refuses only with the passages' own words agreeing: fewer than half of the question's
terms in the passages read (`abstain.COVERAGE_BELOW`). Questions about a diet or insurance
that the seed does answer can be called everyday too, and the passages' words are what
keep them answered (docs/abstention.md, "Everyday questions").
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np

from retriever.store import finite_number, read_check, sha256_file, write_json, write_npz

FOLDER = "domain"
WEIGHTS_FILE = "domain.npz"
RECORD_FILE = "domain.json"
REBUILD = "python -m training domain --force"
# The share of the validation summaries' questions the cut calls everyday. Picked on the
# training summaries' calibration files (answerable refused plus out-of-scope answered: 49
# without the check; 44 at 1%, 48 at 2%, 51 at 3%, 47 at 0.5%; docs/abstention.md,
# "Everyday questions"); with the second round of everyday questions, on avx2: 48 without,
# 46 at 0.5%, 47 at 1%, 49 at 1.5% and 2%, 56 at 3% ("Everyday questions on the summaries'
# own ground"), so it stays.
FLAGGED_SHARE = 0.01


class DomainError(ValueError):
    """A domain file that cannot be used, naming the file and the fix."""


@dataclass(frozen=True, eq=False)  # arrays: compared by identity
class DomainCheck:
    """One hidden layer (ReLU) and a logistic output over a question's normalised vector.

    The class attributes name its files and what an error says; `retriever.crisis` reads
    another check of the same form from files of its own."""

    FOLDER: ClassVar[str] = FOLDER
    WEIGHTS_FILE: ClassVar[str] = WEIGHTS_FILE
    RECORD_FILE: ClassVar[str] = RECORD_FILE
    REBUILD: ClassVar[str] = REBUILD
    WHAT: ClassVar[str] = "domain check"
    SWITCH: ClassVar[str] = "PDQ_DOMAIN_CHECK"
    ERROR: ClassVar[type[ValueError]] = DomainError

    hidden_weights: np.ndarray  # (dimensions, hidden)
    hidden_bias: np.ndarray     # (hidden,)
    out_weights: np.ndarray     # (hidden,)
    out_bias: float
    cut: float                  # a logit: above it, the question is everyday
    sha256: str = ""

    def __post_init__(self):
        # One contiguous row per hidden unit: the product with a question's vector takes 5 µs
        # here against 30 for the (dimensions, hidden) array as fitted, on every search.
        object.__setattr__(self, "_rows", np.ascontiguousarray(self.hidden_weights.T))

    def logit(self, vector: np.ndarray) -> float:
        hidden = np.maximum(self._rows @ vector + self.hidden_bias, 0.0)
        return float(hidden @ self.out_weights + self.out_bias)

    def flags(self, vector: np.ndarray | None) -> bool:
        """Whether the question the vector embeds is on the check's side of its cut."""
        return vector is not None and self.logit(vector) > self.cut

    def everyday(self, vector: np.ndarray | None) -> bool:
        """Whether the question the vector embeds is about something other than cancer."""
        return self.flags(vector)

    def save(self, folder: Path, **record) -> None:
        """The weights and their record (sha256, cut, what they were fitted on)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.WEIGHTS_FILE
        write_npz(path, hidden_weights=self.hidden_weights, hidden_bias=self.hidden_bias,
                  out_weights=self.out_weights, out_bias=np.float32(self.out_bias))
        write_json(folder / self.RECORD_FILE, {"sha256": sha256_file(path), "cut": self.cut, **record})

    @classmethod
    def load(cls, model_dir: str | Path, dimensions: int, model_sha256: str = "") -> DomainCheck | None:
        """The check shipped in ``model_dir``, or None when the model ships none (the stock MiniLM).

        Args:
            dimensions: The model's vector size.
            model_sha256: The weights' hash of the model whose vectors it will read (an index
                manifest's); a check fitted on another model's vectors is refused.

        Raises:
            DomainError: a record or weights file that is missing, unreadable, edited or cut
                off, or fitted on other vectors; the message names the file and the fix.
        """
        folder = Path(model_dir) / cls.FOLDER
        path, record = folder / cls.WEIGHTS_FILE, folder / cls.RECORD_FILE
        read = read_check(folder, cls.WEIGHTS_FILE, cls.RECORD_FILE, cls.WHAT, cls.REBUILD, cls.SWITCH,
                          model_sha256, cls.ERROR)
        if read is None:
            return None
        raw, sha256, fix = read
        cut = raw.get("cut")
        if not finite_number(cut):
            raise cls.ERROR(f"{record}: not a {cls.WHAT} record (cut {cut!r} must be a finite number); {fix}")
        try:
            with np.load(path) as z:
                check = cls(z["hidden_weights"].astype(np.float32), z["hidden_bias"].astype(np.float32),
                            z["out_weights"].astype(np.float32), float(z["out_bias"]), float(cut), sha256)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
            raise cls.ERROR(f"{path}: not a {cls.WHAT} ({exc}); {fix}") from None
        arrays = (check.hidden_weights, check.hidden_bias, check.out_weights, np.float32(check.out_bias))
        if not all(np.isfinite(a).all() for a in arrays):
            raise cls.ERROR(f"{path}: weights that are not finite numbers; {fix}")
        hidden = check.hidden_weights.shape
        if len(hidden) != 2 or hidden[0] != dimensions or check.hidden_bias.shape != (hidden[1],) \
                or check.out_weights.shape != (hidden[1],):
            raise cls.ERROR(f"{path}: weights of shapes {hidden}, {check.hidden_bias.shape} and "
                            f"{check.out_weights.shape} do not read vectors of {dimensions} dimensions; "
                            f"rebuild it with: {cls.REBUILD}")
        return cls.completed(check, folder, raw, fix)

    @classmethod
    def completed(cls, check: DomainCheck, folder: Path, record: dict, fix: str) -> DomainCheck:
        """``check`` with whatever else its ``record`` names (a subclass's other files): the
        record as `load` read and checked it, so that both come from one reading."""
        return check
