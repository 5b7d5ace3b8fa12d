"""Adult or childhood: which of PDQ's parallel summaries a question is about.

PDQ keeps separate summaries for many cancers in children ("Childhood Hodgkin Lymphoma
Treatment") and in adults ("Hodgkin Lymphoma Treatment"). The two share most of their
words, and the childhood titles are shorter, so keyword and title matching lean towards
them. A question that names no child is almost always about an adult, so its passages from
childhood summaries are ranked lower; a question that does name one ("my son", "teen",
"our 6-year-old") is left alone. The learned ranker also reads whether a question names an
adult ("my husband", "I'm 54"). One that names adults as such ("Adult Hodgkin Lymphoma",
"ALL in adults": `names_adults`) gets the adult summaries' passages before any childhood
one, whatever the ranker says: it had put the childhood summary first for 4 of MedQuAD's
"Adult ..." questions. Not for every question whose `audience` is adult: parents and
survivors who give ages ("I'm 38 and my toddler has ALL", "I had Hodgkin at 14") are read
as adults, and 8 of 48 such questions lost their childhood summary.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from retriever.tokenization import words

_CHILD_WORDS = frozenset("""
    child children childhood childs kid kids son sons daughter daughters baby babies infant
    infants toddler toddlers newborn teen teens teenager teenagers adolescent adolescents
    pediatric paediatric boy boys girl girls youth grandson granddaughter
""".split())
# PDQ's childhood summaries cover adolescents and young adults too.
_YOUNG_ADULT = re.compile(r"\byoung adults?\b", re.IGNORECASE)
# Who the asker names when the patient is grown up: "my husband", "my mom", "in adults"
# ("adult-type fibrosarcoma" is a kind of tumour; MEN is multiple endocrine neoplasia).
_ADULT_WORDS = re.compile(
    r"\b(adults?(?![- ]type)|grown-?ups?|husbands?|wifes?|wives|spouses?|moms?|mums?|mothers?|"
    r"dads?|fathers?|grandma|grandmother|grandpa|grandfather|grandparents?|aunt|uncle|elderly|"
    r"boyfriend|girlfriend|fianc[eé]e?|partner|(wo)?man|women|retired|menopause)\b"
    r"|\bmen\b(?!\s*(syndromes?|type|\d))",
    re.IGNORECASE,
)
_ADULTS = re.compile(r"\badults?\b(?![- ]type)", re.IGNORECASE)
_ADULT_CHILD = re.compile(r"\b(adult|grown(-up)?)\s+(son|daughter|child|children|kids?)\b", re.IGNORECASE)
# The patient is pregnant now ("I'm 7 months pregnant", "my wife is pregnant"), whatever
# is said of the baby; "x-rays while pregnant" says nothing of the patient.
_PREGNANT = re.compile(r"\b(i'?m|i am|she'?s|she is|(wife|partner|girlfriend|sister|daughter)"
                       r"(\s+is)?)\s+(\d+\s*(weeks?|months?)\s+)?pregnant\b", re.IGNORECASE)
# A childhood cancer survivor asking as a grown-up: the childhood summaries (late effects)
# answer them, as before ages were read.
_SURVIVOR = re.compile(r"\bas an? (kid|child|teen|teenager|baby|toddler)\b|\bchildhood cancer\b|"
                       r"\bwhen (i|he|she) was (a kid|a child|little|young|a baby|a teen(ager)?)\b",
                       re.IGNORECASE)
# What may follow a number that is no age: "3 cm", "10 mg", "3 weeks", "5 foot", "4 rounds".
_NOT_AN_AGE = (r"(?![.,'’]?\d)(?!\s*(?:-|cm|mm|inch|inches|in\b|weeks?|days?|months?|years?|hours?|"
               r"%|percent|times|mg|g\b|kg|lbs?|pounds?|gy|ft|feet|foot|cycles?|rounds?|sessions?|"
               r"o'?clock|am\b|pm\b|sites?|tumou?rs?|spots?|nodes?|x\b))")
_PERSON = (r"brother|sister|son|daughter|husband|wife|mom|mother|dad|father|boyfriend|girlfriend|"
           r"partner|friend|kid|child|boy|girl|baby")
# An age: "my 6-year-old", "9 months old", "45 yo", "he's 12", "I'm now 54", "aged 70",
# "my son is 35", "my brother, 47", "diagnosed at 12", "in my 40s".
_AGE = re.compile(
    r"\b(\d{1,2})\s*-?\s*(?:(?:years?|yrs?|months?)\s*-?\s*old|y/?o)\b"
    r"|\b(?:i'?m|i am|he'?s|she'?s|he is|she is|aged?|at age|diagnosed at|when (?:i|he|she) was)\s+(?:now\s+)?"
    r"(\d{1,2})\b" + _NOT_AN_AGE +
    r"|\b(?:" + _PERSON + r")(?:'s)?(?:\s*[,(]|\s+(?:is|was|turned|who is))\s*(\d{1,2})\b" + _NOT_AN_AGE +
    r"|\bin (?:my|his|her|their) (\d)0'?s\b",
    re.IGNORECASE,
)
ADULT_AGE = 18
_KIN = r"(?:kids?|children|sons?|daughters?|grandkids|grandchildren|grandsons?|granddaughters?)"
# Children named as the ones who may inherit it or be born, not as the patient: "will my daughter
# get it", "can our children get this too", "should my kids be tested", "can I still have kids"
# (a trial's heredity and fertility questions got the childhood summary's note); "her having
# kids" after a child's treatment is a child's late effect, and "did we pass it to our son" asks
# about a child who has it: both stay a child's.
# At risk of getting it, not of what a child's treatment may bring ("at risk of relapse").
_AT_RISK = r"at\s+risk\b(?!\s+(?:of|for)\s+(?!(?:getting\s+)?(?:it|this|that|cancer|the\s+same)\b))"
_KIN_AT_RISK = re.compile(
    r"\b(?:will|would|can|could|might|may|should)\s+(?:my|our|his|her|their|the)\s+" + _KIN
    + r"\s+(?:also\s+|too\s+|ever\s+)?(?:inherit|be\s+" + _AT_RISK + r"|be\s+(?:tested|checked|screened)\b(?!\s+again)"
    r"|(?:get|catch|develop|have)\s+(?:it|this|that|cancer|the\s+same|th(?:e|is|at)\s+(?:cancer|disease|tumou?r|syndrome))"
    r"\b(?!\s+(?:again|back|removed|out|treated|checked)))"
    r"|\b(?:is|are)\s+(?:my|our|his|her|their|the)\s+" + _KIN + r"\s+(?:also\s+)?" + _AT_RISK
    + r"|\b(?:can|could|will|would|might|may|do|does|is)\s+(?:\w+\s+){0,3}?pass(?:ed|es|ing)?\b[^.?!]{0,20}?\bto\s+"
    r"(?:my|our|his|her|their|the)\s+" + _KIN + r"\b"
    r"|\b(?:i|i'?m|we)\s+(?:\w+\s+){0,2}?(?:have|having)\s+(?:more\s+|any\s+|a\s+)?(?:kids|children|babies|baby)\b",
    re.IGNORECASE,
)


def _ages(question: str) -> list[int]:
    """Every age the question gives, in years (0 for one given in months)."""
    if not any(ch.isdigit() for ch in question):
        return []  # most questions: the age pattern is the slowest of these checks
    out = []
    for m in _AGE.finditer(question):
        months = "month" in m.group(0).lower()
        out.append(0 if months else int(next(g for g in m.groups() if g)) * (10 if m.group(4) else 1))
    return out


def audience(question: str) -> str | None:
    """Whom the question is about: ``"child"``, ``"adult"`` or None when it doesn't say.

    In order: a childhood cancer survivor ("as a kid", "childhood cancer") is a child's
    case, a pregnant patient an adult; then ages decide, a child's over a parent's ("I'm 40
    and my 6-year-old..."); then words, a child's over a grown-up's ("my husband and I
    worry about our son"), but "my adult son" is an adult. A brother or sister without an
    age says nothing, nor do children who may inherit it or be born (`_KIN_AT_RISK`).
    """
    question = _KIN_AT_RISK.sub(" ", question)  # whoever the patient is, it is not them
    if _SURVIVOR.search(question):
        return "child"
    if "pregnan" in question.lower() and _PREGNANT.search(question):
        return "adult"
    ages = _ages(question)
    if ages:
        return "child" if min(ages) < ADULT_AGE else "adult"
    if _ADULT_CHILD.search(question):
        return "adult"
    if not _CHILD_WORDS.isdisjoint(words(question)) or _YOUNG_ADULT.search(question):
        return "child"
    return "adult" if _ADULT_WORDS.search(question) else None


def names_adults(question: str) -> bool:
    """Whether the question names adults as such ("Adult Hodgkin Lymphoma", "ALL in adults"),
    which is how PDQ names its adult summaries; "young adults", "adult-type" and "my adult son"
    do not. Parents and survivors who give ages ("I'm 38 and my toddler...", "I had Hodgkin at
    14") name no adults this way."""
    return bool(_ADULTS.search(question)) and not _ADULT_CHILD.search(question) and not _YOUNG_ADULT.search(question)


def _slug(url: str) -> str:
    """The last part of a url's path ("child-all-treatment-pdq")."""
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


def is_childhood(title: str, url: str) -> bool:
    """Whether a document is the childhood summary, by its title or its url's last part."""
    return bool(re.search(r"\bchild(hood|ren)?\b", title, re.IGNORECASE)) or _slug(url).startswith("child-")


def url_type_words(url: str) -> str:
    """The words of the cancer type a PDQ url files its page under ("/types/lymphoma/patient/
    mycosis-fungoides-treatment-pdq" -> "lymphoma"), or "" for a page under no type."""
    parts = urlparse(url).path.strip("/").split("/")
    return re.sub(r"[-_]+", " ", parts[1]) if len(parts) > 2 and parts[0] == "types" else ""


def url_words(url: str) -> str:
    """The words of a url's last part ("adult-all-treatment-pdq" -> "adult all treatment pdq").

    PDQ titles leave out "Adult" where the url keeps it, so title matching gets both.
    """
    return re.sub(r"[-_]+", " ", _slug(url))
