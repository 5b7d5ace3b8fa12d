"""Turn a retriever `Hit` into what a page or the API shows: breadcrumb, marked text, links.

Nothing here builds HTML. A passage becomes a small structure (blocks: paragraphs and
nested lists; items; segments of text with their marks) and the templates escape every
segment on its own, so document text (or anything else) can never inject markup,
whatever offsets the highlighter returns.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from retriever.abstain import MIN_QUERY_CHARS, few_stop_words
from retriever.cancer_types import types_of
from retriever.citation import citation_line
from retriever.models import Hit, SearchResult
from retriever.text import drop_invisible, iso_date, replace_word, strip_list_marker
from retriever.text import short_title as plain_title
from retriever.tokenization import not_in_english, zipf
from service.notices import slips
from service.passage_text import ListBlock, Paragraph, Segment, passage_blocks, snippet, term_spans
from service.schemas import Result, Span

# Words that decorate a PDQ title or top heading without changing what it names:
# "X Treatment - NCI" and "X Treatment (PDQ®)–Patient Version" are the same document.
_DECORATION = {"nci", "pdq", "patient", "version", "health", "professional"}
_WORD = re.compile(r"[^\W_]+")
# A PDQ page's top heading ends with its version: "Osteosarcoma Treatment (PDQ®)–Patient
# Version" heads the page titled "Osteosarcoma and UPS of Bone Treatment - NCI". 21 of the
# corpus's 169 summaries word the two differently ("&" / "and", "CNS" / "Central Nervous System").
_PDQ_TOP_HEADING = re.compile(r"\(PDQ®?\)\s*[–—-]\s*(patient|health professional) version\s*$", re.IGNORECASE)


def _core_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in _DECORATION]


def repeats_title(heading: str, title: str) -> bool:
    """True when a heading is the document title again, give or take decorations, or is a
    PDQ page's top heading, which names the page however its title words it."""
    a, b = _core_words(heading), _core_words(title)
    return (bool(a) and a == b) or bool(_PDQ_TOP_HEADING.search(heading))


def section_path(title: str, heading_path: list[str]) -> list[str]:
    """The headings below the title: a first heading that repeats the title is dropped."""
    path = [h for h in heading_path if h.strip()]
    if path and (path[0] == title or repeats_title(path[0], title)):
        path = path[1:]
    return path


def breadcrumb(title: str, heading_path: list[str]) -> list[str]:
    """``[title, section, subsection, ...]`` for display."""
    return [title, *section_path(title, heading_path)] if title else section_path(title, heading_path)


def short_title(title: str) -> str:
    """"Melanoma Treatment" for "Melanoma Treatment - NCI": what a reader scans for."""
    return plain_title(title) or title


# -- links and citations ------------------------------------------------------------------


def safe_link(url: str) -> str:
    """The URL if it is http(s), else "" (a ``javascript:`` link in a document stays dead)."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""


def link_host(url: str) -> str:
    """``cancer.gov`` for ``https://www.cancer.gov/...``: the "Read this on ..." label."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host[4:] if host.startswith("www.") else host


def citation(hit: Hit) -> str:
    """"Title — Section > Path — link" for one hit, as staff paste it."""
    c = hit.chunk
    link = safe_link(hit.link) or safe_link(c.url)
    return citation_line(c.title, section_path(c.title, c.heading_path), link)


def api_result(hit: Hit) -> Result:
    """A hit as the API returns it: the one place a hit is shaped for clients."""
    c = hit.chunk
    return Result(rank=hit.rank, score=round(float(hit.score), 6), id=c.id, doc_id=c.doc_id, source=c.source,
                  title=c.title, url=c.url, link=hit.link, heading_path=list(c.heading_path),
                  section=c.section, text=c.text, cancer_types=list(types_of(c)),
                  highlights=[Span(start=int(s.start), end=int(s.end)) for s in hit.highlights],
                  citation=citation(hit), last_reviewed=iso_date(c.last_reviewed), found_by=list(hit.found_by),
                  continues_in=list(hit.continues_in), continues_at=list(hit.continues_at))


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def review_date(text: str) -> str:
    """"30 December 2025" for "2025-12-30", "" for none: written out, a day and a month cannot
    be read the wrong way round. An index built before ingest checked ``lastReviewed`` may
    hold any text, which is not shown as a date (`iso_date`)."""
    if not (iso := iso_date(text)):
        return ""
    d = datetime.date.fromisoformat(iso)
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


# How the staff page names the rankings a passage was found by.
RANKING_NAMES = {"dense": "meaning", "bm25": "keywords", "sentence": "best sentence"}


@dataclass(frozen=True)
class PassageView:
    """What the templates need to show one passage."""

    rank: int
    score: float
    doc_id: str
    title: str
    crumbs: list[str]
    blocks: list[Paragraph | ListBlock]
    url: str
    link: str
    host: str
    citation: str
    show_title: bool = True
    reviewed: str = ""  # "30 December 2025": how fresh the advice is, beside its summary's title
    snippet: list[Segment] = field(default_factory=list)
    found_by: tuple[str, ...] = ()
    continues_in: tuple[str, ...] = ()
    continues_at: tuple[str, ...] = ()  # a link for each of ``continues_in`` (safe_link'ed)
    # Its opening words, where another passage shown beside it has the same section path: their
    # headings and links would otherwise read the same to a screen reader.
    opening: str = ""
    # What its link's label names: the section, and its summary where a passage of another
    # summary shown beside it has a section of that name ("Chemotherapy" in four summaries).
    link_name: str = ""

    def opening_after(self, name: str) -> str:
        """What a screen reader hears after ``name`` (a heading, a link's name) to tell this
        passage from another of its section: a new sentence after a heading that ends one
        ("…used to diagnose GI neuroendocrine tumors." was read "tumors., the passage beginning")."""
        if not self.opening:
            return ""
        lead = " The" if name.rstrip().endswith((".", "?", "!", ":")) else ", the"
        return f"{lead} passage beginning “{self.opening}”"


# Words of a passage's opening that tell it from another passage of its section.
OPENING_WORDS = 8


def _opening(text: str) -> str:
    opening = [w for w in strip_list_marker(text.lstrip()).split() if any(ch.isalnum() for ch in w)]  # no "|"
    return " ".join(opening[:OPENING_WORDS]) + ("…" if len(opening) > OPENING_WORDS else "")


def passage_views(hits: list[Hit], query: str = "") -> list[PassageView]:
    """Views of ranked hits; a summary's title is shown where its run of passages starts.

    ``query`` (staff page) marks the query's own words as well as the best sentences.
    """
    views = []
    paths = [tuple(h.chunk.heading_path) for h in hits]
    crumbs = [section_path(h.chunk.title, h.chunk.heading_path) or [short_title(h.chunk.title)] for h in hits]
    for i, hit in enumerate(hits):
        c = hit.chunk
        shared = any(cr[-1] == crumbs[i][-1] and h.chunk.doc_id != c.doc_id for cr, h in zip(crumbs, hits))
        link = safe_link(hit.link) or safe_link(c.url)
        terms = term_spans(c.text, query) if query else ()
        blocks = passage_blocks(c.text, hit.highlights, terms)
        views.append(PassageView(
            rank=hit.rank, score=float(hit.score), doc_id=c.doc_id, title=short_title(c.title),
            crumbs=crumbs[i], link_name=crumbs[i][-1] + (f" in {short_title(c.title)}" if shared else ""),
            blocks=blocks, url=safe_link(c.url), link=link, host=link_host(link), citation=citation(hit),
            show_title=i == 0 or hits[i - 1].chunk.doc_id != c.doc_id, reviewed=review_date(c.last_reviewed),
            snippet=snippet(blocks),
            found_by=tuple(RANKING_NAMES.get(f, f) for f in hit.found_by), continues_in=hit.continues_in,
            continues_at=tuple(safe_link(u) for u in hit.continues_at),
            opening=_opening(c.text) if paths.count(paths[i]) > 1 else ""))
    return views


def corrected(query: str, corrections: dict[str, str]) -> str:
    """The question with each corrected word replaced, or "" when nothing was corrected; read
    without invisible characters, as the planner read it ("carci\\u00adnod" was corrected as
    "carcinod")."""
    typed = drop_invisible(query)
    shown = typed
    for wrong, right in corrections.items():
        shown = replace_word(shown, wrong, right, keep_case=True)
    return shown if shown != typed else ""


# Longer than this, a question is not shown again whole for a word or two corrected: one
# "tumour" -> "tumor" in a 300-character story sent the reader hunting for what changed.
WHOLE_QUESTION_WORDS = 12


# A word typed at least this common in English is another word ("trails" for trials), not a
# slip ("tumer" 0, "kemo" 1.8); a British spelling ("diarrhoea" 3.0) is not said at all (`slips`).
ENGLISH_AS_TYPED_ZIPF = 2.0


def read_as(query: str, corrections: dict[str, str]) -> list[tuple[str, str]]:
    """The corrections a page names (`slips`) as (typed, read) pairs when the question is too
    long to be shown again whole (`WHOLE_QUESTION_WORDS`) or every word changed is English as
    typed: "Showing results for ... trials" told a reader who wrote "trails" it was a mistake.
    [] when the question is shown whole, or nothing changed."""
    if not corrected(query, corrections := slips(corrections)):
        return []
    spellings = all(zipf(typed) >= ENGLISH_AS_TYPED_ZIPF for typed in corrections)
    return list(corrections.items()) if spellings or len(query.split()) > WHOLE_QUESTION_WORDS else []


def question_hints(query: str, result: SearchResult, summaries: int = 2) -> list[str]:
    """What the asker can do about what the question's own form explains: a question in
    another script or language meets the English passages only through the model's few
    words of it ("肺癌", "¿cuáles son los síntomas?"), refused or answered (a trial's Spanish
    question got a passage with no word on it); a letter or a few stop words ask nothing.
    ``summaries``: how many the index holds, so that one is not called several."""
    typed = unicodedata.normalize("NFKC", query)  # full-width "ＦＬＵ" is Latin, as the search reads it
    if not_in_english(typed):
        searched = "The summaries we search are" if summaries != 1 else "The summary we search is"
        found = "an answer" if result.abstained else "a better answer"
        return [f"{searched} written in English, so asking in English may find {found}."]
    searched = corrected(typed, result.corrections) or typed  # "whta is it" is searched as "what is it"
    if result.abstained and (sum(ch.isalnum() for ch in typed) < MIN_QUERY_CHARS or few_stop_words(searched)):
        return ["Your question is very short. A few more words will help us find the right passage."]
    return []


def shown_confidence(result: SearchResult, digits: int = 3) -> float:
    """The confidence as shown beside the threshold: from 0 (the hand rule's cosine less
    penalties can fall below it), rounded down, so that a refused 0.3399 never shows as the
    threshold 0.34 it fell short of."""
    scale = 10 ** digits
    return math.floor(max(result.confidence, 0.0) * scale + 1e-9) / scale
