"""Whether a question is about an animal's health, read from its own embedding.

The PDQ summaries are about cancer in people. A new user's trial typed "how do i treat my
dogs cancer" and "my dog has a tumor in his stomach what treatment" and was answered with
passages on treating people: the question is about cancer (the domain check lets it
through) and its words are the summaries' words (the passages' words agree), so only what
it is about, an animal, says that no passage answers it. This check is the domain check's
form (`retriever.domain`: one hidden layer over the vector the search already has), fitted
by ``python -m training animals`` on synthetic lines written to a committed brief
(training/questions/ANIMALS_BRIEF.md): questions about pets', farm and wild animals'
health against people's questions that name an animal ("can i keep my cat during chemo",
"pet scan", "shark cartilage") and the training summaries' lay questions. Its cut flags
`FLAGGED_SHARE` of the validation summaries' lay questions.

A question it flags is refused whatever the passages say (`abstain.ANIMAL`), and the page
says the summaries are about people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retriever.domain import DomainCheck

# The share of the validation summaries' lay questions the cut flags: each one flagged is a
# person's question refused, so fewer than the crisis check's (0.002), which only adds help.
FLAGGED_SHARE = 0.001


class AnimalError(ValueError):
    """An animal-check file that cannot be used, naming the file and the fix."""


@dataclass(frozen=True, eq=False)
class AnimalCheck(DomainCheck):
    """The domain check's form, read from the model's ``animals/`` folder."""

    FOLDER = "animals"
    WEIGHTS_FILE = "animals.npz"
    RECORD_FILE = "animals.json"
    REBUILD = "python -m training animals --force"
    WHAT = "animal check"
    SWITCH = "PDQ_ANIMAL_CHECK"
    ERROR = AnimalError

    def about_animal(self, vector: np.ndarray | None) -> bool:
        """Whether the question the vector embeds is about an animal's health."""
        return self.flags(vector)
