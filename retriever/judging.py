"""Stage 8 of a search: whether the first passages answer the question.

The evidence the passages give (`abstain.evidence`) is judged by the hand rule or the
model's calibration (`abstain.judge`), the confidence then moved by what the question's
wording says (`retriever.answerable`) and a topic named in passing answered
(`retriever.passing`). What the question is about, read from its vector, vetoes: a subject
other than cancer with few of its words found (`retriever.domain`), an animal's health
(`retriever.animals`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import islice, takewhile
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import numpy as np

from retriever import fusion
from retriever.abstain import Verdict, asks_nothing, evidence, judge
from retriever.acronyms import lowered as acronyms
from retriever.answerable import checked
from retriever.audience import url_type_words
from retriever.health_topics import cancer_words, missing_topics
from retriever.lifting import lone_term
from retriever.passing import lifted
from retriever.respelling import american
from retriever.searchers import FUSED, Signals
from retriever.tokenization import STOPWORDS, Vocabulary, stem, zipf
from retriever.translation import NO_BRIDGES, Bridges
from retriever.wordpairs import segments

# A word typed before a cancer type's word names a kind of that type only when everyday English
# uses it less than this (Zipf; `names_subtype`): "mantle" (3.6), "diffuse" (3.3), "synovial"
# (2.4), not "adult" (4.8), "early" (5.4), "skin" (4.9), which the summaries' own questions type
# there. Read off those words; at 3.5 "mantle cell lymphoma" is answered from the mycosis
# fungoides summary again (docs/abstention.md, "A kind of the type").
SUBTYPE_ZIPF = 4.0
# The most words of a kind's name before its type's word: "diffuse large B-cell lymphoma".
NAME_WORDS = 4

# A refusal for a missing topic is judged again with a passage further down that names it put
# first, when every such topic is a word everyday English hardly uses (Zipf below this: a drug,
# a gene, a test, not "lung" or "bone") and none names a cancer (`names_a_cancer`). A staff
# trial's "rituximab side effects" was refused for "rituximab", which 58 passages of the corpus
# say (the first at rank 12). Over the 243 one-word drug names the summaries use, "<drug> side
# effects" was refused 32 times, then 5; "side effects of <drug>" 38, then 11. The validation
# summaries' 6,077 lay questions were refused 192 -> 190 (passage first +1), their 2,827
# near-misses and the seed's sets did not move. Without the cancer rule, near-misses naming a
# rare cancer ("neuroblastoma", mentioned in passing by other summaries) were answered: 56
# near-misses of a sample of 4,000 training questions (docs/abstention.md, "A rare topic
# further down").
FURTHER_ZIPF = 2.5
# How far down the passage that names the topic may be: the staff trial's was 12th.
FURTHER_DEPTH = 20

if TYPE_CHECKING:
    from retriever.models import Chunk
    from retriever.scope import Scope
    from retriever.search import Retriever


def judge_passages(r: Retriever, sig: Signals, chosen: list[int]) -> Verdict:
    """Whether the first of the ``chosen`` passages answer the question, from the evidence they give."""
    s, plan, top = r.settings, sig.query.plan, chosen[:r.settings.abstain_depth]
    allowed = sig.query.allowed
    if allowed is not None and not allowed.any():  # a filter the question's "non" left empty: nothing to judge
        return Verdict(True, 0.0, [], None)
    vector = sig.query.vector
    # the judged passages' own cosines: keyword mode's nearest passage is often not among them
    best = float(max([-1.0, *(r.vectors[top] @ vector), *map(sig.sentences.best, top)]))
    passages = [(r.chunks[i].text, r.words.of(i), r.words.own(i)) for i in top]
    row = one_summary(r, allowed)
    if (filed := filed_under(r, row)) is not None and not another_kind(r, row, plan.dense_text, filed,
                                                                      [own for *_, own in passages]):
        passages = [(text, vocabulary, Vocabulary.union([own, filed])) for text, vocabulary, own in passages]
    covered = r.scope.covered(plan, top)  # cancers a summary about cancers in general answers for
    other = r.scope.unnamed(plan, top, [own for *_, own in passages], sig.query.allowed, covered)  # not about
    everyday = s.domain_check and r.domain is not None and r.domain.everyday(vector)
    animal = s.animal_check and r.animals is not None and r.animals.about_animal(vector) and not looked_up(r, plan, top)
    topics = [t for t in plan.topics if t not in covered]
    ev, missing = evidence(plan.dense_text, best, passages, plan.terms, topics, plan.figures, everyday, other, animal,
                           bridges(r).of(topics, plan.dense_text))
    verdict = judge(ev, missing, r.calibration, r.threshold, s.missing_penalty, s.all_terms_floor,
                    nothing_asked=asks_nothing(plan.dense_text, plan.terms))
    check = r.answer_check if s.answer_check and top and plan.terms else None  # "thanks": nothing to read
    first = r.vectors[top[0]] if top else None  # keyword mode finds none for a word no passage holds
    verdict = checked(verdict, check, vector, first, r.threshold, plan.text)
    lift = r.passing if s.passing_check and sig.fused == FUSED["hybrid"] else None  # fitted on hybrid's
    return lifted(verdict, lift, vector, first, r.threshold, plan, other, r.embedder.encode_query)


def judge_or_look_further(r: Retriever, sig: Signals, scores: dict[int, float],
                           chosen: list[int]) -> tuple[list[int], dict[int, float], Verdict]:
    """`judge_passages` of ``chosen``; when that refuses only for rare topics (`FURTHER_ZIPF`),
    the passages with the best of the first `FURTHER_DEPTH` that names them all put first, if
    that answers, and its score raised above every other. ``scores``: every candidate's, from
    which ``chosen`` was taken.

    Over several summaries only: a drug has passages of its own in the summaries that use it.
    In one summary a word its first passages miss is named in passing, and the refusal page
    says where ("what is octreotide scan" of the seed: the hormone therapy section names the
    drug and says nothing of a scan; a patient's trial, `service.gaps`)."""
    verdict = judge_passages(r, sig, chosen)
    ev = verdict.evidence
    if not (verdict.abstained and ev and ev.topics_missing) or len(verdict.missing) > len(ev.topics_missing) \
            or not all(" " not in t and zipf(t) < FURTHER_ZIPF and not names_a_cancer(t) for t in ev.topics_missing):
        return chosen, scores, verdict  # something besides such topics is missing: a figure, everyday, an animal
    if not r.scope.several(sig.query.allowed):  # one summary: the page says where it names the word
        return chosen, scores, verdict
    top = chosen[:r.settings.abstain_depth]
    named = next((i for i in r.order(scores, FURTHER_DEPTH) if i not in top
                  and not missing_topics(ev.topics_missing, r.words.own(i))), None)
    if named is None:
        return chosen, scores, verdict
    again = [named, *(i for i in chosen if i != named)][:len(chosen)]
    second = judge_passages(r, sig, again)
    return (chosen, scores, verdict) if second.abstained else (again, fusion.lift(scores, {named: 1}), second)


@lru_cache(maxsize=1)
def _cancer_stems() -> frozenset[str]:
    return frozenset(map(stem, cancer_words()))


def names_a_cancer(word: str) -> bool:
    """Whether ``word`` is one of the summaries' cancer words (`health_topics.cancer_words`), in
    any form or as its ending ("leiomyosarcoma"): a near-miss names its own cancer, which other
    summaries mention in passing, and no passage doing so answers it."""
    return stem(word) in _cancer_stems() or any(word.endswith(w) for w in cancer_words() if len(w) >= 5)


def looked_up(r: Retriever, plan, top: list[int]) -> bool:
    """Whether the search is one word that the first passages hold (`lifting.lone_term`) and
    that names a drug, a gene or a test: a word everyday English hardly uses (`FURTHER_ZIPF`)
    or an acronym the summaries define, typed in capitals. Such a look-up is about people
    wherever a summary says it: the animal check read "vemurafenib" and "BUN" as a pet's
    health (a staff trial). "dog", "cat" or "hamster" typed alone stay judged by it, though
    passages on laboratory animals or "CAT scans" hold them (a review); none of its 1,908
    training questions is one word."""
    lone = lone_term(plan)
    if not lone:
        return False
    initials = plan.text.strip().isupper() and lone[0] in acronyms()  # "PET"; "pet" is a word (`retriever.acronyms`)
    return (zipf(lone[0]) < FURTHER_ZIPF or initials) and any(r.words.of(i).knows(w) for i in top for w in lone)


def filed_under(r: Retriever, row: int | None) -> Vocabulary | None:
    """The words of the cancer type PDQ files a search's summary under, when it searches one
    summary (``row``, one of its passages: `one_summary`), else None.

    The topic check, and the check for cancers the passages name (`Scope.unnamed`), read them
    beside its passages': "stage IA uterine cancer" asked of the endometrial cancer summary alone
    (filed under uterine) was refused for "uterine", which its first passages for it never say,
    "early skin lymphoma treatment" of the mycosis fungoides one (under lymphoma) for
    "lymphoma". Over several summaries they are not read: there they answered questions about a
    cancer whose summary was left out with another's passages ("uterine sarcoma prognosis" from
    the endometrial summary; docs/abstention.md, "The cancer type a summary is filed under")."""
    return None if row is None else _type_vocabulary(r.chunks[row].url)


def another_kind(r: Retriever, row: int, question: str, filed: Vocabulary, passages: list[Vocabulary]) -> bool:
    """Whether a search of one summary (``row``, one of its passages) names another kind of the
    type it is filed under (`names_subtype`), by the kinds its index's summaries name (`type_kinds`)."""
    kinds = _kinds_of(r, row)
    return bool(kinds) and names_subtype(question, filed, Vocabulary.union(passages),
                                         r.scope.summary(r.chunks[row].doc_id), kinds)


def names_subtype(question: str, filed: Vocabulary, passages: Vocabulary, summary: Vocabulary,
                  kinds: frozenset[str]) -> bool:
    """Whether the question names a kind of its type that the summary is not about: "mantle cell
    lymphoma" asked of the mycosis fungoides summary, "synovial sarcoma" of the GIST one. The
    type's words then do not stand for the ``passages``' own (`filed_under`).

    Such a kind is typed in the run of words just before a type word the passages never say
    (`_named_before`), as one of the type's ``kinds`` (`type_kinds`) that everyday English hardly
    uses (`SUBTYPE_ZIPF`) and that the ``summary`` (all of its passages) and the type never use,
    in either spelling: a name the summaries give a kind, not a symptom, a drug or a lay word
    ("tummy sarcoma"), nor a state every type is in ("relapsed lymphoma")."""
    unsaid = Vocabulary(w for w in filed.words if not passages.knows(w))
    return any(zipf(w) < SUBTYPE_ZIPF and w in kinds
               and not any(v.knows(form) for v in (summary, filed) for form in (w, *american(w)))
               for w in _named_before(question, unsaid))


def _in_name(word: str) -> bool:
    """Whether ``word`` may be part of a name typed before a type's word: a letter other than a
    word ("t-cell", "waldenstrom's"; not "a"), or no stop word, number, size ("1cm") or stage ("iiia")."""
    if len(word) == 1:
        return word not in "ai"
    return not (word in STOPWORDS or any(c.isdigit() for c in word) or _STAGE.match(word))


_STAGE = re.compile(r"^[ivx]+[a-d]?$")


def one_summary(r: Retriever, allowed: np.ndarray | None) -> int | None:
    """A row of the summary a search reads, when it reads one (the index's only one, or a filter's), else None."""
    if allowed is None:
        return 0 if len(r.manifest.documents) == 1 and r.chunks else None
    rows = np.flatnonzero(allowed)
    return int(rows[0]) if len(rows) and (r.doc_ids[rows] == r.doc_ids[rows[0]]).all() else None


def _kinds_of(r: Retriever, row: int) -> frozenset[str] | None:
    """The kinds of the cancer type of passage ``row``'s summary that its index names
    (`index_kinds`), or None for a summary under no type."""
    return index_kinds(r).get(url_type_words(r.chunks[row].url))


def index_kinds(r: Retriever) -> dict[str, frozenset[str]]:
    """`type_kinds` of ``r``'s index, read once (0.27 s for the corpus; `Retriever.warm_up` reads
    it) and kept by the index's scope, which copies of the retriever share (`_KINDS`)."""
    kinds = _KINDS.get(r.scope)
    if kinds is None:
        kinds = _KINDS[r.scope] = type_kinds(r.chunks)
    return kinds


# Each index's `type_kinds`, gone with the index (a reload's old one is not kept alive).
_KINDS: WeakKeyDictionary[Scope, dict[str, frozenset[str]]] = WeakKeyDictionary()


def type_kinds(chunks: Iterable[Chunk]) -> dict[str, frozenset[str]]:
    """Each cancer type's kinds, as its summaries name them: the words they put just before a
    word of their type ("mantle cell lymphoma", "synovial sarcoma"). A word that a summary of
    another type puts before its own is no kind: it says a state every type is in ("relapsed",
    "refractory", "localized", "invasive")."""
    named: dict[str, set[str]] = {}
    types_of: dict[str, set[str]] = {}
    for c in chunks:
        if typed := _type_vocabulary(c.url):
            filed = url_type_words(c.url)
            for w in _named_before(c.text, typed):
                named.setdefault(filed, set()).add(w)
                types_of.setdefault(w, set()).add(filed)
    return {filed: frozenset(w for w in ws if len(types_of[w]) == 1) for filed, ws in named.items()}


def _named_before(text: str, typed: Vocabulary) -> set[str]:
    """The words of ``text`` in a run of at most `NAME_WORDS` just before a word of the type
    ``typed`` (not a stop word: "head and neck"), within a stretch between punctuation."""
    return {w for ws in segments(text) for i, t in enumerate(ws)
            if t not in STOPWORDS and (t in typed.words or stem(t) in typed.stems)
            for w in islice(takewhile(_in_name, reversed(ws[:i])), NAME_WORDS)}


@lru_cache(maxsize=256)
def _type_vocabulary(url: str) -> Vocabulary | None:
    """`url_type_words` in every form, made once per summary: every search of it asks."""
    typed = url_type_words(url).split()
    return Vocabulary(typed) if typed else None


def unmentioned(r: Retriever, verdict: Verdict, shown: list[int], question: str) -> list[str]:
    """An answer's missing topics that none of the ``shown`` passages mentions either: the verdict
    reads the first `abstain_depth` passages, and a staff search of ten listed "PSA" as one the
    passages don't mention, beside a ninth passage that does. A refusal's are left as they are."""
    ev = verdict.evidence
    if verdict.abstained or ev is None or not ev.topics_missing or len(shown) <= r.settings.abstain_depth:
        return verdict.missing
    still = set(missing_topics(ev.topics_missing, Vocabulary.union(r.words.own(i) for i in shown),
                               bridges=bridges(r).of(ev.topics_missing, question)))
    return [m for m in verdict.missing if m not in ev.topics_missing or m in still]


def bridges(r: Retriever) -> Bridges:
    """The other names of lay words that the ranker's translation table learned
    (`TranslationTable.bridges`): none without the ranker, which ships the table."""
    return getattr(r.reranker, "bridges", NO_BRIDGES)
