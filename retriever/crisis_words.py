"""The crisis check's second reader: the question's own words and word pairs.

The crisis check (`retriever.crisis`) reads the question's vector, which an English search
model makes, and a vector blurs what a few words say plainly: "quiero morir", "kms" or
"burden to my family" sit among ordinary questions there. A logistic regression over the
question's words and adjacent word pairs, weighed as scikit-learn's `TfidfVectorizer` does
(sublinear counts, idf, unit length), fitted on the same lines by ``python -m training
crisis``, reads them. Either reader flags a question; each is cut at half the ordinary
questions' share the vector alone was cut at, so together they flag at most as many
ordinary questions as before (docs/abstention.md, "Crisis help from the words too"). A
sentence in a script written without spaces (Chinese) is one token to it and matches no
term: such questions rely on the vector alone.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retriever.store import finite_number, sha256_file, write_npz
from retriever.text import drop_invisible

WORDS_FILE = "crisis_words.npz"
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default: words of two characters or more


def terms(text: str) -> list[str]:
    """The question's words, lower-cased, and each pair of adjacent ones: what the weights
    are fitted on (the fit hands this function to `TfidfVectorizer` as its analyzer)."""
    words = TOKEN.findall(drop_invisible(text).lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


@dataclass(frozen=True, eq=False)  # arrays: compared by identity
class CrisisWords:
    """A linear model over a question's TF-IDF terms; above ``cut``, it reads as a crisis."""

    vocabulary: tuple[str, ...]
    idf: np.ndarray   # (terms,)
    coef: np.ndarray  # (terms,)
    bias: float
    cut: float
    sha256: str = ""

    def __post_init__(self):
        object.__setattr__(self, "_ids", {term: i for i, term in enumerate(self.vocabulary)})

    def logit(self, text: str) -> float:
        """scikit-learn's decision function; minus infinity for a text with no term it knows,
        which its words say nothing of (a brand or a word of another language unseen in the fit)."""
        counts = Counter(i for t in terms(text) if (i := self._ids.get(t)) is not None)
        if not counts:
            return -np.inf
        ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
        x = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * self.idf[ids]
        return float(x @ self.coef[ids] / np.linalg.norm(x) + self.bias)

    def flags(self, text: str) -> bool:
        """Whether the question's words, as typed, are on the crisis side of the cut."""
        return self.logit(text) > self.cut

    def save(self, folder: Path) -> str:
        """Write the weights into ``folder``; their sha256, for the check's record."""
        path = folder / WORDS_FILE
        text = np.frombuffer("\n".join(self.vocabulary).encode("utf-8"), dtype=np.uint8)  # a tenth of "<U38"
        write_npz(path, vocabulary=text, idf=self.idf.astype(np.float32), coef=self.coef.astype(np.float32),
                  bias=np.float32(self.bias))
        return sha256_file(path)

    @classmethod
    def load(cls, folder: Path, recorded: object, record: Path, fix: str, error: type[ValueError]) -> CrisisWords:
        """The weights ``recorded`` in the check's ``record`` (``{"sha256": ..., "cut": ...}``);
        raises ``error`` naming the file for weights missing, edited, cut off or not finite."""
        path = folder / WORDS_FILE
        if not (isinstance(recorded, dict) and isinstance(recorded.get("sha256"), str)
                and finite_number(recorded.get("cut"))):
            raise error(f"{record}: holds no sha256 and cut for {WORDS_FILE} under 'words'; {fix}")
        if not path.is_file():
            raise error(f"{path}: missing beside its record {record.name}; {fix}")
        if (sha256 := sha256_file(path)) != recorded["sha256"]:
            raise error(f"{path}: its sha256 is not the one {record.name} holds (edited or cut off); {fix}")
        try:
            with np.load(path, allow_pickle=False) as z:
                vocabulary = tuple(z["vocabulary"].tobytes().decode("utf-8").split("\n"))
                words = cls(vocabulary, z["idf"].astype(np.float64),
                            z["coef"].astype(np.float64), float(z["bias"]), float(recorded["cut"]), sha256)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
            raise error(f"{path}: not the crisis check's word weights ({exc}); {fix}") from None
        n = len(words.vocabulary)
        if words.idf.shape != (n,) or words.coef.shape != (n,):
            raise error(f"{path}: {n} terms with {words.idf.shape} idf and {words.coef.shape} weights; {fix}")
        if not (np.isfinite(words.idf).all() and np.isfinite(words.coef).all() and np.isfinite(words.bias)):
            raise error(f"{path}: weights that are not finite numbers; {fix}")
        return words
