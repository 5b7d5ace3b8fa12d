"""Questions that ask for a figure, and the figures that answer them.

A PDQ summary rarely gives a survival rate, a dose, a price or a normal range, so a
question asking for one is answered only by a passage that has one: abstention counts a
missing figure as one thing the passages miss (`retriever.abstain`). Each pattern was
checked on the training summaries' lay questions, which their own sections answer: a
question the ask pattern catches but whose section has no figure of that kind is one that
the rule would refuse (README, "Which topic words earn their place").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Questions asking for a figure, each with the kind of figure that answers it: a passage
# with "24-hour" does not give a normal range, nor one with "2 cm" a survival rate.
_FIGURES = [
    # A survival *figure* ("survival rate", "5-year survival"), not "survival factors" or a
    # bare "psk gastric cancer survival", which a prognosis passage answers; nor "how
    # common", answered by "rare" or "the most common". The training summaries' lay
    # questions (all answerable) that a looser pattern caught: 66, 60 of them without a
    # rate in their section; this one catches 8, 3 without.
    (r"survival (rates?|odds|statistics|numbers|percentages?)|\b(\d+|five|ten)[- ]years? survival|"
     r"life expectancy|what (percent|percentage)|percent(age)? of|"
     r"how many people|how many\b.*\b(alive|live|survive|die)\b",
     r"\d\s*(%|percent)|\d+ (in|out of) \d+"),
    # "high-dose chemotherapy", "low-dose CT" name a treatment or a test, not a dose asked
    # for: 50 of the 80 training questions that asked a dose said one of them.
    # "what dose it mean" is "does" mistyped: no dose is followed by "it", "he" or "she",
    # nor by "this mean" ("what dose i should take", "doses this drug comes in" still ask).
    # Nor does a dose said to be lower, full, tiny or extra ("lower doses of lymphoma drugs":
    # 5 of the training summaries' 23 answerable dose questions).
    (r"(?<!high )(?<!high-)(?<!low )(?<!low-)(?<!lower )(?<!higher )(?<!full )(?<!full-)(?<!tiny )"
     r"(?<!small )(?<!smaller )(?<!extra )(?<!test )(?<!reduced )\b(doses?|dosage|milligrams?|mg)\b"
     r"(?!\s+(it|he|she)\b|\s+(this|that)\s+mean)",
     r"\d\s*(mg|milligrams?|micrograms?|mcg|units?)\b"),
    (r"\b(costs?|price|prices|priced)\b", r"\$\s*\d|\d\s*dollars"),
    (r"normal (range|level|value)s?|\b(level|value|range) should\b",
     r"\d\s*(mg|ng|nmol|pmol|mcg|µg|units?|u)\s*/\s*(dl|ml|l)\b"),
    # "How long" asks a length as well as a time ("the anal canal ... is about 1 to 1½ inches
    # long"; a tumour's size, "larger than 2 centimeters", is not one), and a time may be
    # worded ("left in place for a few days").
    (r"how long|how many (days|weeks|months|years|times)|how soon|how often",
     r"\d\s*-?\s*(hours?|days?|weeks?|months?|years?)\b|"
     r"\d[½¼¾]?\s*(inch(es)?|feet|foot|cm|centimeters?|mm|millimeters?) long\b|"
     r"\b(once|twice|every) (a|each|\d+)? ?(day|week|month|year)|"
     r"\b(a few|several|a couple of) (hours|days|weeks|months|years)\b|"
     # ... or said without a number: "given for as long as the tumor does not grow",
     # "check-ups frequently during the first year", "reviewed regularly", "lifelong"
     # (5 of the training summaries' 23 answerable time questions whose section has no number).
     r"\bfor as long as\b|\b(regularly|frequently|lifelong|yearly|annually|monthly|weekly|daily)\b|"
     r"\bfor the rest of (his|her|their|your|my) li(fe|ves)\b"),
]
_FIGURES = [(re.compile(ask, re.IGNORECASE), re.compile(answer, re.IGNORECASE)) for ask, answer in _FIGURES]
# What each of them asks for, in `_FIGURES`' order (`python -m eval.bench topics` counts by kind).
FIGURE_KINDS = ("a rate", "a dose", "a price", "a normal range", "a time or length")


def figures_asked(question: str) -> list[int]:
    """Which kinds of figure the question wants: a rate, a dose, a price, a range, a time."""
    return [i for i, (ask, _) in enumerate(_FIGURES) if ask.search(question)]


def figure_missing(kinds: list[int], texts: Iterable[str]) -> bool:
    """Whether some figure the question wants stands in none of ``texts``."""
    texts = list(texts)
    return any(not any(_FIGURES[k][1].search(t) for t in texts) for k in kinds)
