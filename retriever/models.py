"""Plain data passed between stages: ingest writes `Chunk`s, the retriever returns `Hit`s.

Keeping these as small dataclasses (not ORM objects, not dicts) means every stage can be
tested on its own and the JSON written to disk is exactly ``dataclasses.asdict``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from retriever.abstain import Evidence

MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class Chunk:
    """One passage of one document, as stored in ``chunks.jsonl``.

    Attributes:
        id: Stable id, ``"{doc_id}#{n}"``.
        doc_id: Document id (the source file's stem).
        source: File name relative to the ingested folder.
        title: Document title from the front matter.
        url: Canonical URL of the source page.
        heading_path: Headings from H1 down, plus any bold pseudo-heading.
        section: Deepest markdown heading (never a bold pseudo-heading); what a citation
            and the question sets' ``sections`` refer to.
        text: Clean passage text, verbatim from the document (links reduced to their text).
        cancer_types: From the front matter, for filtering.
        audience: ``audienceLevel`` from the front matter.
        last_reviewed: ``lastReviewed`` from the front matter.
        tags: From the front matter.
        shared: True when the same text stands in several documents (boilerplate such as
            "About PDQ"); the retriever ranks such passages below document-specific ones.
        outline: True when the passage mostly repeats headings of its own document (a
            "Key Points" list); the sections it lists answer better than the list does.
    """

    id: str
    doc_id: str
    source: str
    title: str
    url: str
    heading_path: list[str]
    section: str
    text: str
    cancer_types: list[str] = field(default_factory=list)
    audience: str = ""
    last_reviewed: str = ""
    tags: list[str] = field(default_factory=list)
    shared: bool = False
    outline: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Filters:
    """Restrict a search to some documents and/or cancer types (empty means no restriction)."""

    doc_ids: tuple[str, ...] = ()
    cancer_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    """Character offsets ``[start, end)`` into a hit's ``text``."""

    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """A ranked passage returned for a query, with its citation and highlights."""

    rank: int
    score: float
    chunk: Chunk
    link: str
    highlights: list[Span] = field(default_factory=list)
    # Which rankings proposed the passage ("dense", "bm25", "sentence"): why it is here.
    found_by: tuple[str, ...] = ()
    # For a passage ending on a lead-in to sub-sections: their headings (where it continues),
    # and the link that opens the source at each one's first passage.
    continues_in: tuple[str, ...] = ()
    continues_at: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResult:
    """What `Retriever.search` returns: the hits, or an honest abstention."""

    query: str
    hits: list[Hit]
    abstained: bool
    mode: str
    confidence: float = 0.0
    missing: list[str] = field(default_factory=list)
    evidence: Evidence | None = None
    # Misspelled question words and what they were read as ("carcinoyd" -> "carcinoid").
    corrections: dict[str, str] = field(default_factory=dict)
    # When abstaining only for a figure the passages don't give: the passage about the
    # question's subject, offered apart and never as the answer.
    related: list[Hit] = field(default_factory=list)
    # When abstaining: the passages the search would have given, for staff to check against
    # the search themselves (the staff page folds them away, the patient page never shows them).
    withheld: list[Hit] = field(default_factory=list)
    # Everyday words of the question and the document words the keyword search added for
    # them (the lay lexicon: "carcinoid" -> "neuroendocrine"); empty for a dense search.
    also_searched: dict[str, str] = field(default_factory=dict)
    # The question reads as thoughts of suicide or self-harm (`retriever.crisis`): a page
    # shows crisis help first.
    crisis: bool = False


def check_request(query: str, k: int, mode: str) -> None:
    """Raise ValueError for a blank query, k < 1 or an unknown mode."""
    if not query or not query.strip():
        raise ValueError("query is empty")
    if k < 1:
        raise ValueError("k must be at least 1")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
