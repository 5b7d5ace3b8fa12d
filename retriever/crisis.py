"""Whether a question reads as thoughts of suicide or self-harm, from its own embedding.

Patients and families type what they feel into the one box: "i dont want to live anymore
with this cancer" got a surgery passage, "i want to end my life" the usual "try asking in
other words". No PDQ passage answers them; people at a crisis line can. A list of phrases
tried first missed 53 of 66 ways a reviewer wrote them ("i wanna die", "my dad says he
wants to kill himself", "quiero morir", "sucide thoughts") and caught 19 of 60 questions
that only share their words ("I want to die at home, how do I set up hospice", "what is
suicide gene therapy"). This check is the domain check's form (`retriever.domain`: one
hidden layer over the question's vector, the vector the search already has) fitted by
``python -m training crisis`` on synthetic lines written to committed briefs
(training/questions/CRISIS_BRIEF.md; CRISIS_SHORT_BRIEF.md for inputs of one to five words,
CRISIS_LANGUAGES_BRIEF.md for Spanish and six other languages, CRISIS_CONTACTS_BRIEF.md for
asking whom to call, CRISIS_PROGNOSIS_BRIEF.md for how long someone has, CRISIS_ORDINARY_BRIEF.md
for questions about the summary itself): thoughts of suicide or
self-harm, and questions about suicide as a subject, against hard negatives (a fear of
dying, wishes for the end of life, idioms, "suicide gene therapy", a symptom or a day typed
alone, "what number do i call", "how long does he have to live") and the training summaries'
lay questions. Beside the vector, a second reader weighs the question's own words
(`retriever.crisis_words`): a vector made by an English model blurs "kms" and "burden to my
family". Either reader flags a question; their cuts are picked so that together they flag one
validation question in 500 (docs/abstention.md, "Crisis help").

It decides nothing about the passages: the search and its abstention run as for any
question, and the page shows crisis help first (`service.pages`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from retriever.crisis_words import CrisisWords
from retriever.domain import DomainCheck


class CrisisError(ValueError):
    """A crisis-check file that cannot be used, naming the file and the fix."""


def reads_crisis(check: CrisisCheck | None, vector: np.ndarray | None, words: bool) -> bool:
    """Whether ``check`` (None: off, or none shipped) reads the question as a crisis: from its
    vector, or ``words``, its words reader's flag (`CrisisCheck.reads_words`), which a search
    reads beside the encoder (`retriever.beside`)."""
    return check is not None and (words or check.flags(vector))


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

    def reads_words(self, text: str) -> bool:
        """Whether the words reader flags the question as typed (never, for a check fitted before it)."""
        return self.words is not None and self.words.flags(text)

    def save(self, folder: Path, **record) -> None:
        """The network's files, and the words reader's with its hash and cut in the record."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.words is not None:  # written first: the record names its hash
            record["words"] = {"sha256": self.words.save(folder), "cut": self.words.cut}
        super().save(folder, **record)

    @classmethod
    def completed(cls, check: CrisisCheck, folder: Path, record: dict, fix: str) -> CrisisCheck:
        """The words reader the record names, beside the network (none in a record written
        before it). The check's ``sha256`` then covers both readers' weights and cuts, so that
        /readyz tells apart two checks whose network is the same file."""
        if "words" not in record:
            return check
        words = CrisisWords.load(folder, record["words"], folder / cls.RECORD_FILE, fix, cls.ERROR)
        both = json.dumps([check.sha256, check.cut, words.sha256, words.cut]).encode()
        return replace(check, words=words, sha256=hashlib.sha256(both).hexdigest())
