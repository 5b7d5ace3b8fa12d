"""Cut parsed sections into passages that fit the embedding model, as pure functions.

The token counter is passed in, so tests run without a model (a word counter does) while
ingest uses the model's own tokenizer and its ``max_seq_length``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ingest.loading import Document
from ingest.parsing import Section, parse_sections
from retriever.models import Chunk
from retriever.text import LIST_MARKER, embedding_text, fold, split_sentences, strip_list_marker

TokenCounter = Callable[[str], int]

MIN_DEDUPE_CHARS = 80


def dedupe_blocks(sections: list[Section]) -> list[Section]:
    """Keep a long block only where it first stands in the document.

    PDQ summaries repeat whole paragraphs (the clinical-trial-search paragraph stands under
    every treatment section); indexing it once keeps it from crowding every answer. A list
    that a kept lead-in introduces ("Treatment of stage II ... may include:" and the same
    list as stage I's) stays: without it the section would end on its lead-in. Repeated
    paragraphs between the two still go.
    """
    seen: set[str] = set()
    out: list[Section] = []
    for sec in sections:
        blocks: list[str] = []
        for block in sec.blocks:
            key = fold(block)
            if len(key) >= MIN_DEDUPE_CHARS:
                if key in seen and not (blocks and _introduces(blocks[-1], block)):
                    continue
                seen.add(key)
            blocks.append(block)
        if blocks:
            out.append(Section(sec.heading_path, sec.section, blocks))
    return out


def _lines(block: str, glue: bool = True) -> list[str]:
    """The lines of a block; with ``glue``, a lead-in line ending in a colon stays with the
    line it introduces (and the blank line between them), so no part ends on a lead-in."""
    parts = re.split(r"(\n+)", block)
    units: list[str] = []
    glued = False
    for i in range(0, len(parts), 2):
        line = parts[i]
        if not line.strip():
            continue
        if glued:
            units[-1] += parts[i - 1] + line
        else:
            units.append(line)
        glued = glue and line.rstrip().endswith(":")
    return units


def _introduces(lead_in: str, block: str) -> bool:
    """True when ``lead_in`` ends in a colon and ``block`` is the list it introduces."""
    return lead_in.rstrip().endswith(":") and bool(LIST_MARKER.match(block))


def _with_lead_ins(blocks: list[str]) -> list[str]:
    """A paragraph ending in a colon joined to the list it introduces: one block, so packing
    never leaves "...include:" at the end of a passage and its list in the next."""
    out: list[str] = []
    for block in blocks:
        if out and _introduces(out[-1], block):
            out[-1] = out[-1] + "\n\n" + block
        else:
            out.append(block)
    return out


def _split_block(block: str, fits: Callable[[str], bool]) -> list[str]:
    """Break one oversized block into pieces that fit: list items, then sentences, then words."""
    if "\n" in block:
        units = _lines(block)
        if len(units) <= 1:  # one lead-in glued to its whole list: split it after all
            units = _lines(block, glue=False)
        joiner = "\n"
    else:
        units = split_sentences(block)
        joiner = " "
        if len(units) <= 1:
            units = block.split()
    if len(units) <= 1:  # a single unsplittable word: keep it whole rather than lose it
        return [block]
    return _pack(units, joiner, fits)


def _pack(units: list[str], joiner: str, fits: Callable[[str], bool]) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    for unit in units:
        candidate = joiner.join(current + [unit])
        if fits(candidate):
            current.append(unit)
            continue
        if current:
            parts.append(joiner.join(current))
            current = []
        if fits(unit):
            current = [unit]
        else:
            parts.extend(_split_block(unit, fits))
    if current:
        parts.append(joiner.join(current))
    return parts


def split_section(section: Section, count_tokens: TokenCounter, max_tokens: int,
                  title: str = "") -> list[str]:
    """The texts of a section, each fitting ``max_tokens`` with its breadcrumb prefix."""

    def fits(text: str) -> bool:
        return count_tokens(embedding_text(section.heading_path, text, title)) <= max_tokens

    return _pack(_with_lead_ins(section.blocks), "\n\n", fits)


def is_outline(text: str, headings: set[str]) -> bool:
    """True when most lines of ``text`` are list items naming headings of the same document."""
    lines = [strip_list_marker(ln).strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        return False
    return sum(fold(ln) in headings for ln in lines) / len(lines) >= 0.6


def chunk_document(doc: Document, count_tokens: TokenCounter, max_tokens: int) -> list[Chunk]:
    """Parse, de-duplicate and cut one document into `Chunk`s."""
    sections = dedupe_blocks(parse_sections(doc.body))
    headings = {fold(h) for sec in sections for h in sec.heading_path}
    chunks: list[Chunk] = []
    for sec in sections:
        for text in split_section(sec, count_tokens, max_tokens, doc.title):
            chunks.append(Chunk(
                id=f"{doc.doc_id}#{len(chunks):04d}",
                doc_id=doc.doc_id,
                source=doc.source,
                title=doc.title,
                url=doc.url,
                heading_path=list(sec.heading_path),
                section=sec.section or doc.title,
                text=text,
                cancer_types=list(doc.cancer_types),
                audience=doc.audience,
                last_reviewed=doc.last_reviewed,
                tags=list(doc.tags),
                outline=is_outline(text, headings),
            ))
    return chunks


def mark_shared(chunks: Iterable[Chunk], min_docs: int = 2) -> list[Chunk]:
    """Flag chunks whose text stands in ``min_docs`` or more documents (corpus boilerplate)."""
    chunks = list(chunks)
    docs_by_text: dict[str, set[str]] = {}
    for c in chunks:
        docs_by_text.setdefault(fold(c.text), set()).add(c.doc_id)
    out = []
    for c in chunks:
        shared = len(docs_by_text[fold(c.text)]) >= min_docs
        out.append(c if c.shared == shared else Chunk(**{**c.to_dict(), "shared": shared}))
    return out
