"""A tumour's size given in the question, and the sentence whose size range holds it.

The summaries choose treatment by size ("smaller than 1 centimeter", "1 to 2 centimeters",
"larger than 2 centimeters" in the seed's rectum passage), and a patient often knows the
size: "rectal carcinoid 5 mm". The embedding reads numbers loosely, so the sentence it
highlighted for all five rectal sizes a trial asked (5 mm to 3 cm) was the "larger than 2
centimeters" one. When exactly one sentence of a shown passage states a range that holds
the size asked, that sentence is highlighted first (`highlight.pick_highlights`); the
ranking is unchanged.
"""

from __future__ import annotations

import math
import re

import numpy as np

_NUMBER = r"(\d+(?:[.,]\d+)?)"  # "1,5 cm" as a European writes 1.5
_UNIT = r"(mm|cm|millimet(?:er|re)s?|centimet(?:er|re)s?|inch(?:es)?)\b"
_CM = {"mm": 0.1, "mi": 0.1, "cm": 1.0, "ce": 1.0, "in": 2.54}  # by the unit's first two letters
_SMALLER = r"(?:smaller|less|under|below)"
_LARGER = r"(?:larger|bigger|greater|more|over|above)"
# A size asked, with the bound it may carry before ("under", "at least", "<", ">=") or after
# ("or larger", "+"): a bound reads the size just inside its side.
_ASKED = re.compile(rf"(?:\b({_SMALLER}|{_LARGER}|at least|at most)(?:\s+than)?\s+|([<>≤≥]=?)\s*)?{_NUMBER}\s*-?\s*"
                    rf"{_UNIT}(?:\s*(\+|or (?:{_SMALLER}|{_LARGER}|bigger)))?", re.IGNORECASE)
_EDGE = 1e-6  # "smaller than 1" leaves 1 itself to "1 to 2"
# A span asked ("1-2 cm", "between 1 and 2 cm"); "1 and 2 cm" alone may be two tumours.
_SPAN = re.compile(rf"\b(?:{_NUMBER}\s*(?:to|-|–)|between\s+{_NUMBER}\s*and)\s*{_NUMBER}\s*{_UNIT}", re.IGNORECASE)
_TWO = re.compile(rf"(?<!between )\b\d+(?:[.,]\d+)?(?:\s*and\s*|,\s+){_NUMBER}\s*{_UNIT}", re.IGNORECASE)
# (pattern, the range a match states, in the unit's numbers)
_RANGES = (
    (re.compile(rf"(?<!not )\b{_SMALLER} than {_NUMBER}\s*{_UNIT}", re.I), lambda a, b: (0.0, a - _EDGE)),
    (re.compile(rf"(?<!not )\b{_LARGER} than {_NUMBER}\s*{_UNIT}", re.I), lambda a, b: (a + _EDGE, math.inf)),
    (re.compile(rf"\bnot {_LARGER} than {_NUMBER}\s*{_UNIT}", re.I), lambda a, b: (0.0, a)),
    (re.compile(rf"\bnot {_SMALLER} than {_NUMBER}\s*{_UNIT}", re.I), lambda a, b: (a, math.inf)),
    (re.compile(rf"\b{_NUMBER}\s*{_UNIT} or (?:smaller|less)\b", re.I), lambda a, b: (0.0, a)),
    (re.compile(rf"\b{_NUMBER}\s*{_UNIT} or (?:larger|bigger|more)\b", re.I), lambda a, b: (a, math.inf)),
    (re.compile(rf"\b{_NUMBER}\s*(?:to|-|–|and)\s*{_NUMBER}\s*{_UNIT}", re.I), lambda a, b: (a, b)),
)


def _cm(number: str, unit: str) -> float:
    return float(number.replace(",", ".")) * _CM[unit.lower()[:2]]


def size_asked(question: str) -> float | None:
    """The one size the question gives, in centimeters ("under 1 cm" just under 1); None
    when it gives none or several."""
    if len(spans := _SPAN.findall(question)) == 1:  # "1-2 cm": its middle
        low, from_between, high, unit = spans[0]
        return (_cm(low or from_between, unit) + _cm(high, unit)) / 2
    found = _ASKED.findall(question)
    if len(found) != 1 or _TWO.search(question):  # "1 and 2 cm": two tumours, or a stage and a size
        return None
    before, sign, number, unit, after = found[0]
    size = _cm(number, unit)
    bound = (before or sign or after).lower()
    if not bound:
        return size
    smaller = bound[0] in "<≤" or bool(re.search(rf"{_SMALLER}|at most", bound))
    return size * (0.99 if smaller else 1.01)


def _states_size(sentence: str) -> bool:
    return any(pattern.search(sentence) for pattern, _ in _RANGES)


def _holds(sentence: str, size: float) -> bool:
    for pattern, stated in _RANGES:
        for m in pattern.finditer(sentence):
            groups = m.groups()
            unit = groups[-1]
            low, high = stated(_cm(groups[0], unit), _cm(groups[1], unit) if len(groups) == 3 else 0.0)
            if low <= size <= high:
                return True
    return False


def by_size(spans, scores: np.ndarray, text: str, question: str) -> np.ndarray:
    """``scores`` of the sentences ``spans`` of ``text``, with the one sentence whose stated
    size range holds the question's size (if exactly one does) raised above the rest, and the
    sentences stating other ranges lowered below any highlight."""
    size = size_asked(question) if len(spans) > 1 else None
    if size is None:
        return scores
    said = {j: _holds(text[start:end], size) for j, (start, end) in enumerate(spans) if _states_size(text[start:end])}
    holding = [j for j, holds in said.items() if holds]
    if len(holding) != 1:
        return scores
    raised = np.array(scores, dtype=float, copy=True)
    raised[holding[0]] = float(raised.max()) + 0.01
    for j, holds in said.items():  # "larger than 2 centimeters" is no answer for 5 mm: not highlighted beside it
        if not holds:
            raised[j] = -1.0
    return raised
