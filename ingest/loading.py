"""Read source documents (markdown with YAML front matter) and validate them.

Every problem is reported against the file that caused it, so an operator can fix the
file rather than read a traceback.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from ingest.fields import BOUNDARY, read_fields
from ingest.front_matter import FrontMatter, yaml_problem
from ingest.links import named_pages
from ingest.parsing import markdown_tokens, parse_sections, too_deep
from ingest.sources import SUFFIXES, DocumentError, doc_id_for, find_sources, read_source  # noqa: F401 (re-exported)
from retriever.lines import bad_byte_at


class DuplicateDocument(DocumentError):
    """A second file of a summary already read: the summary itself is indexed, from the other."""


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    title: str
    url: str
    body: str
    content_hash: str
    cancer_types: list[str] = field(default_factory=list)
    audience: str = ""
    last_reviewed: str = ""
    tags: list[str] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # pages it links to by name (`ingest.links`)


def parse_document(raw: bytes, source: str) -> Document:
    """Validate one file's bytes and return its `Document`.

    Raises:
        DocumentError: naming the file and the problem (encoding, front matter, title, body).
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = bad_byte_at(raw, exc.start)
        raise DocumentError(source, f"not UTF-8 text (bad byte at line {line}, column {column}); "
                                    "save the file as UTF-8") from None
    if not text.strip():
        raise DocumentError(source, "the file is empty (a summary starts with '---', its front matter, "
                                    "'---', then its text)")
    if not text.lstrip().startswith("---"):
        raise DocumentError(source, "no YAML front matter (the file must start with '---')")
    try:
        post = frontmatter.loads(text, handler=FrontMatter())
    except yaml.YAMLError as exc:
        raise DocumentError(source, f"malformed front matter{yaml_problem(exc, text)}") from None
    except Exception as exc:  # python-frontmatter raises plain errors for odd delimiters
        raise DocumentError(source, f"malformed front matter: {exc}") from None
    meta = post.metadata
    if not meta and len(BOUNDARY.findall(text)) < 2:
        raise DocumentError(source, "the front matter is not closed: add a line '---' after its last field")
    if isinstance(meta, dict) and not meta and not BOUNDARY.split(text, 2)[1].strip():
        raise DocumentError(source, "the front matter is empty: it needs at least 'title: ...'")
    title, url, cancer_types, reviewed, tags, audience = read_fields(meta, source, text)
    body = _without_controls(post.content)
    if not body.strip():
        raise DocumentError(source, "empty body (nothing after the front matter)")
    if too_deep(tokens := markdown_tokens(body)) is not None:  # its line as the file counts them: before
        deep = too_deep(markdown_tokens(post.content)) or too_deep(tokens)  # page breaks became line ends
        raise DocumentError(source, f"lists or quotes nested too deep at line {_body_line(text) + deep - 1}: the "
                                    "markdown reader stops there, and what follows (in a list, the rest of the "
                                    "file) would be in no passage; nest them at most nine lists (or nineteen "
                                    "quotes) deep")
    if not any(block.strip() for section in parse_sections(body, tokens) for block in section.blocks):
        # indexed, it had no passage, yet was listed and offered as a filter that finds nothing
        raise DocumentError(source, "no passage text (only headings, images or links that are dropped)")
    return Document(
        doc_id=doc_id_for(source),
        source=source,
        title=" ".join(_without_controls(title).split()),  # a line break in a title is a space
        url=url,
        body=body,
        content_hash=hashlib.sha256(raw).hexdigest(),
        cancer_types=cancer_types,
        audience=audience,
        last_reviewed=reviewed,
        tags=tags,
        links=named_pages(tokens, url),
    )


def _body_line(text: str) -> int:
    """The file's line where the body begins: python-frontmatter strips the blank lines after
    the closing '---', so a body's line 1 is the first line with text after it."""
    bounds = list(BOUNDARY.finditer(text))[:2]
    after = bounds[1].end() if len(bounds) == 2 else 0
    start = len(text) - len(text[after:].lstrip())
    return text.count("\n", 0, start) + 1


# Control characters (C0 and C1, not tab or line breaks) that a copy from a PDF or a word
# processor leaves: invisible on a page, yet they would be served in every passage's verbatim
# text and JSON. A page or line break (form feed, vertical tab, NEL, U+2028, U+2029) ends a line.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BREAKS = re.compile(r"[\x0b\x0c\x85\u2028\u2029]")  # the line ends str.splitlines knows beyond \n and \r


def _without_controls(text: str) -> str:
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


def load_documents(src_dir: Path, strict: bool = False,
                   served: frozenset[str] = frozenset()) -> tuple[list[Document], list[DocumentError]]:
    """Load every source under ``src_dir``.

    Args:
        src_dir: Folder to read.
        strict: Raise at the first bad file instead of collecting it.
        served: Document ids the published index serves. Of two files of one summary, the
            one with a served id is kept, whichever sorts first: a stray copy must not take
            the summary's id, and with it saved links and filters.

    Returns:
        The valid documents and the errors of the files that were skipped.
    """
    docs: dict[str, Document] = {}  # source -> document, in reading order
    errors: list[DocumentError] = []
    seen: dict[tuple[str, str], Document] = {}  # ("url" or "text", its value) -> the document kept
    for path in find_sources(src_dir):
        source = path.relative_to(src_dir).as_posix() + ("/" if path.is_dir() else "")
        try:
            doc = parse_document(read_source(path, source), source)
            if (twin := _check_not_copy(doc, seen, served)) is not None:  # doc replaces it
                del docs[twin.source]
                replaced = _copy_of(twin, doc, "the index serves its id")
                if strict:
                    raise replaced
                errors.append(replaced)
            docs[source] = doc
        except DocumentError as err:
            if strict:
                raise
            errors.append(err)
    return list(docs.values()), errors


def _check_not_copy(doc: Document, seen: dict[tuple[str, str], Document],
                    served: frozenset[str] = frozenset()) -> Document | None:
    """Refuse a second file of one summary (same url, or same text): indexed twice, each
    passage would count as text many documents share and be ranked down like PDQ's notes.
    Refuse a second file whose path gives the same id too ("a/note.md", "a--note.md";
    "twin.md", "twin.txt"): one id would hold both files' passages, and the manifest one.

    Returns the earlier file when ``doc`` is to replace it: ``doc``'s id is served and the
    earlier one's is not (a copy that sorts first)."""
    first = seen.get(("id", doc.doc_id))
    if first is not None:
        raise DuplicateDocument(doc.source, f"the same document id '{doc.doc_id}' as {first.source} (an id is "
                                            f"the path without its suffix, folders joined by '--'); rename one")
    keys = {"url": doc.url, "text": hashlib.sha256(" ".join(doc.body.split()).encode()).hexdigest()}
    # the files already read that share its url or its text (one file may share both)
    twins = list({id(d): d for d in (seen[what, key] for what, key in keys.items() if key and (what, key) in seen)
                  }.values())
    if twins and not (len(twins) == 1 and doc.doc_id in served and twins[0].doc_id not in served):
        raise _copy_of(doc, twins[0])
    if twins:  # forget the file replaced: its keys are doc's now, and its id is free
        for key in [k for k, d in seen.items() if d is twins[0]]:
            del seen[key]
    seen.update({(what, key): doc for what, key in keys.items() if key})
    seen["id", doc.doc_id] = doc
    return twins[0] if twins else None


def _copy_of(doc: Document, kept: Document, why: str = "") -> DuplicateDocument:
    """``doc`` skipped as a second file of ``kept``'s summary, saying which they share, so
    that the operator can tell a stray copy from a summary that moved."""
    what = "url" if doc.url and doc.url == kept.url else "text"
    return DuplicateDocument(doc.source, f"the same summary as {kept.source} (same {what})"
                                         + (f"; {kept.source} is kept: {why}" if why else "")
                                         + "; keep one of the two files")
