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


def _ranges(sentence: str) -> list[tuple[float, float]]:
    """The size ranges ``sentence`` states, in centimeters (both ends included)."""
    out = []
    for pattern, stated in _RANGES:
        for m in pattern.finditer(sentence):
            groups = m.groups()
            unit = groups[-1]
            out.append(stated(_cm(groups[0], unit), _cm(groups[1], unit) if len(groups) == 3 else 0.0))
    return out


def _holds(sentence: str, size: float) -> bool:
    return any(low <= size <= high for low, high in _ranges(sentence))


def by_size(spans, scores: np.ndarray, text: str, size: float | None) -> np.ndarray:
    """``scores`` of the sentences ``spans`` of ``text``, with the one sentence whose stated
    size range holds ``size`` (the question's, `size_asked`; None: no size) raised above the
    rest, if exactly one does, and the sentences stating other ranges lowered below any highlight."""
    if size is None or len(spans) < 2:
        return scores
    stated = {j: ranges for j, (start, end) in enumerate(spans) if (ranges := _ranges(text[start:end]))}
    holding = [j for j, ranges in stated.items() if any(low <= size <= high for low, high in ranges)]
    if len(holding) != 1:
        return scores
    raised = np.array(scores, dtype=float, copy=True)
    raised[holding[0]] = float(raised.max()) + 0.01
    for j in stated.keys() - set(holding):  # "larger than 2 centimeters" is no answer for 5 mm
        raised[j] = -1.0
    return raised
