"""Keyword tokens for BM25: lower-cased words, English stop words out, Snowball stems.

The same function tokenizes passages at ingest and questions at query time, so the two
always agree; a question only searches a hyphenated name with digits whole, not by its parts,
where passages hold it whole (`query_tokens`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable
from functools import lru_cache
from pathlib import Path

import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from wordfreq import zipf_frequency

from retriever.text import shipped_lines, straighten_quotes, strip_accents

_word = re.compile(r"[a-z0-9]+")
# Bumped when `tokenize` changes what it makes of a text, so that a keyword index built by
# another version is refused instead of silently missing words (2: accents dropped; 3: "non"
# joined to the word after it; 4: names with digits also as one token, `name_words`).
TOKENIZER_VERSION = 4
# Words sharing their first PREFIX letters count as one form ("pancreas", "pancreatic").
PREFIX = 7
_stemmer = Stemmer.Stemmer("english")
# Lucene's list plus the words questions are made of ("what", "my", "should"), which
# carry no topic and would otherwise match every passage that uses them.
STOPWORDS = frozenset(STOPWORDS_EN) | frozenset("""
    s t d ll m re ve don doesn didn isn aren wasn weren hasn haven hadn won wouldn couldn
    shouldn mustn needn can could should would may might
    must shall also what which who whom whose when where why how i me my mine myself we us
    our ours you your yours he him his she her hers they them theirs its itself am been
    being do does did doing have has had having get gets got from about so than too very
    just any some all each other more most only own same again further once here out up
    down over under off both few nor now ok okay please thanks thank really still even
    anything something thing things know tell want need like yes whether
""".split()) | frozenset("""
    whats wats wat hows whos wheres whens whys whatre im ive youre theyre thats theres heres
    dont doesnt didnt cant couldnt shouldnt wouldnt wont isnt arent wasnt werent hasnt
    havent hadnt ur pls plz
""".split())  # the same words typed without their apostrophe or mistyped: "whats the outlook"


def _plain(text: str) -> str:
    """``text`` lower-cased, accents dropped and quotes straight: what words are read from."""
    return strip_accents(straighten_quotes(text.lower()))


def words(text: str) -> list[str]:
    """Surface words (lower case, accents dropped) of ``text``, stop words included."""
    return _word.findall(_plain(text))


def negated(ws: list[str]) -> list[str]:
    """``ws`` with "non" joined to the word after it: "non-Hodgkin lymphoma" is another
    disease than "Hodgkin lymphoma", and "non-small cell" another cancer than "small cell",
    so neither may match the other's word ("non hodgkin", "nonhodgkin" and "non-Hodgkin"
    all give "nonhodgkin")."""
    out: list[str] = []
    for w in ws:
        if out and out[-1] == "non":
            out[-1] += w
        else:
            out.append(w)
    return out


def negations(ws: list[str]) -> dict[str, str]:
    """Each word of ``ws`` that follows "non", with the word `negated` makes of the two:
    ``{"hodgkin": "nonhodgkin"}`` for "non-Hodgkin lymphoma"."""
    return {w: f"non{w}" for before, w in zip(ws, ws[1:]) if before == "non" and w != "non"}


@lru_cache(maxsize=8192)
def spaced_words(text: str) -> str:
    """`` w1 w2 ... `` of ``text`` (`words`, "non" joined as `negated` joins it, space-padded):
    a quoted phrase, read the same way, is looked for in it word for word ("atc" is not found
    in "watchful", nor "Hodgkin lymphoma" in "non-Hodgkin lymphoma")."""
    return " " + " ".join(negated(words(text))) + " "


def holds_phrase(text: str, phrase: str) -> bool:
    """Whether ``text`` has ``phrase`` (words joined by spaces, as `quotes.quoted` gives
    them) word for word."""
    return f" {phrase} " in spaced_words(text)


def content_words(text: str) -> list[str]:
    return _content(words(text))


def _content(ws: list[str]) -> list[str]:
    return [w for w in ws if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokenize(text: str) -> list[str]:
    """BM25 tokens of ``text``: its content words, stemmed, then its `name_words`."""
    return [stem(w) for w in negated(content_words(text))] + [stem(w) for w in name_words(text)]


# A hyphenated name holding a digit and a letter ("MEN-1", "5-HIAA", "PD-L1", "Ki-67").
_hyphenated = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")
_digit = re.compile(r"\d")
# A gene or drug-target name: letters then one or two digits ("brca1", "cdk4").
_numbered = re.compile(r"^([a-z]{3,})\d{1,2}$")
# A numbered name's letters count as a token of their own only when they are no everyday
# English word: "BRCA" finds "BRCA1", while "men" must not find "MEN1".
NAME_PART_ZIPF = 3.0


def query_tokens(text: str, known: Container[str] = ()) -> list[str]:
    """`tokenize` for a question: a hyphenated name it writes is searched whole ("MEN-1" as
    "men1"), not also by its parts, which passages about older "men" hold too, when ``known``
    (the keyword index's tokens) has it whole. Otherwise its parts are searched, as before:
    the summaries write "I-131" and "HPV-16" apart as well ("HPV type 16")."""
    def whole(match: re.Match) -> str:
        name = _joined(match)
        return name if stem(name) in known else match.group()
    if not _digit.search(text):  # most questions: nothing to join (and a search's time is counted)
        return tokenize(text)
    return tokenize(_hyphenated.sub(whole, _plain(text)))


def _joined(match: re.Match) -> str:
    name = match.group()
    return name.replace("-", "") if _digit.search(name) and re.search(r"[a-z]", name) else name


def name_words(text: str) -> list[str]:
    """Names with digits kept whole, besides the words `words` splits them into.

    Support staff search gene, test and drug-target names: "MEN-1" split into "men" and "1"
    found a prostate summary first ("most common in older men"), "5-HIAA" matched staging
    passages by "5", and "BRCA" did not find "BRCA1". A hyphenated name holding a letter and a
    digit also gives its parts joined ("men1", as "MEN1" is written); a numbered name whose
    letters are no everyday word also gives its letters ("brca").
    """
    if not _digit.search(text):  # both kinds of name hold a digit
        return []
    joined = [name for m in _hyphenated.finditer(_plain(text)) if (name := _joined(m)) != m.group()]
    parts = [m.group(1) for w in words(text) if (m := _numbered.match(w)) and zipf(m.group(1)) < NAME_PART_ZIPF]
    return joined + parts


# Below this a word is not English at all: either a name (a drug, a test) or a misspelling.
NON_WORD_ZIPF = 1.0
# At this or above a word is everyday English, not a name: a disease or drug ending in such a
# word makes no topic (of wordfreq's 100,000 commonest English words, the ones at Zipf 4 or
# more with such an ending are "diagnosis", "thomas" and "oklahoma"; next come "diploma", 3.76,
# and "tuberculosis", 3.58, which stays a topic: "Where can I read more about my diagnosis"
# missed a topic in every passage but one). The same line tells an everyday word from a name
# wherever one is told (the "non" rule, the titles' distinctive words, the words a refusal page names).
EVERYDAY_ZIPF = 4.0


@lru_cache(maxsize=50_000)
def zipf(word: str) -> float:
    """How common ``word`` is in everyday English (wordfreq's Zipf scale, 0 to about 8)."""
    return zipf_frequency(word, "en")


class Vocabulary:
    """A set of words (the passages a reader will see) in every form a topic may take.

    Args:
        words: Surface words, lower case.
    """

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(words)
        self.stems = frozenset(stem(w) for w in self.words)
        self.prefixes = frozenset(w[:PREFIX] for w in self.words if len(w) >= PREFIX)

    @classmethod
    def of(cls, words: Iterable[str], stems: Iterable[str], prefixes: Iterable[str]) -> Vocabulary:
        """A vocabulary whose stems and prefixes were made already (`retriever.passage_words`)."""
        out = cls(())
        out.words, out.stems, out.prefixes = frozenset(words), frozenset(stems), frozenset(prefixes)
        return out

    @classmethod
    def union(cls, vocabularies: Iterable[Vocabulary]) -> Vocabulary:
        """All the words of ``vocabularies``, without stemming them again."""
        vocabularies = list(vocabularies)
        return cls.of(frozenset().union(*(v.words for v in vocabularies)),
                      frozenset().union(*(v.stems for v in vocabularies)),
                      frozenset().union(*(v.prefixes for v in vocabularies)))

    def knows(self, word: str) -> bool:
        return self.knows_by_stem(word) or any(self.knows_by_stem(other) for other in other_number(word))

    def knows_by_stem(self, word: str) -> bool:
        """As written, by stem or by its first `PREFIX` letters (not by `other_number`)."""
        return (word in self.words or stem(word) in self.stems
                or (len(word) >= PREFIX and word[:PREFIX] in self.prefixes))


PLURALS = Path(__file__).with_name("english_plurals.txt")


@lru_cache(maxsize=1)
def _irregular() -> dict[str, tuple[str, ...]]:
    """Each form of `PLURALS` with the other forms of its noun."""
    pairs: dict[str, set[str]] = {}
    for line in shipped_lines(PLURALS):
        singular, plural = line.split("\t")
        pairs.setdefault(singular, set()).add(plural)
        pairs.setdefault(plural, set()).add(singular)
    return {word: tuple(sorted(others)) for word, others in pairs.items()}


def other_number(word: str) -> tuple[str, ...]:
    """The noun's other forms where stemming does not join them ("teeth" -> "tooth", "feet" ->
    "foot", "children" -> "child"; `training.plurals`): "will radiation hurt her teeth" was
    refused as about a topic the passages lack, over a passage listing "Tooth decay"."""
    return _irregular().get(word, ())


def passage_vocabulary(text: str, heading_path: str) -> Vocabulary:
    """A passage's words with its headings'. Ingest makes every passage's once
    (`retriever.passage_words`): made at search time they took 0.14 ms a passage."""
    both = text + " " + heading_path
    ws = words(both)
    # "non-Hodgkin": "hodgkin" and, as BM25 has it, "nonhodgkin"; "MEN-1": "men1", "BRCA1": "brca"
    return Vocabulary(ws + negated(_content(ws)) + name_words(both))


# Languages a patient in the US or Europe may ask in with Latin letters; the summaries are English.
OTHER_LANGUAGES = ("es", "fr", "pt", "de", "it")
_LETTERS = re.compile(r"[^\W\d_]+")


def mostly_another_language(text: str) -> bool:
    """Whether most words of ``text`` (more than half) are common in another language and much
    rarer in English: "¿cuáles son los síntomas del tumor neuroendocrino?" (cuáles, los,
    síntomas, del), while "son", "tumor" or a drug's name count for neither. A refusal of such
    a question says the summaries are in English; the search itself reads every question."""
    words = [w.lower() for w in _LETTERS.findall(text)]
    if len(words) < 2:
        return False
    # the small lists hold every word at Zipf 3 or more, all that counts here: 18 MB and 0.05 s
    # to load where the full ones take 190 MB and 0.6 s in every worker
    foreign = sum(max(zipf_frequency(w, lang, wordlist="small") for lang in OTHER_LANGUAGES)
                  >= max(3.0, zipf(w) + 1.5) for w in words)
    return foreign * 2 > len(words)  # most: "im scared" ("im" is German too) is one of two


def not_in_english(text: str) -> bool:
    """Whether ``text`` is in another script (no Latin letter: "类癌综合征是什么"; full-width
    "ＦＬＵ" is Latin) or `mostly_another_language`: the English model meets such a question
    only through its few words of it."""
    typed = unicodedata.normalize("NFKC", text)
    letters = [ch for ch in typed if ch.isalpha()]
    return bool(letters) and (not any(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
                              or mostly_another_language(typed))
