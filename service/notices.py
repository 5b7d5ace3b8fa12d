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

from retriever.audience import audience
from retriever.text import strip_accents

# A passage's line naming a childhood summary: PDQ's adult summaries end their first
# section with "See the following ...: - Childhood Gastrointestinal Neuroendocrine Tumors Treatment".
_CHILDHOOD_TITLE = re.compile(r"^(?:- )?(Childhood [^\n]{3,120}?)\s*$", re.MULTILINE)
# A phone number: ten digits or more, with the separators people write.
_PHONE = re.compile(r"\+?\d[\d ().-]{8,}\d")
_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


@dataclass(frozen=True)
class ChildhoodTwin:
    """The childhood summary the searched summaries point to, and where they do."""

    title: str
    link: str  # the passage naming it, on the source page: its link to the summary is there


def childhood_twin(retriever, query: str) -> ChildhoodTwin | None:
    """For a question about a child asked of summaries with no childhood one among them:
    the childhood summary a passage of theirs names (the adults' summary's pointer), or None.
    Nothing is said when the index holds childhood summaries (the ranker prefers them) or
    its summaries name none."""
    if retriever.childhood.any() or audience(query) != "child":
        return None
    for chunk in retriever.chunks:
        found = _CHILDHOOD_TITLE.search(chunk.text)
        if found:
            return ChildhoodTwin(found.group(1), retriever.links[chunk.id])
    return None


def phone_link(contact: str) -> str:
    """A ``tel:`` link to the last phone number in ``contact`` ("1-800-4-CANCER
    (1-800-422-6237)" -> "tel:18004226237"), or "" when it holds none."""
    numbers = _PHONE.findall(contact)
    if not numbers:
        return ""
    number = numbers[-1]
    digits = re.sub(r"\D", "", number)
    return f"tel:{'+' if number.startswith('+') else ''}{digits}" if len(digits) >= 10 else ""


def as_typed(query: str, words: list[str]) -> list[str]:
    """``words`` (lower case, accents dropped, as the search reads them) written as the
    question writes them: "PRRT", not "prrt". A word the question does not hold as such
    (a corrected one) stays as it is."""
    typed = {}
    for token in _TOKEN.findall(query):
        typed.setdefault(strip_accents(token.casefold()), token)
    return [typed.get(w, w) for w in words]
