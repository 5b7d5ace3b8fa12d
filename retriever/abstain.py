"""Decide when the documents do not answer a question.

Two signals, both cheap:

* how well the best passage or sentence matches the question (cosine of the embeddings);
* whether the question hinges on something the documents never mention. All-MiniLM puts
  "How is small cell lung cancer treated?" as close to a GI summary's chemotherapy passage
  as a real question. What gives such near-misses away is a health topic the documents
  never name ("lung", "insulinoma", "everolimus", "vaccine"), a request for a figure (a
  survival rate, a dose, a price, a normal range, a length of time) that the passages found
  do not contain, one for the best hospital or doctor, which PDQ summaries never name, or
  a question about something other than cancer (`retriever.domain`) whose terms the
  passages mostly lack and none of whose rare words they hold ("lanreotide": `CANCER_GROUND_ZIPF`).

A missing topic is a word of the question naming a health topic that none of the top three
passages uses (`retriever.health_topics`).

Short questions ("outlook?", "who do I call") match every passage weakly; one top passage
holding every thing they ask about (`all_terms_found`) raises the confidence to
``ALL_TERMS_FOUND``. When the top passages use none of the question's words, each counts
as missing (`nothing_found`) unless the embedding lands close anyway
(``NOTHING_FOUND_BELOW``). Each missing topic or word, figure or provider lowers the
confidence by ``MISSING_PENALTY`` (at most ``MAX_COUNTED``); a missing topic caps it at ``TOPIC_VETO``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from retriever.figures import figure_missing
from retriever.health_topics import missing_topics
from retriever.providers import PROVIDER, provider_missing
from retriever.tokenization import STOPWORDS, Vocabulary, words, zipf

MISSING_PENALTY = 0.4
# The hand rule's threshold (README, "Abstention").
HAND_THRESHOLD = 0.35
# What `missing` holds for a figure the passages don't give (index.html tests for this text).
FIGURE = "a figure"
# ... and for a question about something other than cancer (`retriever.domain`), which is
# refused when the passages read hold fewer than `COVERAGE_BELOW` of its terms.
EVERYDAY = "a subject other than cancer"
# ... and for a question about an animal's health (`retriever.animals`), refused whatever the
# passages hold: their words are about people.
ANIMAL = "an animal's health"
COVERAGE_BELOW = 0.5
# ... unless the passages hold a word of it that everyday English hardly uses (Zipf below this:
# a drug, a hormone, a tumour's name), which puts it on cancer's ground: "how much does
# lanreotide cost per month" was called everyday (a price's words are no passage's), and the
# page said so and left out the passage on lanreotide. Of the everyday training questions the
# check flags, such a word is held by the top passages for 2 of 2,245 on the seed's index
# ("incisional", "sonographer", read by stem and prefix; their topics refuse both all the
# same) and 0 of 1,225 on the corpus index; at 2.5, 6 and 18; at 3.0, 64 and 107 ("appendix",
# "ibuprofen").
CANCER_GROUND_ZIPF = 2.0
MAX_COUNTED = 2
# The nothing-found rule counts only below this best cosine. Fitted on the shipped model's cosines of training
# summaries' lay and situation questions and their near-misses (refusals the rule alone decided: at 0.5 and
# above, 6 answerable against 2 near-misses; below, 7 against 24), confirmed on the validation summaries (at
# 0.5 and above 7 against 0); not measured for another model. docs/abstention.md, "The nothing-found rule".
NOTHING_FOUND_BELOW = 0.5
# The most confidence a question gets when the passages never name one of its health
# topics, however close its embedding: a short query lands close to a passage of the same
# kind in another cancer ("lung cancer staging", cosine 0.87 with the seed's staging
# passage, was answered at 0.47 after the one-topic penalty). Over the corpus index the
# searches a missing topic did not refuse were 57 near-misses (asked with their summaries
# taken out) against 8 right answers on the validation summaries, 284 against 33 on the
# training summaries, none on the seed's sets (docs/abstention.md, "A missing topic vetoes").
TOPIC_VETO = 0.0
# Confidence when one top passage has every term of the question: above the default
# threshold (0.35), so such a question is answered unless it also misses a topic or figure.
ALL_TERMS_FOUND = 0.40
# ... and only when one of those terms is a word everyday English uses less than this (Zipf):
# "what time is it" was answered at the floor with a passage saying "time". At 5.5 the
# small-talk set (eval/questions/smalltalk_questions.jsonl, written after the rule was
# picked) abstains on 45 of 50 messages instead of 42 and refuses 3 of its 41 answerable
# questions instead of 2; no other question of the seed's sets, the everyday and topic sets
# or the validation summaries' 6,077 and their near-misses moves, at 5.5 or at 5.0
# (docs/abstention.md, "Common words found").
COMMON_ZIPF = 5.5
# A query of fewer letters and digits than this that names no term ("a", "y", "a?") asks
# nothing: single letters matched the seed's passages at cosines of 0.36 to 0.38, above the
# threshold, and were answered. No question of the seed sets, the calibration files or the
# 22,000 training questions is that short (the shortest without a term: "what is a D&C?").
MIN_QUERY_CHARS = 3
# A query of at most this many words, every one a stop word ("what", "what is it", "who are
# you", "why me"), asks nothing either: it matched passages on the cosine alone (0.36 to 0.43
# on the seed, "what" the "To Learn More" notes) and was answered. The shortest question of
# stop words alone in the training files has five ("couldnt get it all out"); no question of
# the seed's sets or the dev set has three or fewer without a term, only crisis lines, whose
# box is read apart from the answer (a code review found these answered).
MAX_EMPTY_WORDS = 3

def all_terms_found(terms: list[tuple[str, ...]], passages: Iterable[Vocabulary]) -> bool:
    """Whether one passage names every term (any of its alternatives, in any form), one of
    them a word less common than `COMMON_ZIPF`: a passage saying "time" tells nothing of
    whether it answers "what time is it"."""
    return (any(zipf(alts[0]) < COMMON_ZIPF for alts in terms)
            and any(all(any(p.knows(w) for w in alts) for alts in terms) for p in passages))


def holds_uncommon_word(question: str, terms: list[tuple[str, ...]], passages: list[Vocabulary]) -> bool:
    """Whether a passage holds a word of ``question`` that is rarer than `CANCER_GROUND_ZIPF`: a
    term's own word ("carcinoid", which the lexicon also searches as "neuroendocrine"), not the
    document words of a phrase it bridges ("stomach ache": "abdominal", "pain")."""
    asked = set(words(question))
    typed = [alts[0] for alts in terms if alts[0] in asked]
    return any(zipf(w) < CANCER_GROUND_ZIPF and any(p.knows(w) for p in passages) for w in typed)


def nothing_found(terms: list[tuple[str, ...]], passages: list[Vocabulary]) -> list[str]:
    """The question's own words when no passage names any of its terms, else nothing.

    A question none of whose words the best passages use is about something else ("niacin",
    "migraine relief"), however close its embedding lands. Lexicon terms count as found
    or not like any other but are not listed: the reader did not write those words.
    """
    if not terms or any(any(p.knows(w) for w in alts) for alts in terms for p in passages):
        return []
    return [alts[0] for alts in terms if len(alts) == 1]


@dataclass(frozen=True)
class Evidence:
    """What the top passages say about whether they answer the question.

    The signals a confidence is computed from: by the hand rule (`confidence`) or by a
    logistic model fitted on training summaries (`Calibration`).
    """

    best_cosine: float
    missing_topics: int
    figure_missing: bool
    provider_missing: bool
    nothing_found: bool
    all_terms_found: bool
    coverage: float
    topics_missing: tuple[str, ...] = ()  # which health topics, for `near_miss`
    everyday: bool = False  # about something other than cancer, with few of its terms found
    animal: bool = False  # about an animal's health (not in `vector`: the calibration never read it)

    def vector(self) -> list[float]:
        return [self.best_cosine, float(min(self.missing_topics, MAX_COUNTED)),
                float(self.figure_missing), float(self.provider_missing),
                float(self.nothing_found), float(self.all_terms_found), self.coverage]


FEATURES = ("best_cosine", "missing_topics", "figure_missing", "provider_missing",
            "nothing_found", "all_terms_found", "coverage")


def confidence(best_cosine: float, n_missing: int, terms_found: bool = False,
               penalty: float = MISSING_PENALTY, floor: float = ALL_TERMS_FOUND) -> float:
    """How well the documents answer the question, roughly in [-1, 1] (the hand rule)."""
    base = max(best_cosine, floor) if terms_found else best_cosine
    return base - penalty * min(n_missing, MAX_COUNTED)


def evidence(question: str, best_cosine: float, passages: list[tuple[str, Vocabulary, Vocabulary]],
             terms: list[tuple[str, ...]], topics: list[str], figures: list[int],
             everyday: bool = False, unanswered: list[str] | tuple[str, ...] = (),
             animal: bool = False, bridges: Mapping[str, frozenset[str]] | None = None) -> tuple[Evidence, list[str]]:
    """The signals of whether ``passages`` answer the question, and what they miss.

    Args:
        question: The question as searched (short forms written out, typos corrected).
        best_cosine: Best cosine of the question with these passages or their sentences.
        passages: (text, its vocabulary, the vocabulary of the text less PDQ's notes: where
            topics are looked for); `retriever.passage_words` makes both.
        terms, topics, figures: What the question asks about (`question_terms`,
            `health_topics.topic_words`, `figures_asked`).
        everyday: The domain check calls the question everyday (`retriever.domain`); it
            counts only when the passages hold fewer than `COVERAGE_BELOW` of its terms and
            none of its words rarer than `CANCER_GROUND_ZIPF`.
        unanswered: Topics found missing already, whatever the passages' words: the cancers
            they do not name and the subjects none of them is about (`scope.Scope.unnamed`).
        animal: The animal check calls the question about an animal's health (`retriever.animals`).
        bridges: The passage stems that name each topic otherwise (`translation.Bridges.of`).
    """
    texts = [text for text, _, _ in passages]
    vocabularies = [vocabulary for _, vocabulary, _ in passages]
    union = Vocabulary.union(vocabularies)
    topics_missing = missing_topics(topics, Vocabulary.union(own for _, _, own in passages),
                                    unanswered, bridges) if topics or unanswered else []
    nothing = nothing_found(terms, vocabularies) if best_cosine < NOTHING_FOUND_BELOW else []
    missing = list(dict.fromkeys(topics_missing + nothing))
    fig = figure_missing(figures, texts)
    prov = provider_missing(question, texts)
    if fig:
        missing.append(FIGURE)
    if prov:
        missing.append(PROVIDER)
    found = all_terms_found(terms, vocabularies)
    covered = sum(any(union.knows(w) for w in alts) for alts in terms) / len(terms) if terms else 1.0
    everyday = everyday and covered < COVERAGE_BELOW and not holds_uncommon_word(question, terms,
                                                                                 [own for *_, own in passages])
    if everyday:
        missing.append(EVERYDAY)
    if animal:
        missing.append(ANIMAL)
    ev = Evidence(best_cosine, len(topics_missing), fig, prov, bool(nothing), found, covered,
                  tuple(topics_missing), everyday, animal)
    return ev, missing


def hand_confidence(ev: Evidence, missing: list[str], penalty: float = MISSING_PENALTY,
                    floor: float = ALL_TERMS_FOUND) -> float:
    """The hand rule: the best cosine, raised to ``floor`` when one passage has every term,
    lowered by ``penalty`` for each thing missing."""
    found = not missing and ev.best_cosine < floor and ev.all_terms_found
    conf = confidence(ev.best_cosine, len(missing), found, penalty, floor)
    return min(conf, TOPIC_VETO) if _vetoed(ev, missing) else conf


def _vetoed(ev: Evidence, missing: list[str]) -> bool:
    """A subject the documents never mention: read from ``missing``, as an audit asks what the
    rule decides with some of them left out."""
    return (ev.everyday and EVERYDAY in missing) or (ev.animal and ANIMAL in missing) \
        or any(t in missing for t in ev.topics_missing)


@dataclass(frozen=True)
class Verdict:
    """Stage 8 of a search: whether to answer, how sure, and what the passages miss."""

    abstained: bool
    confidence: float
    missing: list[str]
    evidence: Evidence | None


def near_miss(ev: Evidence | None, floor: float) -> bool:
    """Whether a refusal is only for a figure the passages don't give, while they are about
    the question's subject (cosine at least ``floor``, no topic missing): "what is the
    survival rate" has no answer in a PDQ summary, but its
    prognosis passage is what the reader needs. Words of the question the passages lack
    otherwise don't count: they are mostly the figure's own ("rate", "cost")."""
    return bool(ev and ev.figure_missing and not ev.provider_missing and ev.best_cosine >= floor
                and not ev.topics_missing and not ev.everyday and not ev.animal)


def asks_nothing(text: str, terms: list[tuple[str, ...]]) -> bool:
    """Whether the query names no term and is too short to be a question (`MIN_QUERY_CHARS`),
    or is a few stop words alone (`MAX_EMPTY_WORDS`). A number is no term here: "1" alone was
    answered with the rectum passage's "1 centimeter"; three digits ("988") are searched."""
    if any(any(ch.isalpha() for ch in alts[0]) for alts in terms):
        return False
    return sum(ch.isalnum() for ch in text) < MIN_QUERY_CHARS or few_stop_words(text)


def few_stop_words(text: str) -> bool:
    """Whether ``text`` is at most `MAX_EMPTY_WORDS` words, all stop words ("who are you")."""
    said = words(text)
    return 0 < len(said) <= MAX_EMPTY_WORDS and all(w in STOPWORDS for w in said)


def judge(ev: Evidence, missing: list[str], calibration, threshold: float,
          penalty: float = MISSING_PENALTY, floor: float = ALL_TERMS_FOUND, nothing_asked: bool = False) -> Verdict:
    """Score the evidence (by the model's calibration, else the hand rule) and decide.

    A missing figure or provider vetoes even a calibrated model: its training questions
    never ask for figures or doctors, so it has not learnt what their absence means. A
    query that asks nothing (`asks_nothing`) is refused whatever it matched.
    """
    if calibration is None:
        conf, vetoed = hand_confidence(ev, missing, penalty, floor), _vetoed(ev, missing)
    else:
        absent = bool(ev.figure_missing or ev.provider_missing)
        unmentioned = bool(ev.topics_missing or ev.everyday or ev.animal)  # a subject the documents never mention
        conf = 0.0 if absent else calibration.confidence(ev)
        conf = min(conf, TOPIC_VETO) if unmentioned else conf  # as for the hand rule
        vetoed = absent or unmentioned
    # a veto refuses at any threshold: at 0, a settings value, "lung cancer staging" was answered
    return Verdict(True, 0.0, missing, ev) if nothing_asked else Verdict(vetoed or conf < threshold, conf, missing, ev)
