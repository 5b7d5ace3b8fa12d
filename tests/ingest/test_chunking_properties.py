"""Property tests of parsing and chunking on generated markdown (no model: a word counter).

The generator builds a document from headings (levels 1-4, some sections left empty),
paragraphs of sentences mixing ASCII and other scripts, inline links, images, "Enlarge"
links, bold runs, bold-only lines and bold-only list items (sub-section labels), bullet
and ordered lists with nested items, and a long boilerplate paragraph repeated under
several headings. While building
it, it records which visible words each section should hold, following the README's
rules: link text stays and the URL goes, images and "Enlarge" links go, a bold-only line
or list item opens a sub-section named by its text, a repeated long block is kept only
where it first stands. Every paragraph and list item carries a unique serial word, so
nothing but the boilerplate is repeated.

Properties, for any such document and any token bound:

* no chunk text contains markdown link or image syntax, or a URL;
* no chunk is empty;
* every chunk fits the bound with its breadcrumb (word count of ``embedding_text``),
  except a chunk that is a single word, which ``_split_block`` keeps whole rather than
  lose (with a word counter that only happens when the breadcrumb alone fills the bound,
  so the bounds drawn go down to 3 words to reach that case too);
* no text is lost, duplicated or moved to another section: per heading path, the words
  of the chunks, in order, are the words the generator put there (list markers aside);
* the same holds between ``dedupe_blocks(parse_sections(...))`` and ``split_section``
  directly, for the blocks the parser produced.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.chunking import MIN_DEDUPE_CHARS, chunk_document, dedupe_blocks, split_section
from ingest.loading import Document
from ingest.parsing import parse_sections
from retriever.text import embedding_text

MAX_EXAMPLES = 150
PROPS = settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
LIST_MARKER = re.compile(r"^(-|\d+\.)$")
BOILERPLATE = ("Boilerplate Use our clinical trial search to find trials that are accepting "
               "patients near you today")
assert len(BOILERPLATE) >= MIN_DEDUPE_CHARS


def count_words(text: str) -> int:
    return len(text.split())


def body_words(text: str) -> list[str]:
    """Whitespace-separated words, list markers left out (they are layout, not text)."""
    return [w for w in text.split() if not LIST_MARKER.match(w)]


# -- the generator -------------------------------------------------------------------------

ASCII_WORDS = st.sampled_from(["tumor", "cells", "Surgery", "the", "rectum", "Pain", "may",
                               "include", "stomach", "Octreotide", "small", "intestine", "CT"])
# Letters only (no markdown punctuation): Latin with accents, Greek, Cyrillic, CJK, ...
UNICODE_WORDS = st.text(st.characters(categories=["Lu", "Ll", "Lo"], exclude_characters="_"),
                        min_size=1, max_size=8)
WORD = st.one_of(ASCII_WORDS, UNICODE_WORDS)


def words_(min_size: int = 1, max_size: int = 6):
    return st.lists(WORD, min_size=min_size, max_size=max_size)


@st.composite
def sentence(draw) -> list[str]:
    ws = draw(words_(1, 12))
    end = draw(st.sampled_from([".", ".", "?", "!", ""]))
    return ws[:-1] + [ws[-1] + end]


# Inline segments: (kind, words). "plain", "link" and "bold" words are visible.
SEGMENT = st.one_of(
    st.tuples(st.just("plain"), sentence()),
    st.tuples(st.just("link"), words_(1, 4)),
    st.tuples(st.just("image"), words_(1, 3)),
    st.tuples(st.just("bold"), words_(1, 4)),
    st.tuples(st.just("enlarge"), st.just([])),
)

ITEM_SEGMENTS = st.lists(SEGMENT.filter(lambda s: s[0] != "image"), min_size=1, max_size=3)

ELEMENT = st.one_of(
    st.tuples(st.just("heading"), st.tuples(st.integers(1, 4), words_(1, 4))),
    st.tuples(st.just("para"), st.lists(SEGMENT, min_size=1, max_size=6)),
    st.tuples(st.sampled_from(["list", "ordered"]), st.lists(st.one_of(
        st.tuples(st.just("item"), st.tuples(ITEM_SEGMENTS, st.lists(ITEM_SEGMENTS, max_size=3))),
        st.tuples(st.just("label"), words_(1, 3))), min_size=1, max_size=8)),
    st.tuples(st.just("boldline"), words_(1, 4)),
    st.tuples(st.just("boiler"), st.just(None)),
)


@dataclass
class Generated:
    markdown: str
    # (heading path, words) in document order, as the README says they should come out
    expected: list[tuple[tuple[str, ...], list[str]]] = field(default_factory=list)

    def expected_by_path(self) -> dict[tuple[str, ...], list[str]]:
        out: dict[tuple[str, ...], list[str]] = {}
        for path, ws in self.expected:
            out.setdefault(path, []).extend(ws)
        return {p: ws for p, ws in out.items() if ws}


def _inline(segments, serial: str) -> tuple[str, list[str]]:
    """Markdown of a run of segments, and its visible words; starts with a unique word."""
    parts, visible = [serial], [serial]
    for n, (kind, ws) in enumerate(segments):
        text = " ".join(ws)
        if kind == "plain":
            parts.append(text)
            visible += ws
        elif kind == "link":
            parts.append(f"[{text}](https://www.cancer.gov/x/{n}?a=1)")
            visible += ws
        elif kind == "image":
            parts.append(f"![{text}](/images/{n}.jpg)")
        elif kind == "bold":
            parts.append(f"**{text}**")
            visible += ws
        else:
            parts.append(f"[Enlarge](https://www.cancer.gov/images/{n}.jpg)")
    return " ".join(parts), visible


@st.composite
def documents(draw) -> Generated:
    elements = draw(st.lists(ELEMENT, min_size=1, max_size=14))
    serials = (f"u{n}" for n in itertools.count())
    headings: list[tuple[int, str]] = []
    pseudo: str | None = None
    blocks_md: list[str] = []
    gen = Generated("")
    boiler_seen = False

    def path() -> tuple[str, ...]:
        return tuple([h for _, h in headings] + ([pseudo] if pseudo else []))

    for kind, value in elements:
        if kind == "heading":
            level, ws = value
            text = " ".join(ws)
            blocks_md.append("#" * level + " " + text)
            while headings and headings[-1][0] >= level:
                headings.pop()
            headings.append((level, text))
            pseudo = None
        elif kind == "para":
            md, visible = _inline(value, next(serials))
            blocks_md.append(md)
            gen.expected.append((path(), visible))
        elif kind == "boldline":
            text = " ".join(value)
            blocks_md.append(f"**{text}**")
            pseudo = text
        elif kind == "boiler":
            blocks_md.append(BOILERPLATE)
            if not boiler_seen:  # dedupe_blocks keeps the first occurrence only
                gen.expected.append((path(), BOILERPLATE.split()))
            boiler_seen = True
        else:  # a bullet or ordered list; items may hold one nested bullet list
            lines, pending = [], []
            for n, (item_kind, item) in enumerate(value, 1):
                marker = "-" if kind == "list" else f"{n}."
                indent = " " * (len(marker) + 1)
                if item_kind == "label":
                    text = " ".join(item)
                    lines.append(f"{marker} **{text}**")
                    gen.expected.append((path(), pending))
                    pending = []
                    pseudo = text
                else:
                    segments, children = item
                    md, visible = _inline(segments, next(serials))
                    lines.append(f"{marker} {md}")
                    pending += visible
                    for child in children:
                        md, visible = _inline(child, next(serials))
                        lines.append(f"{indent}- {md}")
                        pending += visible
            gen.expected.append((path(), pending))
            blocks_md.append("\n".join(lines))
    gen.markdown = "\n\n".join(blocks_md) + "\n"
    return gen


def _doc(body: str) -> Document:
    return Document(doc_id="gen", source="gen.md", title="Generated", url="https://www.cancer.gov/gen",
                    body=body, content_hash="0")


# -- properties ----------------------------------------------------------------------------

@PROPS
@given(gen=documents(), max_tokens=st.integers(3, 80))
def test_generated_markdown_chunks_are_clean_bounded_and_lossless(gen, max_tokens):
    chunks = chunk_document(_doc(gen.markdown), count_words, max_tokens)

    for c in chunks:
        assert c.text.strip(), ("empty chunk", c)
        assert not MARKDOWN_LINK.search(c.text), c.text
        assert "](" not in c.text and "![" not in c.text and "://" not in c.text, c.text
        assert "**" not in c.text, c.text
        assert "Enlarge" not in c.text.split(), c.text
        size = count_words(embedding_text(c.heading_path, c.text, c.title))
        assert size <= max_tokens or len(c.text.split()) == 1, (size, max_tokens, c.heading_path, c.text)

    got: dict[tuple[str, ...], list[str]] = {}
    for c in chunks:
        got.setdefault(tuple(c.heading_path), []).extend(body_words(c.text))
    assert {p: ws for p, ws in got.items() if ws} == gen.expected_by_path()
    # and as one multiset, the way the README states it
    assert Counter(w for ws in got.values() for w in ws) == Counter(
        w for _, ws in gen.expected for w in ws)


@PROPS
@given(gen=documents(), max_tokens=st.integers(3, 80))
def test_split_section_keeps_every_word_of_the_parsed_blocks_in_order(gen, max_tokens):
    sections = dedupe_blocks(parse_sections(gen.markdown))
    for sec in sections:
        parts = split_section(sec, count_words, max_tokens)
        # whitespace-separated tokens, list markers included, in their original order
        assert [w for p in parts for w in p.split()] == [w for b in sec.blocks for w in b.split()]
        for p in parts:
            assert count_words(embedding_text(sec.heading_path, p)) <= max_tokens or len(p.split()) == 1
        assert all(p.strip() for p in parts), parts


@PROPS
@given(blocks=st.lists(st.one_of(
    st.lists(sentence(), min_size=1, max_size=12).map(lambda ss: " ".join(" ".join(s) for s in ss)),
    st.lists(st.tuples(st.sampled_from(["- ", "  - ", "1. "]), words_(1, 10)).map(
        lambda mw: mw[0] + " ".join(mw[1])), min_size=1, max_size=10).map("\n".join),
), min_size=1, max_size=8), crumb=st.lists(words_(1, 3).map(" ".join), min_size=1, max_size=3),
    max_tokens=st.integers(1, 60))
def test_split_section_on_arbitrary_blocks(blocks, crumb, max_tokens):
    from ingest.parsing import Section

    sec = Section(["Doc", *crumb], crumb[-1], blocks)
    parts = split_section(sec, count_words, max_tokens)
    assert [w for p in parts for w in p.split()] == [w for b in blocks for w in b.split()]
    for p in parts:
        assert count_words(embedding_text(sec.heading_path, p)) <= max_tokens or len(p.split()) == 1


def test_breadcrumb_longer_than_the_bound_gives_no_empty_chunks():
    """Regression: an indented list line used to be split on single spaces, and with a
    breadcrumb that alone exceeds the bound the empty strings became chunks of their own."""
    from ingest.parsing import Section

    sec = Section(["Doc", "a b c d"], "a b c d", ["- one\n  - two three"])
    parts = split_section(sec, count_words, 3)
    assert [w for p in parts for w in p.split()] == ["-", "one", "-", "two", "three"]
    assert all(p.strip() for p in parts), parts
