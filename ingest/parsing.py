"""Turn a markdown body into sections of clean text blocks, using markdown-it-py tokens.

A section is the text under its deepest heading. Bold-only lines (``**Rectum**``, or a
one-item list ``- **Duodenum**``) act as sub-headings in PDQ summaries, so they open a
sub-section whose path keeps the bold text while ``section`` stays the markdown heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

from retriever.text import BARE_MARKER

DROPPED_LINK_TEXTS = {"enlarge"}
DROPPED_PARAGRAPHS = {"go to health professional version"}

_md = MarkdownIt("commonmark").enable("table")
# Where markdown-it stops reading: a block inside a container (a quote, a list item) that
# opens at this level would sit at its limit (``maxNesting``, 20), and the parser drops it and
# the rest of the file without a word, so such a document is refused with its line
# (`too_deep`). Nineteen quotes inside each other are read, and nine lists (two levels each:
# list, item); PDQ summaries nest three.
_LAST_LEVEL = _md.options.maxNesting - 1
_CONTAINERS = {"blockquote_open", "list_item_open"}
_ws = re.compile(r"[ \t\r\f\v\u00a0]+")
# HTML's phrasing tags, which run inside a line ("H<sub>2</sub>O", "<b>must</b>"): any other tag
# breaks it, a space where it stood ("four.<br>Children" was read "four.Children",
# "<dt>Parking</dt><dd>Free" "ParkingFree").
_INLINE_TAGS = frozenset("a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strong "
                         "sub sup time u var".split())
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def _breaks(tag: str) -> bool:
    """Whether the tag ``tag`` (its name, or a tag as written) breaks a line (`_INLINE_TAGS`)."""
    name = _TAG_NAME.match(tag if tag.startswith("<") else f"<{tag}")
    return bool(name) and name[1].lower() not in _INLINE_TAGS


@dataclass
class Section:
    heading_path: list[str]
    section: str
    blocks: list[str] = field(default_factory=list)


def _collapse(text: str) -> str:
    return _ws.sub(" ", text).strip()


def render_inline(token: Token) -> str:
    """Visible text of an inline token: links keep their text, images and "Enlarge" go."""
    out: list[str] = []
    skip_depth = 0
    children = token.children or []
    for i, child in enumerate(children):
        if child.type == "link_open":
            following = children[i + 1] if i + 1 < len(children) else None
            if skip_depth or (following is not None and following.type == "text"
                              and following.content.strip().lower() in DROPPED_LINK_TEXTS
                              and i + 2 < len(children) and children[i + 2].type == "link_close"):
                skip_depth += 1
            continue
        if child.type == "link_close":
            if skip_depth:
                skip_depth -= 1
            continue
        if skip_depth:
            continue
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (child.type == "html_inline" and _breaks(child.content)):
            out.append(" ")
        # images, html_inline, emphasis markers: no visible text of their own
    return _collapse("".join(out))


class _HtmlText(HTMLParser):
    """The text an HTML block shows, its tags read as breaks between words."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        self._hidden += tag in ("script", "style")
        self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style") and self._hidden > 0
        self._break(tag)

    def _break(self, tag: str) -> None:
        """A space for a tag that breaks a line or block (`_breaks`), none for one inside a
        word ("H<sub>2</sub>O", "Don<b>'</b>t"), as markdown's inline HTML is read."""
        if _breaks(tag):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The words of a raw HTML block (``<p>The ward phone is ...</p>``, ``<details>``): markdown
    keeps them, and a page shows them, but they were in no passage."""
    reader = _HtmlText()
    reader.feed(html)
    reader.close()
    return _collapse("".join(reader.parts))


def _bold_only(token: Token) -> str | None:
    """The bold text when an inline token is nothing but one ``**strong**`` run."""
    kids = [c for c in (token.children or []) if not (c.type == "text" and not c.content.strip())]
    if len(kids) >= 3 and kids[0].type == "strong_open" and kids[-1].type == "strong_close":
        inner = kids[1:-1]
        if all(c.type in ("text", "softbreak", "code_inline") for c in inner):
            text = _collapse("".join(c.content if c.type != "softbreak" else " " for c in inner))
            return text or None
    return None


def _render_list(tokens: list[Token], start: int) -> tuple[list[tuple[list[str], str | None]], int]:
    """Render the list at ``tokens[start]`` (nested lists indented).

    Returns:
        One ``(lines, bold_label)`` pair per top-level item, where ``bold_label`` is set when
        the item is nothing but bold text; and the index after the list.
    """
    items: list[tuple[list[str], str | None]] = []
    depth = 0
    counters: list[int | None] = []
    open_items: list[str] = []
    lines: list[str] = []
    inlines: list[Token] = []
    i = start
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            if open_items and open_items[-1].strip():
                lines.append(open_items[-1])
                open_items[-1] = ""
            depth += 1
            counters.append(int(tok.attrGet("start") or 1) if tok.type == "ordered_list_open" else None)
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            counters.pop()
            if depth == 0:
                return items, i + 1
        elif tok.type == "list_item_open":
            if depth == 1:
                lines, inlines = [], []
            n = counters[-1]
            marker = "-" if n is None else f"{n}."
            if n is not None:
                counters[-1] = n + 1
            open_items.append("  " * (depth - 1) + marker + " ")
        elif tok.type == "list_item_close":
            text = open_items.pop()
            if text.strip() and not BARE_MARKER.fullmatch(text):
                lines.append(text)
            if depth == 1:
                label = _bold_only(inlines[0]) if len(inlines) == 1 else None
                items.append((lines, label))
        elif tok.type in ("inline", "html_block"):  # HTML in an item: its words, as a paragraph's
            inlines.append(tok)
            text = render_inline(tok) if tok.type == "inline" else html_text(tok.content)
            if open_items:
                cur = open_items[-1]
                if BARE_MARKER.fullmatch(cur) or not cur:
                    open_items[-1] = (cur or "  " * depth) + text
                else:
                    open_items[-1] = cur + " " + text
            elif text:
                lines.append("  " * depth + text)
        i += 1
    return items, i


def _render_table(tokens: list[Token], start: int) -> tuple[str, int]:
    rows: list[list[str]] = []
    i = start
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and rows:
            rows[-1].append(render_inline(tok))
        i += 1
    return "\n".join(" | ".join(r) for r in rows if any(r)), i + 1


def markdown_tokens(body: str) -> list[Token]:
    """markdown-it's tokens of ``body``: read once, for both `too_deep` and `parse_sections`."""
    return _md.parse(body)


def too_deep(tokens: list[Token]) -> int | None:
    """The body's line (from 1) where blocks nest too deep for the parser (`_LAST_LEVEL`), or
    None: from there on it reads nothing, and the text would be in no passage."""
    for tok in tokens:
        if tok.type in _CONTAINERS and tok.level >= _LAST_LEVEL:
            return tok.map[0] + 1 if tok.map else 1
    return None


def parse_sections(body: str, tokens: list[Token] | None = None) -> list[Section]:
    """Split a markdown body into `Section`s with their heading paths (from its ``tokens``
    when they were read already: `markdown_tokens`).

    Text before the first heading gets an empty path. Sections with no text are kept out.
    """
    tokens = _md.parse(body) if tokens is None else tokens
    headings: list[tuple[int, str]] = []
    pseudo: str | None = None
    sections: list[Section] = []

    def current() -> Section:
        path = [h for _, h in headings] + ([pseudo] if pseudo else [])
        deepest = headings[-1][1] if headings else ""
        if not sections or sections[-1].heading_path != path:
            sections.append(Section(heading_path=path, section=deepest))
        return sections[-1]

    def add(text: str) -> None:
        if text.strip():
            current().blocks.append(text)

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            level = int(tok.tag[1:])
            text = render_inline(tokens[i + 1])
            while headings and headings[-1][0] >= level:
                headings.pop()
            if text:
                headings.append((level, text))
            pseudo = None
            i += 3
            continue
        if tok.type == "paragraph_open" and tok.level == 0:
            inline = tokens[i + 1]
            bold = _bold_only(inline)
            if bold:
                pseudo = bold
            else:
                text = render_inline(inline)
                if text.lower() not in DROPPED_PARAGRAPHS:
                    add(text)
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            items, i = _render_list(tokens, i)
            pending: list[str] = []
            for lines, label in items:
                if label:
                    add("\n".join(pending))
                    pending = []
                    pseudo = label
                else:
                    pending.extend(lines)
            add("\n".join(pending))
            continue
        if tok.type == "table_open":
            text, i = _render_table(tokens, i)
            add(text)
            continue
        if tok.type in ("fence", "code_block"):
            add(tok.content.rstrip("\n"))
        elif tok.type == "html_block":
            add(html_text(tok.content))
        elif tok.type == "inline" and tok.level > 0:
            # paragraphs inside blockquotes and other containers
            add(render_inline(tok))
        i += 1
    return [s for s in sections if s.blocks]
