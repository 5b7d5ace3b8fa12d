"""Keyword tokens for BM25: lower-cased words, English stop words out, Snowball stems.

The same function tokenizes passages at ingest and questions at query time, so the two
always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from wordfreq import zipf_frequency

from retriever.text import straighten_quotes, strip_accents

_word = re.compile(r"[a-z0-9]+")
# Bumped when `tokenize` changes what it makes of a text, so that a keyword index built by
# another version is refused instead of silently missing words (2: accents dropped; 3: "non"
# joined to the word after it).
TOKENIZER_VERSION = 3
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


def words(text: str) -> list[str]:
    """Surface words (lower case, accents dropped) of ``text``, stop words included."""
    return _word.findall(strip_accents(straighten_quotes(text.lower())))


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


@lru_cache(maxsize=8192)
def spaced_words(text: str) -> str:
    """`` w1 w2 ... `` of ``text`` (`words`, "non" joined as `negated` joins it, space-padded):
    a quoted phrase, read the same way, is looked for in it word for word ("atc" is not found
    in "watchful", nor "Hodgkin lymphoma" in "non-Hodgkin lymphoma")."""
    return " " + " ".join(negated(words(text))) + " "


def holds_phrase(text: str, phrase: str) -> bool:
    """Whether ``text`` has ``phrase`` (words joined by spaces, as `planning.quoted` gives
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
    """BM25 tokens of ``text``."""
    return [stem(w) for w in negated(content_words(text))]


# Below this a word is not English at all: either a name (a drug, a test) or a misspelling.
NON_WORD_ZIPF = 1.0


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
    def union(cls, vocabularies: Iterable[Vocabulary]) -> Vocabulary:
        """All the words of ``vocabularies``, without stemming them again."""
        out = cls(())
        vocabularies = list(vocabularies)
        out.words = frozenset().union(*(v.words for v in vocabularies))
        out.stems = frozenset().union(*(v.stems for v in vocabularies))
        out.prefixes = frozenset().union(*(v.prefixes for v in vocabularies))
        return out

    def knows(self, word: str) -> bool:
        return (word in self.words or stem(word) in self.stems
                or (len(word) >= PREFIX and word[:PREFIX] in self.prefixes))


@lru_cache(maxsize=1024)
def passage_vocabulary(text: str, heading_path: str) -> Vocabulary:
    """A passage's words with its headings'. Cached: the same top passages come back for
    many questions, and stemming their words was a tenth of a search's time. 1,024
    corpus passages take about 15 MB."""
    ws = words(text + " " + heading_path)
    return Vocabulary(ws + negated(_content(ws)))  # "non-Hodgkin": "hodgkin" and, as BM25 has it, "nonhodgkin"
