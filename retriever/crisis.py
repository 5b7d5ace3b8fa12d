"""Whether a question reads as thoughts of suicide or self-harm, from its own embedding.

Patients and families type what they feel into the one box: "i dont want to live anymore
with this cancer" got a surgery passage, "i want to end my life" the usual "try asking in
other words". No PDQ passage answers them; people at a crisis line can. A list of phrases
tried first missed 53 of 66 ways a reviewer wrote them ("i wanna die", "my dad says he
wants to kill himself", "quiero morir", "sucide thoughts") and caught 19 of 60 questions
that only share their words ("I want to die at home, how do I set up hospice", "what is
suicide gene therapy"). This check is the domain check's form (`retriever.domain`: one
hidden layer over the question's vector, the vector the search already has) fitted by
``python -m training crisis`` on synthetic lines written to a committed brief
(training/questions/CRISIS_BRIEF.md, and CRISIS_SHORT_BRIEF.md for inputs of one to five
words): thoughts of suicide or self-harm, and questions about suicide as a subject,
against hard negatives (a fear of dying, wishes for the end of life, idioms, "suicide
gene therapy", a symptom or a day typed alone) and the training summaries' lay questions. Its
cut is picked for recall on a held-out fifth of the lines (docs/abstention.md, "Crisis
help"). Beside the vector, a second reader weighs the question's own words
(`retriever.crisis_words`): a vector made by an English model blurs "quiero morir" and "kms".

It decides nothing about the passages: the search and its abstention run as for any
question, and the page shows crisis help first (`service.pages`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from retriever.crisis_words import CrisisWords
from retriever.domain import DomainCheck
from retriever.store import check_fix


class CrisisError(ValueError):
    """A crisis-check file that cannot be used, naming the file and the fix."""


def reads_crisis(check: CrisisCheck | None, vector: np.ndarray | None, text: str) -> bool:
    """Whether ``check`` (None: off, or none shipped) reads the question as a crisis."""
    return check is not None and check.reads(vector, text)


@dataclass(frozen=True, eq=False)
class CrisisCheck(DomainCheck):
    """The domain check's form, read from the model's ``crisis/`` folder, and its words reader."""

    FOLDER = "crisis"
    WEIGHTS_FILE = "crisis.npz"
    RECORD_FILE = "crisis.json"
    REBUILD = "python -m training crisis --force"
    WHAT = "crisis check"
    SWITCH = "PDQ_CRISIS_CHECK"
    ERROR = CrisisError

    words: CrisisWords | None = None  # None: a check fitted before the words reader, the vector alone

    def reads(self, vector: np.ndarray | None, text: str) -> bool:
        """Whether the question (its vector, and its words as typed) reads as a crisis."""
        return self.flags(vector) or (self.words is not None and self.words.flags(text))

    def save(self, folder: Path, **record) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.words is not None:  # written first: the record names its hash
            record["words"] = {"sha256": self.words.save(folder), "cut": self.words.cut}
        super().save(folder, **record)

    @classmethod
    def load(cls, model_dir: str | Path, dimensions: int, model_sha256: str = "") -> CrisisCheck | None:
        """`DomainCheck.load`, with the words reader the record names (raises `CrisisError`)."""
        check = super().load(model_dir, dimensions, model_sha256)
        if check is None:
            return None
        folder = Path(model_dir) / cls.FOLDER
        record = json.loads((folder / cls.RECORD_FILE).read_text(encoding="utf-8"))  # read and checked above
        if "words" not in record:
            return check
        fix = check_fix(folder, cls.REBUILD, cls.SWITCH)
        return replace(check, words=CrisisWords.load(folder, record["words"], fix, cls.ERROR))
