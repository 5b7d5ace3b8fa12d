"""What a page says beside its passages: the summary a child's question may need, the summary
a refused question's topic has, a phone number a phone can call, and the words a refusal names
as the reader typed them.

Each comes from a new user's trial: a parent asked about a teenager's tumour and was not told
the summary is the adults' one, though it names its childhood twin; "pancreatic neuroendocrine
tumor treatment" was refused without a word of the pancreatic summary the seed points to; the
Cancer Information Service's number was plain text that broke across lines; a refusal named
"prrt" for the "PRRT" the reader typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
from breame.spelling import get_american_spelling

from retriever.abstain import ANIMAL, EVERYDAY
from retriever.audience import audience
from retriever.boilerplate import cross_references
from retriever.cancer_names import TUMOUR_WORDS
from retriever.dictionary import in_dictionary
from retriever.text import fold, sentence_spans, short_title, strip_accents
from retriever.tokenization import Vocabulary, content_words, mostly_another_language, words, zipf

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
    page: str = ""  # that summary's own address, where the index kept it (`ingest.links`)


def childhood_twin(retriever, query: str, result, doc: str = "") -> ChildhoodTwin | None:
    """For a question about a child: the childhood version that the summary answering it
    (``doc`` when one was picked, else the first passage's) names as its twin, or None.

    A twin is a "Childhood ..." line of that summary whose other words its own title holds
    ("Childhood Gastrointestinal Neuroendocrine Tumors Treatment" of "Gastrointestinal
    Neuroendocrine Tumors Treatment"); the Wilms tumour summary's "Childhood Cancers" is no
    twin. Nothing is said for a summary that is itself a childhood one, nor beside a refusal
    of a question about something other than cancer or an animal's health: "my son have flu
    and fever" was pointed to the childhood summary (a patient's trial).
    """
    if audience(query) != "child" or mostly_another_language(query):  # "¿cuáles son ...?": no son
        return None
    if _not_about_cancer(result):
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
                return ChildhoodTwin(short_title(entry.title), found.group(1), retriever.links[retriever.chunks[i].id],
                                     page_named(retriever, doc, found.group(1)))
    return None


@dataclass(frozen=True)
class OtherSummary:
    """A summary that names what a refused question asks about, as a passage of the index names it."""

    topic: str  # the missing topic its title holds, as the search read it
    title: str  # as the passage names it
    of: str  # the summary whose passage names it, short title
    link: str  # that passage, on the source page: its link to the other summary is there
    doc: str = ""  # the other summary's id where the index holds it too: the page offers to search it
    page: str = ""  # the other summary's own address, where the index kept it (`ingest.links`)


# Words of a missing topic that name no subject of their own: "lung cancer" asks about the lung.
_GENERIC = frozenset({"cancer", "cancers"}) | TUMOUR_WORDS


def other_summary(retriever, query: str, result, titles: dict[str, str]) -> OtherSummary | None:
    """For a question refused for a topic the passages never name, a summary that one of the
    passages held back names in a line of its own (`boilerplate.CROSS_REFERENCES`), with that
    topic in its title in any form: "pancreatic neuroendocrine tumor treatment" on the seed, which
    points to "Pancreatic Neuroendocrine Tumors (Islet Cell Tumors) Treatment" for it. Of several
    such lines, the one sharing most words with the question ("lung cancer screening" of "Lung
    Cancer Prevention" and "Lung Cancer Screening"). ``titles``: the index's summaries' short
    titles by id (`summaries.Catalog.titles`)."""
    ev = result.evidence
    if not result.abstained or ev is None or not ev.topics_missing:
        return None
    topics = [w for topic in ev.topics_missing for w in topic.lower().split() if w not in _GENERIC]
    asked = set(content_words(query.lower()))
    found = []
    for hit in [*result.withheld, *result.related]:
        text = hit.chunk.text
        for a, b in sentence_spans(text):
            if fold(text[a:b]) not in cross_references():  # read first: most lines name no summary
                continue
            line = Vocabulary(words(text[a:b]))
            if named := [t for t in topics if line.knows(t)]:
                found.append((-sum(map(line.knows, asked)), len(found), named[0], text[a:b], hit.chunk))
    if not found:
        return None
    _, _, topic, title, chunk = min(found)
    held = next((d for d, short in titles.items() if fold(short) == fold(title)), "")
    return OtherSummary(topic, title, titles.get(chunk.doc_id, ""), retriever.links[chunk.id], held,
                        page_named(retriever, chunk.doc_id, title))


def _not_about_cancer(result) -> bool:
    """Whether a refusal says the question is about something other than cancer, or an animal's
    health: the page says that is why, and a note pointing into a summary would contradict it."""
    return result.abstained and bool({EVERYDAY, ANIMAL} & set(result.missing))


def page_named(retriever, doc: str, title: str) -> str:
    """The address summary ``doc`` links ``title`` to, or "" (an index made before ingest kept
    them, or a link it did not give): a reader opens the summary named, not the line naming it."""
    entry = retriever.manifest.documents.get(doc)
    links = getattr(entry, "links", None) or {}
    wanted = fold(title).strip(" .,;:")  # a line may end as a sentence does
    return next((address for text, address in links.items() if fold(text).strip(" .,;:") == wanted), "")


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
    question writes them: "PRRT", not "prrt". A piece of a hyphenated word is named as the
    whole: the search reads "Ki-67" as "ki" and "67", and a trial's refusal named "ki". A word
    the question does not hold as such (a corrected one) stays as it is."""
    typed = {}
    tokens = _TOKEN.findall(query)
    for token in tokens:
        typed.setdefault(strip_accents(token.casefold()), token)
    for token in tokens:  # after the whole words: "ki" typed alone as well is named so
        pieces = token.split("-")
        for piece in pieces if len(pieces) > 1 else ():
            typed.setdefault(strip_accents(piece.casefold()), token)
    return list(dict.fromkeys(typed.get(w, w) for w in words))


# The longest word a refusal reads as maybe short for another: "cn" (can), "tke" (take), "abt".
SHORTHAND_LETTERS = 3


def maybe_shorthand(named: list[str], indexed=lambda word: False) -> list[str]:
    """The words a refusal names (as typed) that may be a typo or text shorthand: short, in
    small letters (a phone's capital first letter aside: "Cn"), and no English word. "cn u
    tke it out" was refused naming "cn" and "tke", which told the reader nothing to do;
    "psa" may be the test, so the page only says that typing such a word out may help. One
    typed in capitals ("PSA") is an acronym, and so is one the index uses (``indexed``): a
    trial over the corpus, whose prostate summaries write PSA, was told to type "psa" out."""
    return [w for w in named if len(w) <= SHORTHAND_LETTERS and w.isalpha() and w[1:].islower()
            and not in_dictionary(w.lower()) and not indexed(w.lower())]


def unmarked(result):
    """``result`` with no sentence of its passages highlighted: beside crisis help, the
    passages only share the question's words, and marking "kill cancer cells" in them, as a
    review saw, reads as an answer to it."""
    def plain(hits):
        return [replace(h, highlights=[]) for h in hits]
    return replace(result, hits=plain(result.hits), related=plain(result.related), withheld=plain(result.withheld))


# Systematic British forms of an American spelling that breame's word list lacks: it holds
# common words ("tumour", "centre", "analyse"), not medical ones ("oesophageal", "coeliac",
# "haematuria", "metastasised"). Read only for a word English uses (`zipf` above 0): a slip
# that adds a letter ("cancaer", "treatmaent", "sised") is no spelling of its own.
_BRITISH_FORMS = ((re.compile(r"ae"), "e"), (re.compile(r"oe"), "e"),
                  (re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"))


def british_spelling(typed: str, read: str) -> bool:
    """Whether ``typed`` is a British spelling of ``read``: in breame's lists ("tumour",
    "diarrhoea"), or a word of English read by `_BRITISH_FORMS`."""
    typed, read = typed.lower(), read.lower()
    if get_american_spelling(typed) == read:
        return True
    american = typed
    for pattern, form in _BRITISH_FORMS:
        american = pattern.sub(form, american)
    return american != typed and american == read and zipf(typed) > 0


def slips(corrections: dict[str, str]) -> dict[str, str]:
    """The corrections that mend a slip, less the British spellings of the word read
    (`british_spelling`): a trial's reader was told "We read 'tumour' as 'tumor'" for every
    one, which reads as correcting how they spell. What a page says only: the search reads them all."""
    return {typed: read for typed, read in corrections.items() if not british_spelling(typed, read)}


@dataclass(frozen=True)
class NamedElsewhere:
    """A word a refusal says the closest passages lack, and the section of the summary that names it."""

    word: str  # as the question writes it
    heading: str
    link: str


def named_elsewhere(retriever, query: str, words: list[str], result, doc: str) -> list[NamedElsewhere]:
    """For a refusal over one summary (``doc``), the first section in the summary's order
    whose own words hold each of ``words`` (as the search reads them; `gaps.words_to_name`)
    that the closest passages lack. "what is octreotide scan" was told the passages "don't
    mention octreotide", which the summary's hormone therapy section names (a patient's trial):
    a link to where a word stands claims no answer, as the summary's headings do. None beside a
    refusal of a question about something other than cancer or an animal's health: the page
    says that is why. A piece of a hyphenated word is named as the search read it, not as the
    whole word ("octreotide" of "gallium-octreotide", which the summary never writes)."""
    if not result.abstained or not doc or not words or _not_about_cancer(result):
        return []
    rows = [i for i in np.flatnonzero(retriever.doc_ids == doc) if not retriever.chunks[i].outline]
    out: dict[str, NamedElsewhere] = {}
    for word in words:
        if (i := next((i for i in rows if retriever.words.own(i).knows(word)), None)) is not None:
            typed = as_typed(query, [word])[0]
            shown = typed if strip_accents(typed.casefold()) == word else word
            chunk = retriever.chunks[i]
            out.setdefault(shown, NamedElsewhere(shown, chunk.heading_path[-1], retriever.links[chunk.id]))
    return list(out.values())
