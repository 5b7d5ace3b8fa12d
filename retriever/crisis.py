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
help").

It decides nothing about the passages: the search and its abstention run as for any
question, and the page shows crisis help first (`service.pages`).
"""

from __future__ import annotations

from dataclasses import dataclass

from retriever.domain import DomainCheck


class CrisisError(ValueError):
    """A crisis-check file that cannot be used, naming the file and the fix."""


@dataclass(frozen=True, eq=False)
class CrisisCheck(DomainCheck):
    """The domain check's form, read from the model's ``crisis/`` folder."""

    FOLDER = "crisis"
    WEIGHTS_FILE = "crisis.npz"
    RECORD_FILE = "crisis.json"
    REBUILD = "python -m training crisis --force"
    WHAT = "crisis check"
    SWITCH = "PDQ_CRISIS_CHECK"
    ERROR = CrisisError
