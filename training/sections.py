"""The content sections that training questions are written for, with stable keys.

A section is what the ingest parser yields (text under its deepest heading, bold
sub-headings included), after the same de-duplication ingest applies. Boilerplate that
stands in three or more summaries, the "About This PDQ Summary" tail and outlines (the
"Key Points" lists of a chapter's headings) are left out: a question about them would
teach nothing about any one summary, or teach the model to rank outlines first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ingest.chunking import dedupe_blocks, fold, is_outline
from ingest.loading import Document, load_documents
from ingest.parsing import parse_sections

BOILERPLATE_MIN_DOCS = 3
SKIPPED_HEADINGS = ("About This PDQ Summary",)
#: Summaries no training question may be written for: the seed's own topic, adult and
#: childhood, so every seed question set stays unseen by the model.
EXCLUDED_DOCS = frozenset({
    "types-gi-neuroendocrine-tumors-patient-gi-neuroendocrine-treatment-pdq",
    "types-gi-neuroendocrine-tumors-patient-child-gi-neuroendocrine-treatment-pdq",
})


@dataclass(frozen=True)
class ContentSection:
    key: str                # "<doc_id>/<n>", n counting content sections from 0
    doc_id: str
    title: str
    heading_path: tuple[str, ...]
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def content_sections(docs: list[Document]) -> list[ContentSection]:
    """Every content section of ``docs``, in document order."""
    parsed = {d.doc_id: dedupe_blocks(parse_sections(d.body)) for d in docs}
    docs_by_block: dict[str, set[str]] = defaultdict(set)
    for doc_id, sections in parsed.items():
        for sec in sections:
            for block in sec.blocks:
                docs_by_block[fold(block)].add(doc_id)
    out: list[ContentSection] = []
    for doc in docs:
        headings = {fold(h) for sec in parsed[doc.doc_id] for h in sec.heading_path}
        n = 0
        for sec in parsed[doc.doc_id]:
            if any(h in SKIPPED_HEADINGS for h in sec.heading_path):
                continue
            blocks = [b for b in sec.blocks if len(docs_by_block[fold(b)]) < BOILERPLATE_MIN_DOCS]
            if not blocks or is_outline("\n".join(blocks), headings):
                continue
            out.append(ContentSection(f"{doc.doc_id}/{n}", doc.doc_id, doc.title,
                                      tuple(sec.heading_path), "\n\n".join(blocks)))
            n += 1
    return out


def load_sections(corpus: Path) -> list[ContentSection]:
    """Content sections of every summary under ``corpus`` (a folder of markdown files)."""
    docs, errors = load_documents(corpus)
    if errors:
        raise ValueError("; ".join(str(e) for e in errors))
    return content_sections(docs)
