"""Turn a retriever `Hit` into what a page or the API shows: breadcrumb, marked text, links.

Nothing here builds HTML. Highlighted text becomes a list of ``(segment, marked)`` pairs
and the template escapes every segment on its own, so document text (or anything else)
can never inject markup, whatever offsets the highlighter returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from retriever.citation import citation_line
from retriever.models import Hit

# Words that decorate a PDQ title or top heading without changing what it names:
# "X Treatment - NCI" and "X Treatment (PDQ®)–Patient Version" are the same document.
_DECORATION = {"nci", "pdq", "patient", "version", "health", "professional"}
_WORD = re.compile(r"[^\W_]+")


def _core_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.casefold()) if w not in _DECORATION]


def repeats_title(heading: str, title: str) -> bool:
    """True when a heading is the document title again, give or take decorations."""
    a, b = _core_words(heading), _core_words(title)
    return bool(a) and a == b


def section_path(title: str, heading_path: list[str]) -> list[str]:
    """The headings below the title: a first heading that repeats the title is dropped."""
    path = [h for h in heading_path if h.strip()]
    if path and (path[0] == title or repeats_title(path[0], title)):
        path = path[1:]
    return path


def breadcrumb(title: str, heading_path: list[str]) -> list[str]:
    """``[title, section, subsection, ...]`` for display."""
    return [title, *section_path(title, heading_path)] if title else section_path(title, heading_path)


def segments(text: str, highlights) -> list[tuple[str, bool]]:
    """Split ``text`` into consecutive ``(segment, marked)`` pieces.

    Spans are clamped to the text, sorted and merged, so overlapping or out-of-range
    offsets degrade to less highlighting, never to lost or repeated text: joining the
    segments always gives back ``text`` exactly.
    """
    spans = []
    for span in highlights or ():
        start, end = (span.start, span.end) if hasattr(span, "start") else (span["start"], span["end"])
        start, end = max(0, int(start)), min(len(text), int(end))
        if start < end:
            spans.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in merged:
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


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


def result_dict(hit: Hit) -> dict:
    """A hit as the API returns it: the retriever's dict, plain ints, and the citation."""
    d = hit.to_dict()
    d["score"] = float(d["score"])
    d["highlights"] = [{"start": int(h["start"]), "end": int(h["end"])} for h in d["highlights"]]
    d["citation"] = citation(hit)
    return d


@dataclass(frozen=True)
class PassageView:
    """What the templates need to show one passage."""

    rank: int
    score: float
    crumbs: list[str]
    segments: list[tuple[str, bool]]
    url: str
    link: str
    host: str
    citation: str


def passage_view(hit: Hit) -> PassageView:
    c = hit.chunk
    link = safe_link(hit.link) or safe_link(c.url)
    return PassageView(rank=hit.rank, score=float(hit.score), crumbs=breadcrumb(c.title, c.heading_path),
                       segments=segments(c.text, hit.highlights), url=safe_link(c.url), link=link,
                       host=link_host(link), citation=citation(hit))
