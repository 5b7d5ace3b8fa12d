"""Acronyms the PDQ summaries define, written out in a question ("NET" -> "neuroendocrine
tumor (NET)") so that the model and BM25 see the summaries' words too.

Staff search by acronym ("NET", "MEN1", "GIST"), and a summary that spells a term out may
never use its acronym: the GI summary says "neuroendocrine tumors" and never "NET", so
"NET" alone matched its permission notice, first. Acronyms the index never uses are
written out, and so are those whose letters are also a word ("ALL", "FIT"). The table (`ACRONYMS`) is mined from the
corpus's own definitions, "neuroendocrine tumors (NETs)", by ``python -m training words``
(the Schwartz-Hearst algorithm), not written by hand. A word typed in capitals counts, and
one typed in small letters that names a cancer, that the training questions type so and
that is no word ("cll", "lch": `typed_lower`); not "pet", an animal as well as a scan, nor
"alk", typed once for "talk". None counts in a question typed all in capitals unless every
word of it is an acronym ("GI NET").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import lru_cache
from pathlib import Path

from retriever.text import shipped_lines
from retriever.tokenization import STOPWORDS

ACRONYMS = Path(__file__).with_name("pdq_acronyms.txt")
# A word with its hyphenated parts: "T-ALL" is one acronym, "GIST-like" one acronym and a suffix.
_WORD = re.compile(r"\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b")
# The most words of a search in which an acronym that is also a word is read as the acronym
# whatever follows it: staff search "ALL in adults", "FISH test chromosomes AML".
KEYWORD_WORDS = 4


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    rows = [line.split("\t") for line in shipped_lines(ACRONYMS)]
    marked = {mark: frozenset(row[0] for row in rows if row[2:] == [mark]) for mark in ("word", "lower")}
    return {row[0]: row[1] for row in rows}, marked["word"], marked["lower"]


def acronyms() -> dict[str, str]:
    """``{acronym: definition}`` of `ACRONYMS`, read once."""
    return _table()[0]


@lru_cache(maxsize=1)
def lowered() -> frozenset[str]:
    """The acronyms of `ACRONYMS` lower-cased ("nets" for "NETs"): how they meet words that are."""
    return frozenset(a.lower() for a in acronyms())


def also_words() -> frozenset[str]:
    """The acronyms of `ACRONYMS` whose letters are also a word ("ALL", "FIT", "MEN")."""
    return _table()[1]


def typed_lower() -> frozenset[str]:
    """The acronyms of `ACRONYMS` read typed in small letters too ("cll"): the training questions
    type them so, they name a cancer and they are no word (`training.acronyms.typed_lower`)."""
    return _table()[2]


def _defined(word: str, table: dict[str, str]) -> str | None:
    """The table's key for ``word`` as typed ("NETS" typed for "NETs"), or None."""
    if word in table:
        return word
    if word.endswith("S") and word[:-1] + "s" in table:
        return word[:-1] + "s"
    return None


def _key(word: str, table: dict[str, str], first: bool = False) -> str | None:
    """The table's key for ``word`` as typed (`_defined`), or for one typed in small letters
    that the training questions type so (`typed_lower`; `training.acronyms`): "cll", and "Cll"
    where a phone capitalises the ``first`` word; elsewhere "Vin" is a name. In capitals only,
    "how is cll treated" was answered from the seed's treatment passages."""
    if (key := _defined(word, table)) is not None or not (word.islower() or first and word[1:].islower()):
        return key
    return upper if (upper := word.upper()) in typed_lower() else None


def _parts(word: str, table: dict[str, str]) -> list[str]:
    """``word`` whole when the table defines it ("T-ALL"), else its hyphenated parts ("GIST", "like")."""
    return [word] if _defined(word, table) else word.split("-")


def defined(word: str) -> bool:
    """Whether the table defines ``word`` as typed ("NETs" for "NETs", "NETS" too)."""
    return _defined(word, acronyms()) is not None


def _shouted(text: str, table: dict[str, str]) -> bool:
    """A question typed all in capitals, not a run of acronyms ("GI NET")."""
    return not any(c.islower() for c in text) and not all(_defined(w, table) for w in re.findall(r"\w{2,}", text))


def typed_acronyms(text: str) -> list[str]:
    """The acronyms of ``text`` that the table defines, as typed ("NET", "T-ALL"): the speller
    leaves them alone ("HAART" is no slip of "heart")."""
    table = acronyms()
    if _shouted(text, table):
        return []
    found = []
    for m in _WORD.finditer(text):
        found += [p for p in _parts(m[0], table) if _defined(p, table)]
    return found


# Letters typed in capitals, with a lower-case plural at most ("DTPA", "FNAs").
_CAPITALS = re.compile(r"\b[A-Z]{2,}s?\b")


def typed_in_capitals(text: str) -> set[str]:
    """The words of ``text`` typed in capitals, lower-cased, unless the whole question is
    ("KIDNY CANCER"): a name copied as written, which the speller does not read with two
    letters swapped. Of the 4-letter names a review tried on the corpus index, "DTPA" read
    "DTaP", "ATTR" "ATRT", "FNAs" "fans" and "ICPs" "IPCs"; only "MIGB" (MIBG) was a slip."""
    if _shouted(text, acronyms()):
        return set()
    return {m[0].lower() for m in _CAPITALS.finditer(text)}


# Letters in a case no slip gives: a capital after a small letter ("PanNET", "eHealth",
# "CureSearch") or three capitals run into small letters ("NETest"). Not "Cancer", "CAncer"
# (a shift key held a letter too long) nor a plural of capitals ("NETs").
_NAMED = re.compile(r"\b(?:[A-Za-z]*[a-z][A-Z][A-Za-z]*|[A-Z]{3,}(?!s\b)[a-z][A-Za-z]*)\b")


def typed_as_names(text: str) -> set[str]:
    """The words of ``text`` whose mix of capitals and small letters says they are names
    copied as written, lower-cased: the speller leaves them alone. Every such word in the
    project's question files and training questions is a name (VIPoma, hCG, mTOR, CoQ,
    PleurX), and the speller read five of them as other words ("NETest" as newest,
    "PanNET" panned, "CureSearch" research, "eHealth" health, "PleurX" pleura)."""
    return {m[0].lower() for m in _NAMED.finditer(text)}


def write_out(text: str, index_knows: Callable[[str], bool] = lambda word: False,
              as_typed: Collection[str] = ()) -> str:
    """``text`` with each acronym the summaries define and the index never uses after its
    definition: "NET surgery" -> "neuroendocrine tumor (NET) surgery", "GIST-like" ->
    "gastrointestinal stromal tumor (GIST)-like". One the index uses (every letter-and-digit
    part of it: "T-ALL" is "t" and "all") is left as typed: written out, "PDQ" and "MEN1"
    pulled their searches away from the passages that use them (the seed's sets lost four
    questions, gained one and answered one out-of-scope).

    An acronym that is also a word (`also_words`: "ALL", "FIT") is written out whether the
    index uses it or not: the index knows the word, not the acronym (BM25 drops "all"; "fit"
    found "younger, fit patients"), and the uncased model reads the word. In a question of
    more than `KEYWORD_WORDS` words, one followed by a stop word is left as typed: the word in
    capitals for emphasis comes before what it qualifies ("stop ALL my medicines", "a diet
    RICH in fiber", "can MEN get it"), the acronym before a verb or a noun ("my mom's ALL
    makes her tired"). A name holding it ("B-ALL", "MEN-2") is left as typed too, and so is
    one in small letters that is ``as_typed`` (a quoted word: searched as typed) or part of
    a hyphenated word ("g-csf" is no cerebrospinal fluid)."""
    return _written(text, index_knows, as_typed)[0]


def definitions(text: str, index_knows: Callable[[str], bool]) -> list[str]:
    """The definitions `write_out` writes out in ``text``, once each: not "ALL" in "stop ALL my
    medicines", read as the word there, nor an acronym ``index_knows`` uses."""
    return list(dict.fromkeys(_written(text, index_knows, ())[1]))


def _written(text: str, index_knows: Callable[[str], bool], as_typed: Collection[str]) -> tuple[str, list[str]]:
    """`write_out`'s text, and the definitions it wrote out."""
    table = acronyms()
    if _shouted(text, table):
        return text, []
    keywords = len(text.split()) <= KEYWORD_WORDS
    spelled: list[str] = []

    def one(word: str, named: bool, whole: bool, first: bool) -> str:
        key = _key(word, table, first) if whole and word not in as_typed else _defined(word, table)  # not "g-csf"
        if key is None:
            return word
        if key in also_words():
            if not named:
                return word
        elif all(index_knows(p) for p in re.findall(r"[a-z0-9]+", word.lower())):
            return word
        spelled.append(table[key])
        return f"{table[key]} ({word})"

    def each(match: re.Match) -> str:
        parts = _parts(match[0], table)
        after = re.match(r"\s*([A-Za-z']+)", text[match.end():])
        named = len(parts) == 1 and (keywords or not after or after[1].lower() not in STOPWORDS)
        first = not text[:match.start()].strip()
        return "-".join(one(p, named, len(parts) == 1, first) for p in parts)

    return _WORD.sub(each, text), spelled


_BRACKETED = re.compile(r"\(([A-Za-z][\w-]*)\)")


def as_initials(typed: str, text: str) -> set[str]:
    """The words of the question read as initials, lower-cased: those typed in capitals
    (`typed_in_capitals`) and those written out in ``text`` (`write_out`, the planner's
    initials: "non small cell lung cancer (NSCLC)"), less those ``typed`` put in brackets
    itself. Whether such a word is a topic is `retriever.initialisms`' to say, not the learned
    health words': "DLBCL outlook" was refused for "dlbcl" over passages that spell it."""
    bracketed = {m.lower() for m in _BRACKETED.findall(text)} - {m.lower() for m in _BRACKETED.findall(typed)}
    return typed_in_capitals(text) | bracketed
