"""What a page says beside its passages: the summary a child's question may need, a phone
number a phone can call, and the words a refusal names as the reader typed them.

Each comes from a new user's trial on a phone: a parent asked about a teenager's tumour
and was not told the summary is the adults' one, though it names its childhood twin; the
Cancer Information Service's number was plain text that broke across lines; a refusal
named "prrt" for the "PRRT" the reader typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from retriever.audience import audience
from retriever.dictionary import in_dictionary
from retriever.text import short_title, strip_accents
from retriever.tokenization import mostly_another_language

# A passage's line naming a childhood summary: PDQ's adult summaries end their first
# section with "See the following ...: - Childhood Gastrointestinal Neuroendocrine Tumors Treatment".
_CHILDHOOD_TITLE = re.compile(r"^(?:- )?(Childhood [^\n]{3,120}?)\s*$", re.MULTILINE)
# Words a summary's title and its twin's differ by without naming another subject.
_TWIN_WORDS = frozenset({"adult", "adults", "childhood", "treatment", "nci"})
# A phone number: groups of digits, each maybe in parentheses, one separator between them
# ("1-800-422-6237", "+44 20 7946 0958", "(555) 010-0199"); "(9 a.m." after it is not a group.
_GROUP = r"(?:\(\d+\)|\d+)"
_PHONE = re.compile(rf"\+?{_GROUP}(?:[-. ]?{_GROUP})*")
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


@dataclass(frozen=True)
class ChildhoodTwin:
    """The childhood version of the summary an answer comes from, and where it names it."""

    of: str  # the summary searched, short title
    title: str  # its childhood version, as it names it
    link: str  # the passage naming it, on the source page: its link to that summary is there


def childhood_twin(retriever, query: str, result, doc: str = "") -> ChildhoodTwin | None:
    """For a question about a child: the childhood version that the summary answering it
    (``doc`` when one was picked, else the first passage's) names as its twin, or None.

    A twin is a "Childhood ..." line of that summary whose other words its own title holds
    ("Childhood Gastrointestinal Neuroendocrine Tumors Treatment" of "Gastrointestinal
    Neuroendocrine Tumors Treatment"); the Wilms tumour summary's "Childhood Cancers" is no
    twin. Nothing is said for a summary that is itself a childhood one.
    """
    if audience(query) != "child" or mostly_another_language(query):  # "¿cuáles son ...?": no son
        return None
    passages = [*result.hits, *result.withheld, *result.related]
    doc = doc or (passages[0].chunk.doc_id if passages else "")
    entry = retriever.manifest.documents.get(doc)
    rows = np.flatnonzero(retriever.doc_ids == doc)
    if entry is None or not len(rows) or retriever.childhood[rows].any():
        return None
    own = _title_words(entry.title)
    for i in rows:
        for found in _CHILDHOOD_TITLE.finditer(retriever.chunks[i].text):
            named = _title_words(found.group(1))
            if named and named <= own:
                return ChildhoodTwin(short_title(entry.title), found.group(1), retriever.links[retriever.chunks[i].id])
    return None


def _title_words(title: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]+", title.lower()) if w not in _TWIN_WORDS)


def phone_link(contact: str) -> str:
    """A ``tel:`` link to the last phone number in ``contact`` ("1-800-4-CANCER
    (1-800-422-6237)" -> "tel:18004226237"), or "" when it holds none."""
    for number in reversed(_PHONE.findall(contact)):
        digits = re.sub(r"\D", "", number)
        if 10 <= len(digits) <= 15:  # E.164's most; fewer is an extension or an hour
            return f"tel:{'+' if number.startswith('+') else ''}{digits}"
    return ""


def as_typed(query: str, words: list[str]) -> list[str]:
    """``words`` (lower case, accents dropped, as the search reads them) written as the
    question writes them: "PRRT", not "prrt". A word the question does not hold as such
    (a corrected one) stays as it is."""
    typed = {}
    for token in _TOKEN.findall(query):
        typed.setdefault(strip_accents(token.casefold()), token)
    return [typed.get(w, w) for w in words]


# The longest word a refusal reads as maybe short for another: "cn" (can), "tke" (take), "abt".
SHORTHAND_LETTERS = 3


def maybe_shorthand(named: list[str]) -> list[str]:
    """The words a refusal names (as typed) that may be a typo or text shorthand: short, in
    small letters (a phone's capital first letter aside: "Cn"), and no English word. "cn u
    tke it out" was refused naming "cn" and "tke", which told the reader nothing to do;
    "psa" may be the test, so the page only says that typing such a word out may help. One
    typed in capitals ("PSA") is an acronym."""
    return [w for w in named if len(w) <= SHORTHAND_LETTERS and w.isalpha() and w[1:].islower()
            and not in_dictionary(w.lower())]


# Words that say the asker, or someone they know, may be thinking of suicide or self-harm
# ("i dont want to live anymore with this cancer", "i want to end my life"): a patient trial
# got a surgery passage for the one and "try asking in other words" for the other. The page
# then shows crisis help first (`in_crisis`). A fear of dying ("I don't want to die", "will
# he get through this") is no such wish, nor is "my back is killing me" or "lifting without
# hurting myself". Of the 48,412 committed questions (training, calibration and evaluation
# files, the dev set, MedQuAD), 27 match, every one about suicide or self-harm ("suicide
# risk factors cancer", "who do I call if I'm having thoughts of ending my life at night?").
_CRISIS = re.compile(
    r"\bsuicid(?:e|al)\b"
    r"|\bkill(?:ing)?\s+my\s*self\b"
    r"|\b(?:end|ending|take|taking)\s+(?:my\s+(?:own\s+)?)life\b"
    r"|\bend\s+it\s+all\b"
    r"|(?<!don't\s)(?<!dont\s)(?<!not\s)\b(?:i\s+(?:just\s+|really\s+)?(?:want|wanna)\s+to\s+die)\b"
    r"|\b(?:don'?t|do\s+not|no\s+longer)\s+want\s+to\s+(?:live|be\s+alive|be\s+here|go\s+on)\b"
    r"|\bno\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|going\s+on)\b"
    r"|\bbetter\s+off\s+(?:dead|without\s+me)\b"
    r"|\bharm(?:ing)?\s+my\s*self\b|\bself[-\s]?harm",
    re.IGNORECASE)


# A passage that speaks to such a question: PDQ's depression summary names the lifeline and
# the risk of suicide. Another passage (a surgery one, for "i dont want to live anymore with
# this cancer") is not shown beside crisis help.
_CRISIS_PASSAGE = re.compile(r"\bsuicid|\bself[-\s]?harm|\blifeline\b|\bcrisis\b", re.IGNORECASE)


def in_crisis(query: str) -> bool:
    """Whether the question reads as thoughts of suicide or self-harm (`_CRISIS`): the page
    then gives the crisis line (988 in the US) and emergency help first."""
    return bool(_CRISIS.search(query.replace("\u2019", "'")))


def speaks_to_crisis(text: str) -> bool:
    """Whether a passage is about suicide, self-harm or a crisis line (`_CRISIS_PASSAGE`)."""
    return bool(_CRISIS_PASSAGE.search(text))


def beside_crisis(query: str, hits: list) -> list:
    """``hits`` as a page shows them: beside crisis help (`in_crisis`), only those that speak
    to it (`speaks_to_crisis`)."""
    return [h for h in hits if speaks_to_crisis(h.chunk.text)] if in_crisis(query) else hits
