"""Questions that ask for a figure, and the figures that answer them.

A PDQ summary rarely gives a survival rate, a dose, a price or a normal range, so a
question asking for one is answered only by a passage that has one: abstention counts a
missing figure as one thing the passages miss (`retriever.abstain`). Each pattern was
checked on the training summaries' lay questions, which their own sections answer: a
question the ask pattern catches but whose section has no figure of that kind is one that
the rule would refuse (docs/abstention.md, "Which figure questions abstention refuses").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from retriever.dose_typed import reads_does

_I = re.IGNORECASE

# A survival *figure* ("survival rate", "5-year survival", "median survival"), not
# "survival factors" or a bare "psk gastric cancer survival", which a prognosis passage
# answers; nor "how common", answered by "rare" or "the most common". The training
# summaries' lay questions (all answerable) that a looser pattern caught: 66, 60 of them
# without a rate in their section; this one catches 8, 3 without.
_RATE = re.compile(
    r"survival[\s-]*(rates?|odds|stats?|statistics|numbers|percentages?|probabilit(y|ies)|%)|"
    r"probability of surviv|odds of survival|"
    r"\b(\d+|one|two|three|four|five|ten)\s*[-\u2010\u2011\u2013]?\s*(years?|yrs?)\s+(\w+\s+)?survival|"
    r"\b(median|average) survival|life expectancy|what (percent|percentage)|percent(age)? of|"
    r"how many people|how many\b(?!\s+(days|weeks|months|years)\b).*\b(alive|live|survive|die)\b", _I)

# "high-dose chemotherapy", "low-dose CT" name a treatment or a test, and "lower doses of
# lymphoma drugs", "full-dose chemo", "such a tiny dose" talk about a dose (13 of the
# training summaries' 23 answerable dose questions): a dose asked for is not said to be
# any of these, unless the question asks how much ("what is the full dose of ...", but
# not "what is a low dose CT").
# "doses it hurt": "does" typed otherwise, no dose ("dose" itself is read by `reads_does`).
_DOSE = re.compile(r"\b(dose|(doses|dosage|milligrams?|mg)(?!\s+(it|he|she)\b))\b", _I)
# The qualifier may stand up to two words before the dose ("lower my chemo dose").
_SAID_OF_DOSE = re.compile(
    r"\b(high|higher|low|lower|full|tiny|small|smaller|extra|test|reduced|big|large|single|divided|split|"
    r"miss|missed|misses)[\s\-\u2010\u2011\u2013]+((?!(of|a|an)\b)\w+[\s-]+){0,2}$", _I)
_WHICH_DOSE = re.compile(r"\b(what|which|how much)(\s+of|\s+(is|are|was)|'s)?\s+(the|a|an|your|my)\s+(\w+\s+)?$", _I)

_OF_OR_FOR = re.compile(r"\s*(of|for)\b", _I)
# An amount to take asked without the word "dose" ("how much octreotide should he take",
# "how much of it do I take", "how much to take", "how much is he supposed to take"). Of
# the training and evaluation files' 34,000 questions it catches three: one out of scope
# (vitamin D) and two whose section gives no amount ("How much curcumin should I take":
# its products vary), as "what dose of curcumin" is refused. How much of a body part
# surgery takes ("how much of my colon will he take"), time, rest or leave taken, blood or
# tissue taken, and time taken off are no dose (a review's examples).
_NO_MEDICINE = r"time|longer|rest|break|leave|sleep|exercise|weight|blood|tissue|money"
_AUXILIARY = r"should|do|does|can|must|will|would|is|are|am|to"
_HOW_MUCH_TAKE = re.compile(
    rf"\bhow much\b(?!(\s+\w+){{0,2}}?\s+({_NO_MEDICINE})\b)"
    r"(?!(\s+\w+){0,3}?\s+of\s+(my|his|her|the|your|their|our|a|an)\b)"
    rf"(\s+(?!({_AUXILIARY})\b)\w+){{0,3}}\s+"
    r"((should|do|does|can|must|will|would)\s+(i|he|she|you|we|they|(my|his|her|our|your|the|a|an)\s+\w+)"
    r"(\s+\w+){0,2}?|to|(is|are|am)\s+\w+\s+supposed\s+to)"
    r"\s+(take|taking|be given)\b(?!\s+(off|out|away|up)\b)", _I)


def _asks_dose(question: str) -> bool:
    if _HOW_MUCH_TAKE.search(question):
        return True
    for m in _DOSE.finditer(question):
        if m.group().lower() == "dose" and reads_does(question, *m.span()):  # "does" mistyped
            continue
        before = question[:m.start()]
        said = _SAID_OF_DOSE.search(before)
        asks_how_much = _WHICH_DOSE.search(before[:said.start()]) if said else None
        if not said or (asks_how_much and _OF_OR_FOR.match(question, m.end())):
            return True
    return False


# Numbers that answer "how long" and "how often" alike ("every 4 weeks", "for 6 months").
_TIME = (r"\d\s*-?\s*(minutes?|hours?|days?|weeks?|months?|years?)\b|"
         r"\b(once|twice|every) (a|each|\d+)? ?(day|week|month|year)|"
         r"\b(a few|several|a couple of) (hours|days|weeks|months|years)\b")
# A time or length: a length of something ("the anal canal ... is about 1 to 1½ inches
# long"; a tumour's size, "larger than 2 centimeters", is not one), or a time said without
# a number ("given for as long as the tumor does not grow", "lifelong follow-up").
_DURATION = re.compile(
    _TIME + r"|\d[½¼¾]?\s*(inch(es)?|feet|foot|cm|centimeters?|mm|millimeters?) long\b|"
    r"\bfor as long as\b|\bfor the rest of (his|her|their|your|my) li(fe|ves)\b|"
    r"\blifelong (follow|check|monitor|care|treatment|therapy|screening)", _I)
# How often, said without a number ("check-ups frequently during the first year",
# "reviewed regularly"); "daily" in "activities of daily living" is no frequency.
_FREQUENCY = re.compile(
    _TIME + r"|(?<!not )\bregularly\b|\b(frequently|weekly|monthly|yearly|annually)\b|"
    r"(?<!of )\bdaily\b(?!\s+(li(fe|ves|ving)|activit|routine|tasks|needs|doses?))", _I)

# (kind, asks, answered): a passage with "24-hour" does not give a normal range, nor one
# with "2 cm" a survival rate.
_FIGURES = [
    ("a rate", _RATE.search, re.compile(r"\d\s*(%|percent)|\d+ (in|out of) \d+", _I)),
    ("a dose", _asks_dose, re.compile(r"\d\s*(mg|milligrams?|micrograms?|mcg|units?)\b", _I)),
    ("a price", re.compile(r"\b(costs?|price|prices|priced)\b", _I).search, re.compile(r"\$\s*\d|\d\s*dollars", _I)),
    # "normal chromogranin A range": up to three words may name what is measured
    ("a normal range", re.compile(r"\bnormal\s+(?:[\w-]+\s+){0,3}(range|level|value)s?\b|"
                                  r"\b(level|value|range) should\b", _I).search,
     re.compile(r"\d\s*(mg|ng|nmol|pmol|mcg|µg|units?|u)\s*/\s*(dl|ml|l)\b", _I)),
    ("a time or length", re.compile(r"how long|how many (days|weeks|months|years)|how soon", _I).search, _DURATION),
    ("a frequency", re.compile(r"how often|how many times|how frequently", _I).search, _FREQUENCY),
]
# What each asks for, in order (`python -m eval.bench topics` counts by kind).
FIGURE_KINDS = tuple(kind for kind, _, _ in _FIGURES)


def figures_asked(question: str) -> list[int]:
    """Which kinds of figure the question wants (indexes into `FIGURE_KINDS`)."""
    return [i for i, (_, asks, _) in enumerate(_FIGURES) if asks(question)]


def figure_missing(kinds: list[int], texts: Iterable[str]) -> bool:
    """Whether some figure the question wants stands in none of ``texts``."""
    texts = list(texts)
    return any(not any(_FIGURES[k][2].search(t) for t in texts) for k in kinds)
