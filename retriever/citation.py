"""Links that land a browser on the passage itself, with a URL text fragment.

A text fragment (``#:~:text=[prefix-,]textStart[,textEnd][,-suffix]``, URL Fragment Text
Directives) scrolls to the *first* place in the page that matches. A passage's opening
words often stand elsewhere in its summary too ("Surgery (resection) to remove ..."
starts a dozen list items), so a link built from them alone can land on the wrong
passage. `document_links` therefore reads each passage against the whole document's
text and grows the fragment until it matches once, at the passage.

The document's text is rebuilt from its chunks in order: each new heading, then the
passage's lines without list markers (a browser does not render "- " as text), table
cells apart. A term never spans two of these blocks, because a browser matches a term
inside one block only. A paragraph that ingest dropped as a repeat stands earlier in
the document, in the passage that kept it: a browser, which takes the first match, lands
there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from retriever.text import squash, strip_list_marker

FRAGMENT_WORDS = 8
# How many words a prefix term may grow to before giving up on it.
MAX_TERM_WORDS = 12
FIRST_TERM_WORDS = 4
END_TERM_WORDS = 3
# The start and the end may take their whole line (a list item, a sentence) up to this many
# words: a line that opens or closes like another for 12 words and more ("Blood chemistry
# studies use a blood sample to check the amounts of certain substances ...", six times in
# the late-effects summary; "... the rectum, and part of the colon through an incision made
# in the abdomen.", closing two items of the seed's rectum passage) is told apart only
# further in. Like any term, a long one must read on the live page as in the summary's
# markdown, or the browser drops the whole directive. Over the corpus, links that match
# nowhere or away from their passage: 66 of 7,875 with 12-word terms, 39 with these.
MAX_LINE_WORDS = 40
# A template's blank ("Updated <MM/DD/YYYY>", in every summary's citation passage), which
# the live page fills in: a term holding one matches nowhere there, and the browser drops
# the whole directive. A start stops short of it; an end takes only the words after it.
_PLACEHOLDER = re.compile(r"<[^<>\s]+>")


def _encode(text: str) -> str:
    # '-', ',' and '&' are syntax inside a text directive and must be percent-encoded.
    return quote(text, safe="").replace("-", "%2D")


def text_blocks(text: str) -> list[str]:
    """A passage as a browser shows it: one block per line or table cell, markers gone."""
    out = []
    for line in text.splitlines():
        for cell in line.split(" | "):
            cell = squash(strip_list_marker(cell))
            if cell:
                out.append(cell)
    return out


class DocumentText:
    """A document as blocks of visible text, searched the way a browser finds a fragment.

    Matching is case-insensitive, whitespace-collapsed and bounded by word edges; one
    lower-cased string with a newline between blocks keeps every match inside a block.
    """

    def __init__(self, blocks: list[str]):
        self.blocks = blocks
        self.starts: list[int] = []
        pos = 0
        for b in blocks:
            self.starts.append(pos)
            pos += len(b) + 1
        self.folded = "\n".join(b.lower() for b in blocks)

    def find(self, term: str, pos: int = 0) -> list[int]:
        """Offsets of every word-bounded occurrence of ``term`` at or after ``pos``.

        ``str.find`` then an edge check: a regex over a long summary per term made
        loading the 169-summary index seconds slower.
        """
        t, text, out = term.lower(), self.folded, []
        i = text.find(t, pos)
        while i >= 0:
            if self._bounded(i, i + len(t)):
                out.append(i)
            i = text.find(t, i + 1)
        return out

    def _bounded(self, start: int, end: int) -> bool:
        text = self.folded
        return ((start == 0 or not (_wordish(text[start - 1]) and _wordish(text[start])))
                and (end == len(text) or not (_wordish(text[end - 1]) and _wordish(text[end]))))

    def preceded_by(self, pos: int, prefix: str) -> bool:
        """True when ``prefix`` ends right before ``pos``, with only whitespace between."""
        before = self.folded[:pos].rstrip()
        p = prefix.lower()
        return before.endswith(p) and not (len(before) > len(p) and before[-len(p) - 1].isalnum())

    def end_after(self, pos: int, end: str) -> int:
        """Where the first occurrence of ``end`` at or after ``pos`` ends, or -1."""
        t, text = end.lower(), self.folded
        i = text.find(t, pos)
        while i >= 0 and not self._bounded(i, i + len(t)):
            i = text.find(t, i + 1)
        return i + len(t) if i >= 0 else -1


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _blanks(words: list[str]) -> list[int]:
    """Where ``words`` hold a template's blank (`_PLACEHOLDER`)."""
    return [i for i, w in enumerate(words) if _PLACEHOLDER.search(w)]


def _terms(words: list[str], first: int) -> Iterable[str]:
    """Growing terms from ``words``: ``first`` words, one more each time, up to the line's cap
    or a template's blank."""
    stop = min([len(words), MAX_LINE_WORDS, *_blanks(words)])
    for n in range(min(first, stop), stop + 1):
        yield " ".join(words[:n])


def _start_terms(doc: DocumentText, first: int) -> tuple[str, str, int]:
    """The shortest opening term (with a prefix if needed) that occurs once, at ``first``.

    Returns ``(prefix, start, offset of the match)``; start is "" when nothing tried is
    unique. A prefix is the last words of the block before (a heading, mostly), and only
    used when needed: the block before in the page may be a repeat the index dropped.
    """
    at = doc.starts[first]
    terms = list(_terms(doc.blocks[first].split(), FIRST_TERM_WORDS))
    if not terms or not terms[0]:  # the block opens on a template's blank
        return "", "", at
    for start in terms:
        if doc.find(start) == [at]:
            return "", start, at
    before = doc.blocks[first - 1].split() if first > 0 else []
    for start in (terms[0], terms[-1]):
        hits = doc.find(start)
        for n in range(1, min(len(before), MAX_TERM_WORDS) + 1):
            prefix = " ".join(before[-n:])
            if [h for h in hits if doc.preceded_by(h, prefix)] == [at]:
                return prefix, start, at
    return "", "", at


def _end_term(doc: DocumentText, start_end: int, last: int) -> str:
    """Closing words of block ``last`` that a match starting before ``start_end`` ends on."""
    words = doc.blocks[last].split()
    # after the last blank: "Accessed <MM/DD/YYYY>. [PMID: 26389212]" ends on "[PMID: 26389212]"
    words = words[max(_blanks(words), default=-1) + 1:]
    if not words:
        return ""
    target = doc.starts[last] + len(doc.blocks[last])
    for n in range(min(END_TERM_WORDS, len(words)), min(len(words), MAX_LINE_WORDS) + 1):
        end = " ".join(words[-n:])
        if doc.end_after(start_end, end) == target:
            return end
    return ""


def fragment(doc: DocumentText, first: int, last: int) -> str:
    """The text directive (without ``#:~:text=``) for blocks ``first..last`` of ``doc``.

    It matches once in the document, at the passage, when any directive tried does. When no
    opening term is unique (37 of the corpus's 7,890 passages: "In stage III, one of the
    following is true:"), the link still starts at the passage where the opening words
    first stand there, and otherwise at the first later line of the passage that can be
    told apart: a browser goes to the first match, which for the opening words alone was
    another section's in 21 of them. Only when neither holds is it the opening words alone
    (the old behaviour). A textEnd is added when the passage runs past its start, so the
    browser marks all of it.
    """
    opening, (prefix, start, at) = first, _start_terms(doc, first)
    if not start:
        words = doc.blocks[first].split()
        blanks = _blanks(words)  # the opening words, short of any blank: a term holding one matches nowhere
        words = words[:min(blanks, default=len(words))] or [w for i, w in enumerate(words) if i not in blanks]
        start = " ".join(words[:FRAGMENT_WORDS])
        if not start or doc.find(start)[:1] != [at]:
            later = next(((b, found) for b in range(first + 1, last + 1) if (found := _start_terms(doc, b))[1]), None)
            if later is None:  # an end would only stretch the mark from wherever the browser lands
                return _encode(start)
            opening, (prefix, start, at) = later
    start_end = at + len(start)
    end = ""
    if last > opening or len(start) < len(doc.blocks[opening]):
        end = _end_term(doc, start_end, last)
        if end and doc.starts[last] + len(doc.blocks[last]) - len(end) < start_end:
            end = ""  # the end term would overlap the start term
    parts = ([_encode(prefix) + "-"] if prefix else []) + [_encode(start)] + ([_encode(end)] if end else [])
    return ",".join(parts)


def _new_headings(previous: list[str], path: list[str]) -> list[str]:
    same = 0
    while same < min(len(previous), len(path)) and previous[same] == path[same]:
        same += 1
    return [h for h in path[same:] if h.strip()]


def document_links(chunks) -> dict[str, str]:
    """A link with a unique text fragment for every chunk id, documents read in chunk order.

    Computed once when an index is loaded: it needs every chunk of a document.
    """
    by_doc: dict[str, list] = {}
    for c in chunks:
        by_doc.setdefault(c.doc_id, []).append(c)
    links: dict[str, str] = {}
    for doc_chunks in by_doc.values():
        blocks: list[str] = []
        spans: list[tuple[str, str, int, int]] = []
        previous: list[str] = []
        for c in doc_chunks:
            blocks += [squash(h) for h in _new_headings(previous, list(c.heading_path))]
            previous = list(c.heading_path)
            own = text_blocks(c.text)
            spans.append((c.id, c.url, len(blocks), len(blocks) + len(own) - 1))
            blocks += own
        doc = DocumentText(blocks)
        for chunk_id, url, first, last in spans:
            base = url.split("#", 1)[0] if url else ""
            links[chunk_id] = f"{base}#:~:text={fragment(doc, first, last)}" if base and last >= first else base
    return links


def continuations(chunks) -> dict[str, tuple[tuple[str, str], ...]]:
    """For a passage ending on a lead-in ("Check with your doctor if you have:") whose list
    is the sub-sections after it: each sub-section's heading and the id of its first
    passage, by chunk id.

    Ingest keeps a lead-in with a list it introduces; when the list items are sub-sections
    ("- **Duodenum**", ...), the reader is told where the passage continues instead, with a
    link to each.
    """
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for i, c in enumerate(chunks):
        if not c.text.rstrip().endswith(":"):
            continue
        depth, found = len(c.heading_path), {}
        for nxt in chunks[i + 1:]:
            if nxt.doc_id != c.doc_id or list(nxt.heading_path[:depth]) != list(c.heading_path):
                break
            if len(nxt.heading_path) == depth + 1:
                found.setdefault(nxt.heading_path[-1], nxt.id)
        if found:
            out[c.id] = tuple(found.items())
    return out


def citation_line(title: str, heading_path: list[str], link: str) -> str:
    """"Title — Section > Path — link", as staff paste it."""
    path = " > ".join(h for h in heading_path if h != title)
    return " — ".join(p for p in (title, path, link) if p)
