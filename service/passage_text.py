"""A passage's text as blocks (paragraphs, nested lists) of marked segments.

Ingest writes list items as ``- text`` or ``3. text`` lines, two spaces of indent per
nesting level, with a blank line between paragraphs. Pages show them as real lists, so
a list reads as one; every piece of text stays a plain string that the template escapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retriever.text import LIST_MARKER, drop_invisible, strip_accents
from retriever.tokenization import content_words, negated, stem

_WORD = re.compile(r"[^\W_]+")
# A list line: indentation (two spaces a level, as ingest writes it), marker, text.


@dataclass(frozen=True)
class Segment:
    """A run of passage text; ``best`` is in a best-matching sentence, ``term`` a query word."""

    text: str
    best: bool = False
    term: bool = False


def _merge(spans) -> list[tuple[int, int]]:
    """Spans as sorted, non-overlapping ``(start, end)`` pairs (objects, dicts or tuples)."""
    pairs = []
    for span in spans or ():
        if hasattr(span, "start"):
            start, end = span.start, span.end
        elif isinstance(span, dict):
            start, end = span["start"], span["end"]
        else:
            start, end = span
        pairs.append((int(start), int(end)))
    merged: list[list[int]] = []
    for start, end in sorted(p for p in pairs if p[0] < p[1]):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def marked(text: str, best, terms=(), lo: int = 0, hi: int | None = None) -> list[Segment]:
    """``text[lo:hi]`` as consecutive segments, each with its marks.

    Spans are clamped, sorted and merged, so overlapping or out-of-range offsets degrade
    to less marking, never to lost or repeated text: the segments join to ``text[lo:hi]``.
    """
    hi = len(text) if hi is None else hi
    best, terms = _merge(best), _merge(terms)
    cuts = sorted({lo, hi, *(p for a, b in best + terms for p in (a, b) if lo < p < hi)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        seg = Segment(text[a:b], _inside(a, best), _inside(a, terms))
        if out and (out[-1].best, out[-1].term) == (seg.best, seg.term):
            seg = Segment(out.pop().text + seg.text, seg.best, seg.term)
        out.append(seg)
    return out


def segments(text: str, highlights) -> list[tuple[str, bool]]:
    """``(segment, marked)`` pairs covering all of ``text`` (highlights only)."""
    return [(s.text, s.best) for s in marked(text, highlights)]


def term_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where the query's own content words (by stem, accents aside) stand in ``text``, "non"
    read with the word after it as the keyword index reads it: "hodgkin" does not mark the
    "Hodgkin" of "non-Hodgkin", and "nonhodgkin" marks "non-Hodgkin" whole."""
    stems = {stem(w) for w in negated(content_words(drop_invisible(query)))}
    found = list(_WORD.finditer(text))
    spans, i = [], 0
    while i < len(found):
        m = found[i]
        word, step = strip_accents(m.group().lower()), 1
        if word == "non" and i + 1 < len(found):
            word, step = word + strip_accents(found[i + 1].group().lower()), 2
        if stem(word) in stems:
            spans.append((m.start(), found[i + step - 1].end()))
        i += step
    return spans


@dataclass(frozen=True)
class Paragraph:
    """Lines of running text (a table row or a verse keeps its own line)."""

    lines: list[list[Segment]]
    kind = "paragraph"


@dataclass(frozen=True)
class ListItem:
    segments: list[Segment]
    lists: list[ListBlock] = field(default_factory=list)


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: list[ListItem] = field(default_factory=list)
    kind = "list"


def _add_item(blocks: list, stack: list[ListBlock], level: int, ordered: bool, number: int,
              segs: list[Segment]) -> None:
    """Append an item at ``level``, opening or closing nested lists as the indent says."""
    level = min(level, len(stack))  # a list cannot skip a level
    del stack[level + 1:]
    if level == len(stack) or stack[level].ordered != ordered:
        new = ListBlock(ordered, number)
        if level == 0:
            blocks.append(new)
        else:
            stack[level - 1].items[-1].lists.append(new)
        stack[level:] = [new]
    stack[level].items.append(ListItem(segs))


def passage_blocks(text: str, best=(), terms=()) -> list[Paragraph | ListBlock]:
    """The passage as paragraphs and (nested) lists, every piece of text marked.

    Ingest writes list items as ``- text`` or ``3. text`` lines, two spaces of indent per
    nesting level, and separates paragraphs with a blank line.
    """
    blocks: list[Paragraph | ListBlock] = []
    stack: list[ListBlock] = []
    para: Paragraph | None = None
    pos = 0
    for line in text.split("\n"):
        lo, hi = pos, pos + len(line)
        pos = hi + 1
        if not line.strip():
            stack, para = [], None
            continue
        m = LIST_MARKER.match(line)
        if m:
            para = None
            number = int(m.group(2)[:-1]) if m.group(2) != "-" else 1
            _add_item(blocks, stack, len(m.group(1)) // 2, m.group(2) != "-", number,
                      marked(text, best, terms, lo + m.end(), hi))
            continue
        start = lo + len(line) - len(line.lstrip())
        if stack and line.startswith(" "):  # more text of the last item
            stack[-1].items[-1].segments.extend([Segment(" "), *marked(text, best, terms, start, hi)])
            continue
        stack = []
        if para is None:
            para = Paragraph([])
            blocks.append(para)
        para.lines.append(marked(text, best, terms, start, hi))
    return blocks


def _segments_of(blocks) -> list[Segment]:
    """Every segment of ``blocks`` in reading order, a space between lines and items."""
    out: list[Segment] = []
    for block in blocks:
        rows = block.lines if block.kind == "paragraph" else _item_rows(block)
        for row in rows:
            out += [Segment(" "), *row]
    return out


def _item_rows(block: ListBlock) -> list[list[Segment]]:
    rows = []
    for item in block.items:
        rows.append(item.segments)
        for sub in item.lists:
            rows += _item_rows(sub)
    return rows


def snippet(blocks, limit: int = 200) -> list[Segment]:
    """The marked (best-matching) text of a passage for the compact list; else its opening."""
    segs = _segments_of(blocks)
    if any(s.best for s in segs):
        out: list[Segment] = []
        for prev, s in zip([None, *segs], segs):
            if s.best:
                if out and not (prev and prev.best):
                    out.append(Segment(" … "))  # marked lines apart in the passage stay apart
                out.append(s)
        return out
    out, used = [], 0
    for s in segs:
        if used >= limit:
            out.append(Segment(" …"))
            break
        out.append(Segment(s.text[:limit - used], term=s.term))
        used += len(s.text)
    return out[1:] if out and out[0].text == " " else out
