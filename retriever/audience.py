"""Adult or childhood: which of PDQ's parallel summaries a question is about.

PDQ keeps separate summaries for many cancers in children ("Childhood Hodgkin Lymphoma
Treatment") and in adults ("Hodgkin Lymphoma Treatment"). The two share most of their
words, and the childhood titles are shorter, so keyword and title matching lean towards
them. A question that names no child is almost always about an adult, so its passages from
childhood summaries are ranked lower; a question that does name one ("my son", "teen")
is left alone.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

_CHILD_WORDS = re.compile(
    r"\b(child|children|childhood|childs|kid|kids|son|sons|daughter|daughters|baby|babies|"
    r"infant|infants|toddler|toddlers|newborn|teen|teens|teenager|teenagers|adolescent|"
    r"adolescents|pediatric|paediatric|boy|boys|girl|girls|youth|grandson|granddaughter)\b",
    re.IGNORECASE,
)
# Who the asker names when the patient is grown up: "my husband", "my mom", "in adults".
_ADULT_WORDS = re.compile(
    r"\b(adult|adults|grown-?ups?|husbands?|wifes?|wives|spouses?|moms?|mums?|mothers?|dads?|"
    r"fathers?|grandma|grandmother|grandpa|grandfather|grandparents?|aunt|uncle|elderly|"
    r"boyfriend|girlfriend|fianc[eé]e?|partner|(wo)?man|men|women|retired|menopause)\b",
    re.IGNORECASE,
)
# A pregnant patient is an adult, whatever is said of the baby.
_PREGNANT = re.compile(r"\bpregnan", re.IGNORECASE)
_NOT_AN_AGE = r"(?!\s*(?:cm|mm|inch|inches|weeks?|days?|months?|years?|hours?|%|percent|times)\b)"
_PERSON = (r"brother|sister|son|daughter|husband|wife|mom|mother|dad|father|boyfriend|girlfriend|"
           r"partner|friend|kid|child|boy|girl|baby")
# An age: "my 6-year-old", "9 months old", "45 yo", "he's 12", "I'm now 54", "aged 70", "at 48",
# "my brother, 47", "in my 40s" (not "every 3 months", "at 3 cm", "I'm 2 weeks out of surgery").
_AGE = re.compile(
    r"\b(\d{1,2})\s*-?\s*(?:(?:years?|yrs?|months?)\s*-?\s*old|y/?o)\b"
    r"|\b(?:i'?m|i am|he'?s|she'?s|he is|she is|aged?|at)\s+(?:now\s+)?(\d{1,2})\b" + _NOT_AN_AGE +
    r"|\b(?:" + _PERSON + r")\s*[,(]\s*(\d{1,2})\b" + _NOT_AN_AGE +
    r"|\bin (?:my|his|her|their) (\d)0'?s\b",
    re.IGNORECASE,
)
ADULT_AGE = 18


def audience(question: str) -> str | None:
    """Whom the question is about: ``"child"``, ``"adult"`` or None when it doesn't say.

    A pregnancy or an age decides first ("my son, he's 35" is an adult; months old is a
    child); else a word for a child ("my daughter", "teen"); else one for a grown-up ("my
    husband", "adults"). A parent asking about a child names the child too, so a child's
    word wins over a parent's. A brother or sister without an age says nothing.
    """
    if _PREGNANT.search(question):
        return "adult"
    for m in _AGE.finditer(question):
        months = "month" in m.group(0).lower()
        age = int(next(g for g in m.groups() if g)) * (10 if m.group(4) else 1)
        return "child" if months or age < ADULT_AGE else "adult"
    if _CHILD_WORDS.search(question):
        return "child"
    return "adult" if _ADULT_WORDS.search(question) else None


def names_a_child(question: str) -> bool:
    return audience(question) == "child"


def _slug(url: str) -> str:
    """The last part of a url's path ("child-all-treatment-pdq")."""
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


def is_childhood(title: str, url: str) -> bool:
    """Whether a document is the childhood summary, by its title or its url's last part."""
    return bool(re.search(r"\bchild(hood|ren)?\b", title, re.IGNORECASE)) or _slug(url).startswith("child-")


def url_words(url: str) -> str:
    """The words of a url's last part ("adult-all-treatment-pdq" -> "adult all treatment pdq").

    PDQ titles leave out "Adult" where the url keeps it, so title matching gets both.
    """
    return re.sub(r"[-_]+", " ", _slug(url))
