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

from ingest.fields import BOUNDARY, PDQ_OTHERS, READ, read_fields
from ingest.links import named_pages
from ingest.parsing import markdown_tokens, parse_sections, too_deep
from ingest.sources import SUFFIXES, DocumentError, doc_id_for, find_sources, read_source  # noqa: F401 (re-exported)
from retriever.lines import bad_byte_at
from retriever.text import field_meant


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


class _DatesOrText(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """YAML's safe loader (the one python-frontmatter uses), except that a date that is no
    date stays text: PyYAML read an unquoted "lastReviewed: 2025-13-45" itself and failed with
    "month must be in 1..12", naming neither the field nor its file's line; as text, the
    field's own check (`_review_date`) names it."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode):
    """A timestamp as YAML reads it, or its text when it is no date (`_DatesOrText`)."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_DatesOrText.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class _FieldTwice(yaml.constructor.ConstructorError):
    """A field set twice: YAML keeps the last value without a word, so an operator who fixed
    the first "title:" line saw no change."""

    def __init__(self, first: yaml.Mark, again: yaml.Node):
        super().__init__(None, None, f"field '{again.value}' is set twice", again.start_mark)
        self.first = first


def _mapping_once(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    """A mapping as YAML reads it, refused when a key is written twice (`_FieldTwice`)."""
    seen: dict[object, yaml.Mark] = {}
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value != "<<":
            if key.value in seen:
                raise _FieldTwice(seen[key.value], key)
            seen[key.value] = key.start_mark
    return yaml.constructor.SafeConstructor.construct_yaml_map(loader, node)


_DatesOrText.add_constructor("tag:yaml.org,2002:map", _mapping_once)


class _FrontMatter(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, reading with `_DatesOrText`."""

    def load(self, fm: str, **kwargs) -> object:
        data = yaml.load(fm, Loader=_DatesOrText)  # noqa: S506 (a safe loader)
        if data is not None and not isinstance(data, dict):  # the library would drop it without a word
            raise ValueError(f"expected 'key: value' fields, found a {_yaml_kind(data)}")
        return data


def _yaml_kind(data: object) -> str:
    if isinstance(data, list):
        return "list ('- item' lines)"
    return "line of text" if isinstance(data, str) else f"single value ({data!r})"


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
        post = frontmatter.loads(text, handler=_FrontMatter())
    except yaml.YAMLError as exc:
        raise DocumentError(source, f"malformed front matter{_yaml_problem(exc, text)}") from None
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


# What to do about the YAML problems a hand-edited front matter most often has.
_MAPPING_HINT = "quote a value that holds ': ', or indent the field as the others"


def _yaml_problem(exc: yaml.YAMLError, text: str) -> str:
    """" at line L, column C: problem (context); hint", lines counted in the whole file:
    PyYAML counts them from the end of the opening '---', and its first line alone names
    no cause."""
    mark, problem = getattr(exc, "problem_mark", None), getattr(exc, "problem", None)
    if mark is None or not problem:
        return f": {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    # PyYAML counts from where python-frontmatter's delimiter match ends, after any blank
    # lines that follow the opening '---'.
    opening = BOUNDARY.search(text)
    lead = text.count("\n", 0, opening.end()) + 1 if opening else 1
    context, begun = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and begun is not None and begun.line != mark.line:
        context += f" begun at line {lead + begun.line}"
    line = lead + mark.line
    if isinstance(exc, _FieldTwice):
        return f" at line {line}: {problem} (first at line {lead + exc.first.line}); keep one of them"
    lines = text.split("\n")
    if colonless := _colonless(problem, lines, line, lead + begun.line if begun is not None else None):
        return f" at line {colonless}: no ':' after the field's name ({lines[colonless - 1].strip()[:40]!r}); " \
               "write it as 'name: value'"
    hint = ("indent with spaces, not tabs" if "\t" in lines[min(line, len(lines)) - 1]  # libyaml hides the tab
            else _MAPPING_HINT if "mapping values are not allowed" in problem else "")
    return (f" at line {line}, column {mark.column + 1}: {problem}"
            + (f" ({context})" if context else "") + (f"; {hint}" if hint else ""))


def _colonless(problem: str, lines: list[str], line: int, begun: int | None) -> int | None:
    """The line of a field ingest reads written without its ':' ("title The Day Unit", "url
    https://..."), where YAML's error names another: read as text running on, it fails on the
    next field ("mapping values are not allowed": an operator's trial was told to quote a value
    on the line that was right) or, with a blank line after it, at the next line ("could not
    find expected ':'", ``begun``). Only a field's name opening the line counts (one ingest
    reads, or nearly, or one of PDQ's others): a quoted or wrapped value's last line is no field."""
    if "expected ':'" in problem and begun is not None:
        candidate = begun
    elif "mapping values are not allowed" in problem:
        candidate = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip()), None)
    else:
        return None
    named = candidate and not lines[candidate - 1].rstrip().endswith(('"', "'", "]", "}")) \
        and _FIELD_FIRST.match(lines[candidate - 1])
    known = named and (named[1].lower() in {f.lower() for f in READ + PDQ_OTHERS} or field_meant(named[1], READ))
    return candidate if known else None


_FIELD_FIRST = re.compile(r"(\w+)(?:[ \t]|$)")  # a name, then a space or nothing: no ':'


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
