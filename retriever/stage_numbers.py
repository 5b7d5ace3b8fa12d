"""Stage numbers as the summaries write them: "stage 4" is "stage IV".

Patients type a stage in digits ("stage 3 colon cancer", "stage 2b"), the summaries write it
in Roman numerals ("Treatment of Stage III Colon Cancer", "stage IIB"): of the corpus's stage
numbers, about 1,960 are Roman and 40 are digits, those 40 mostly in the stage lists'
"(also called stage 4)". Some type the word ("stage four"). To BM25, "4" and "iv" are
different words, and the dense model places "stage 4" only roughly near "stage IV".
Written as the summaries write them, both read the question as the summaries read. Stage 0
stays 0 (the summaries write "stage 0"), and so does a number past 4, which no summary's
stages reach.
"""

from __future__ import annotations

import re

ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "one": "I", "two": "II", "three": "III", "four": "IV"}

# One stage number: a digit and an optional sub-stage letter and digit ("3c1"), or a word.
_NUMBER = r"(?:[0-4](?:[a-cA-C][12]?)?|one|two|three|four)"
# "stage 4", "stages 2 and 3", "stage 2 or 3", "stage 3-4", "stages 1, 2, 3".
_STAGES = re.compile(rf"\b(stages?)(\s+)({_NUMBER}(?:\s*(?:,|/|-|&|\band\b|\bor\b|\bto\b)\s*{_NUMBER})*)\b",
                     re.IGNORECASE)
_ONE = re.compile(rf"\b{_NUMBER}\b", re.IGNORECASE)


def _roman(number: re.Match) -> str:
    typed = number.group(0)
    if typed.lower() in ROMAN:
        return ROMAN[typed.lower()]
    return ROMAN.get(typed[0], typed[0]) + typed[1:].upper()


def roman_stages(text: str) -> str:
    """``text`` with each stage number after "stage" or "stages" in Roman numerals, as the
    summaries write them ("stage 3b or 4" -> "stage IIIB or IV")."""
    return _STAGES.sub(lambda m: m.group(1) + m.group(2) + _ONE.sub(_roman, m.group(3)), text)
