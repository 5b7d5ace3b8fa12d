"""Stage 1 of a search: what the question becomes before any ranking reads it."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Container, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import OSA

from retriever.acronyms import (
    KEYWORD_WORDS,
    as_initials,
    defined,
    lowered,
    typed_acronyms,
    typed_as_names,
    typed_in_capitals,
    write_out,
)
from retriever.audience import audience
from retriever.cancer_names import index_names, unnamed_cancers
from retriever.dictionary import word_of_its_own
from retriever.dose_typed import read_does
from retriever.drug_names import read_drug_names
from retriever.figures import figures_asked
from retriever.health_topics import named_cancers, negated_topics, pdq_subjects, topic_words
from retriever.initialisms import MIN_LETTERS, Initialisms, is_name
from retriever.lexicon import lay_words, question_terms, spell_out, widenings
from retriever.quotes import quoted, split_quotes, unquoted
from retriever.respelling import VOWELS, american
from retriever.sizes import size_asked
from retriever.spelling import Speller
from retriever.text import drop_emoji, drop_invisible, replace_word, strip_accents
from retriever.tokenization import (
    EVERYDAY_ZIPF,
    STOPWORDS,
    Vocabulary,
    content_words,
    holds_phrase,
    query_tokens,
    tokenize,
    words,
    zipf,
)
from retriever.wordbreaks import joined_pieces
from retriever.wordpairs import WordPairs, segments
from retriever.wordpool import WordPool

# The most initials of one question read (each a scan of the index's letters: 4 ms on the corpus).
MAX_INITIALS = 3
# Initials as typed, a lower-case plural at most ("NSCLC", "PNETs"); `typed_in_capitals` says
# whether the question is shouted.
_INITIALS = re.compile(r"\b[A-Z]{3,}s?\b")
# Initials typed in lower case, as staff type them in a search box ("nsclc stage 3", or "Nsclc" as a
# phone starts a sentence): written out only where the headings spell them, no word nearer (`Planner._lower_initials`).
_LOWER_INITIALS = re.compile(r"\b[A-Za-z][a-z]{3,}\b")
# What PDQ titles add after their subject ("Adrenocortical Carcinoma Treatment - NCI"): a name
# ending so is a title read whole, not a subject, so "acct" stays "acct" (a review's "my acct").
_TITLE_TAILS = frozenset({"treatment", "prevention", "screening", "nci"})


@dataclass(frozen=True)
class QueryPlan:
    """The question as searched.

    Attributes:
        text: The question as typed.
        dense_text: Short forms written out and misspellings corrected: what is embedded,
            and what abstention reads.
        tokens: BM25 tokens, with the lay lexicon's document words when it is on.
        corrections: ``{typed: corrected}`` for every corrected word.
        topics: Health topics the question names (abstention checks the passages have them).
        figures: Kinds of figure the question asks for (a rate, a dose, ...).
        terms: The question's terms, each with its lexicon alternatives.
        audience: Whom it names as the patient, ``"child"``, ``"adult"`` or None
            (`retriever.audience`): read once here for fusion and the ranker.
        phrases: What it puts in double quotes, as typed (before any word is rewritten),
            as space-joined words (`quoted`): passages holding them come first (`held`).
        outside: When it quotes, the terms of the rest of it (rewritten as the question is).
        widened: ``{everyday phrase: document words}`` the lexicon added to ``tokens``, so
            that staff see why a keyword search found passages without their words.
        size: The one tumour size it gives, in centimeters, or None (`sizes.size_asked`):
            read once here for every hit's highlights.
        cancers: The words naming a cancer-type summary (`health_topics.named_cancers`).
    """

    text: str
    dense_text: str
    tokens: list[str]
    corrections: dict[str, str]
    topics: list[str]
    figures: list[int]
    terms: list[tuple[str, ...]]
    audience: str | None = None
    phrases: tuple[str, ...] = ()
    outside: tuple[tuple[str, ...], ...] = ()
    widened: dict[str, str] = field(default_factory=dict)
    size: float | None = None
    cancers: tuple[str, ...] = ()


def held(plan: QueryPlan, text: str, vocabulary: Vocabulary) -> int:
    """A passage's tier for a quoting query: the phrases its ``text`` holds word for word
    first, then the terms outside the quotes it holds in any form. A quoted phrase is what
    the reader insists on, as in a search box: a passage without it never comes before one
    with it; among those with it, the ones that also hold the other words come first."""
    phrases = sum(holds_phrase(text, p) for p in plan.phrases)
    return phrases * (len(plan.outside) + 1) + sum(any(map(vocabulary.knows, alts)) for alts in plan.outside)


class Planner:
    """Writes out short forms, corrects misspellings against the corpus vocabulary and adds
    document words for lay words."""

    def __init__(self, speller: Speller, lexicon: bool = True, tokens: Container[str] = (),
                 pairs: WordPairs | None = None, subjects: Collection[str] = (), cancers: Collection[str] | None = None,
                 initialisms: Initialisms | None = None, own: Iterable[str] | None = None,
                 lay_cancers: Collection[str] | None = None):
        self.speller = speller
        self.subjects = frozenset(subjects)  # the words of the index's summaries' titles
        # the cancers its passages name (`cancer_names.index_names`); None: not read, none is a topic
        self.cancers = None if cancers is None else frozenset(cancers)
        # the everyday names of cancers it is about (`cancer_names.index_names`); None: not read
        self.lay_cancers = None if lay_cancers is None else frozenset(lay_cancers)
        self.lexicon = lexicon
        self.tokens = tokens  # the keyword index's: which names with digits it holds whole
        self.index_words = Vocabulary(speller.counts)  # every word of the index, in every form
        self.own_words = self.index_words if own is None else Vocabulary(own)  # less notes: where topics are read
        self.pairs = pairs or WordPairs({}, {}, frozenset())  # its word pairs: words typed for another
        self.initialisms = initialisms or Initialisms(())  # the names its headings spell ("NSCLC")

    @classmethod
    def for_texts(cls, texts: list[str], min_score: float, lexicon: bool = True, tokens: Container[str] = (),
                  titles: Iterable[str] = (), headings: Iterable[str] = (), own: Iterable[str] | None = None,
                  typed: bool = True) -> Planner:
        """A planner whose speller and word pairs read ``texts`` (an index's passages), knowing its summaries'
        ``titles``, the names its ``headings`` spell, its words less PDQ's notes, ``own`` (None: all), and
        whether every summary is about a cancer type (``typed``)."""
        stretches = [ws for t in texts for ws in segments(t)]  # together, every word of every text
        counts = Counter(w for ws in stretches for w in ws)
        titles = set(titles)
        cancers, lay_cancers = index_names(stretches, titles, typed)
        return cls(Speller(counts, min_score), lexicon, tokens, WordPairs.from_segments(stretches, counts),
                   {w for title in titles for w in words(title)}, cancers,
                   Initialisms([*headings, *sorted(titles)], texts), own, lay_cancers)

    def _meant(self, text: str, typed: str, fixed: str) -> bool:
        """Whether a word the dictionary holds, a word of its own ("carer", "zapping",
        "testes", "areca"; `retriever.dictionary`), is read as the word it is one slip from:
        only where the index writes that word beside the typed word's neighbour ("brest
        cancer": its pairs, `WordPairs.partners`), or names its summaries by it and everyday
        English rarely uses it ("biopsy of the prostrate", on an index of the prostate
        summaries; "care" names some too, but "carer" is no slip of it)."""
        return (self.pairs.partners(text, typed, fixed)
                or (fixed in self.subjects and zipf(fixed) < EVERYDAY_ZIPF))

    @cached_property
    def _known(self) -> WordPool:
        """The index's words of three letters or more and the summaries' acronyms, lower-cased."""
        return WordPool(sorted({w for w in self.speller.counts if len(w) >= 3} | lowered()))

    def _slip(self, word: str, counts: Callable[[str], bool] | None = None) -> bool:
        """Whether ``word`` is one edit from a known word (of those ``counts`` keeps): only
        those the letter masks leave (two insertions and deletions: a swap or a substitution)
        are scored."""
        near = self._known.within_indel(word, 2)
        if counts is not None:
            near = [w for w in near if counts(w)]
        return process.extractOne(word, near, scorer=OSA.distance, score_cutoff=1) is not None

    @staticmethod
    def _built_on_acronym(initials: str) -> bool:
        """Whether ``initials`` start or end with an acronym of three letters or more that the
        summaries define ("GEPNET": NET)."""
        return any(defined(initials[:i]) or defined(initials[-i:]) for i in range(3, len(initials)))

    def _lower_initials(self, text: str, quoted: Collection[str]) -> dict[str, str]:
        """``{typed: name}`` for each word of ``text`` typed in lower case (or capitalised), not
        quoted, that is no word of the index nor of everyday English (`is_name`) and whose
        letters are the initials of a name its headings spell: "nsclc" -> "non small cell lung
        cancer". A word of the dictionary ("sips") or one edit from a word of the index ("appt",
        "optns", "robt": a slip, or text-speak) stays as typed, for the speller, as does any
        other: in lower case, "smth" or "mgmt" are as likely as initials."""
        out: dict[str, str] = {}
        for typed in dict.fromkeys(_LOWER_INITIALS.findall(text)):
            word = typed.lower()
            if (len(out) == MAX_INITIALS or word in quoted or word in map(str.lower, out) or not is_name(word)
                    or self.index_words.knows(word) or word_of_its_own(word) or self._near_index_word(word)):
                continue
            for form in dict.fromkeys((word, word.removesuffix("s"))):  # "alcls": its singular too
                if spelled := self.initialisms.spelled(form):
                    break
            if spelled and spelled.split()[-1] not in _TITLE_TAILS:
                out[typed] = spelled
        return out

    def _near_index_word(self, word: str) -> bool:
        """Whether ``word`` is one edit from a word of the index of four letters or more that
        is no stop word nor acronym: "appt", "robt", "cllt" are slips or short forms of words."""
        return self._slip(word, lambda w: len(w) >= MIN_LETTERS and w not in STOPWORDS and w not in lowered())

    def _initials(self, text: str, capitals: set[str], lower: dict[str, str]) -> tuple[str, list[str]]:
        """``text`` with each name typed as initials that the index never uses written out as
        its headings spell it ("NSCLC" -> "non small cell lung cancer (NSCLC)"), and the
        initials that no heading spells and no run of its passages' words could stand for,
        lower-cased: topics the passages must name (`retriever.initialisms`). Initials one
        edit from a word the index uses or an acronym the summaries define ("MIGB", "NTE"),
        or built on such an acronym ("GEPNET"), are no topic. A question typed all in
        capitals gives no ``capitals``: a search of `KEYWORD_WORDS` words at most is read once
        the speller has read it ("NSCLC" typed alone), a longer one is a shout."""
        names: list[str] = []
        for typed, spelled in lower.items():
            text = replace_word(text, typed, f"{spelled} ({typed})")
        if not capitals and len(text.split()) > KEYWORD_WORDS:  # "MY DAUGHTER KAYLEE HAS ALL": a shout
            return text, names
        for typed in list(dict.fromkeys(_INITIALS.findall(text)))[:MAX_INITIALS]:
            bare = typed.removesuffix("s")
            if (capitals and typed.lower() not in capitals) or defined(typed) or self.index_words.knows(typed.lower()):
                continue
            if not is_name(bare):  # "OTC", "EEG": everyday abbreviations, read as typed
                continue
            if spelled := self.initialisms.spelled(bare):
                text = replace_word(text, typed, f"{spelled} ({typed})")
            elif not (self._slip(bare.lower()) or self._built_on_acronym(bare) or self.initialisms.mentioned(bare)):
                names.append(bare.lower())
        return text, names

    def plan(self, query: str) -> QueryPlan:
        # Compatibility forms as plain ones: full-width letters from a CJK keyboard ("ＣＡＲＣＩＮＯＩＤ"), ligatures,
        # superscript digits. The documents use plain ones. Accents go too, as the tokenizer drops them, so a
        # correction finds its word; and so do invisible characters, after the emoji whose parts they join.
        typed = strip_accents(unicodedata.normalize("NFKC", drop_invisible(drop_emoji(query))))
        text = spell_out(typed)
        acronyms = set(words(" ".join(typed_acronyms(text))))  # "HAART" is no slip of "heart"
        # A quoted word is searched as typed, as a search box's quotes promise: the phrase is
        # matched so, and the page must not say it was read as another word ("plugh" as "plug").
        quoted_words = set(words(" ".join(split_quotes(typed)[0])))
        lower = self._lower_initials(text, quoted_words)  # "nsclc": no slip
        drugs, unread = read_drug_names(dict.fromkeys(words(text)), self.speller.counts.__contains__)  # "sutent"
        as_typed = acronyms | quoted_words | typed_as_names(text) | {w.lower() for w in lower} | {*unread}
        corrections = {pieces: whole for pieces, whole in joined_pieces(text, self.speller.counts).items()
                       if not set(words(pieces)) <= quoted_words}  # "neuro endo crine": one word
        corrections |= {typed: drug for typed, drug in drugs.items() if typed not in quoted_words}
        for wrong, right in corrections.items():
            text = replace_word(text, wrong, right)
        capitals = typed_in_capitals(text)
        doubtful = {}  # real words the speller would read as others: decided once the rest are read
        for w in dict.fromkeys(words(text)):
            fixed = None if w in as_typed else self.speller.correct(w)
            if fixed and not (w in capitals and (sorted(fixed) == sorted(w) or not VOWELS.intersection(w))):
                # capitals copy a name as written: "DTPA" is no "DTaP", and initials get no vowels put back
                (doubtful if word_of_its_own(w) and fixed not in american(w) else corrections)[w] = fixed
        for wrong, right in corrections.items():
            text = replace_word(text, wrong, right)
        for wrong, right in doubtful.items():
            if self._meant(text, wrong, right):  # "brest cancr": read with "cancer" already read
                corrections[wrong], text = right, replace_word(text, wrong, right)
        keep = as_typed | capitals | set(corrections.values())
        for wrong, right in self.pairs.fixes(text, keep).items():  # "clinical trails"
            corrections[wrong] = right
            text = replace_word(text, wrong, right)
        if "dose" not in quoted_words and (does := read_does(text)) != text:  # "how dose it work"
            corrections["dose"], text = "does", does
        who = audience(text)  # read before acronyms are written out: a definition names no patient
        text = write_out(text, self.index_words.knows, quoted_words)
        text, names = self._initials(text, capitals, lower)
        extra = widenings(text) if self.lexicon else {}
        tokens = query_tokens(text, self.tokens) + tokenize(" ".join(extra.values()))
        asked, bridged, read, initials = content_words(text), lay_words(text), words(text), as_initials(typed, text)
        topics = topic_words(asked, bridged, self.speller.looks_misspelled, self.own_words.knows, initials)
        topics += unnamed_cancers(text, self.cancers, self.subjects & pdq_subjects(), self.lay_cancers)
        topics = negated_topics(topics, read, self.index_words.knows)
        topics += [n for n in [*names, *unread] if n not in topics and f"{n}s" not in topics]  # or a rare word already
        phrases = quoted(typed)
        outside = tuple(question_terms(unquoted(text))) if phrases else ()
        return QueryPlan(text=query, dense_text=text, tokens=tokens, corrections=corrections,
                         topics=topics, figures=figures_asked(text), terms=question_terms(text),
                         audience=who, phrases=phrases, outside=outside, widened=extra, size=size_asked(query),
                         cancers=named_cancers(asked, bridged, read, self.index_words.knows))
