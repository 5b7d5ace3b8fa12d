"""What a page or the API says the passages lack: the words a refusal names, the figure or
provider asked for, the topics an answer was given without, and quoted phrases no passage holds.
"""

from __future__ import annotations

from retriever.abstain import ANIMAL, EVERYDAY, FIGURE
from retriever.models import SearchResult
from retriever.providers import PROVIDER
from retriever.quotes import quoted
from retriever.tokenization import EVERYDAY_ZIPF, NON_WORD_ZIPF, holds_phrase, zipf
from service.notices import as_typed

# What `missing` holds besides words: a figure, a hospital or doctor, a subject other than cancer, an animal.
MARKERS = (FIGURE, PROVIDER, EVERYDAY, ANIMAL)


def words_to_name(result: SearchResult) -> list[str]:
    """The missing words a refusal page names: every health topic the passages lack, and
    the question's other unused words only when they are not everyday English (rarer than
    `EVERYDAY_ZIPF`: "sleepy" 3.7, "painkillers" 3.1, "niacin" 2.5). When no passage uses
    any word of a question, every word counts as missing (`abstain.nothing_found`), and
    quoting "going, die" back to someone who asked "am I going to die" helps nobody. An
    answer names only the topics it was answered without (`retriever.passing`: named in passing)."""
    topics = set(result.evidence.topics_missing) if result.evidence else set()
    if not result.abstained:
        return [w for w in result.missing if w in topics]
    return [w for w in result.missing
            if w not in MARKERS and (w in topics or zipf(w) < EVERYDAY_ZIPF)]


def names_the_gap(result: SearchResult) -> bool:
    """Whether the words a refusal names say why, not "a subject other than cancer": a name
    English does not use ("streptozocin", a drug; the domain check, fitted on everyday
    questions, read it as one), or a query's one word when none is found ("NSE"). Such a
    search is refused for that word alone too (a missing topic vetoes; a word found nowhere
    costs `abstain.MISSING_PENALTY` under a cosine of 0.5): only what is said changes."""
    ev = result.evidence
    if ev is None or not ev.everyday:
        return False
    if any(zipf(w) < NON_WORD_ZIPF for w in ev.topics_missing):
        return True
    words = [w for w in result.missing if w not in MARKERS]
    return ev.nothing_found and len(words) == 1 and zipf(words[0]) < EVERYDAY_ZIPF


def not_covered(result: SearchResult) -> list[str]:
    """What a refusal says the documents lack (the API's ``not_covered``, the staff page's
    list): the words the patient page names, then the figure or provider asked for, and
    whether it is about something other than cancer (`names_the_gap`); for an answer, the
    topics named in passing it was given without (`retriever.passing`). A client may show it
    to the asker, so it holds no everyday word ("dad", "going"), and the words are written as
    the question writes them ("PRRT", as the patient page names it; `notices.as_typed`)."""
    if not result.abstained:
        return as_typed(result.query, words_to_name(result))
    markers = [m for m in MARKERS if m in result.missing]
    if EVERYDAY in markers and names_the_gap(result):
        markers.remove(EVERYDAY)
    return as_typed(result.query, words_to_name(result)) + markers


def phrases_not_found(query: str, result: SearchResult, shown: int | None = None) -> list[str]:
    """The phrases ``query`` quotes that no passage given (of the first ``shown``) holds word for
    word, so they match its other words only: trials searched "somatostatin receptor" and asked
    what "watchful waiting" is, which the seed never writes, and got passages with no sign of it."""
    hits = result.hits[:shown]
    if result.abstained or not hits:
        return []
    return [p for p in quoted(query) if not any(holds_phrase(h.chunk.text, p) for h in hits)]
