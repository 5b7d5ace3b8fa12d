"""Read a summary's YAML front matter, and name what is wrong in it by its line and field.

YAML's own errors name the line where its parser gave up, which is
often not the line to fix (an unclosed list, a field without its ':', a field set twice).
"""

from __future__ import annotations

import re

import frontmatter
import yaml

from ingest.fields import BOUNDARY, PDQ_OTHERS, READ
from retriever.text import field_meant


class _DatesOrText(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """YAML's safe loader (the one python-frontmatter uses), except that a date that is no
    date stays text: PyYAML read an unquoted "lastReviewed: 2025-13-45" itself and failed with
    "month must be in 1..12", naming neither the field nor its file's line; as text, the
    field's own check (`fields._review_date`) names it."""


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


class FrontMatter(frontmatter.YAMLHandler):
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


_MAPPING_HINT = "quote a value that holds ': ', or indent the field as the others"


def yaml_problem(exc: yaml.YAMLError, text: str) -> str:
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
    context, begun = getattr(exc, "context", None) or "", getattr(exc, "context_mark", None)
    opened = lead + begun.line if begun is not None else None  # where what failed began
    ran_on = begun is not None and begun.line != mark.line  # ... on an earlier line than the failure
    if context and ran_on:
        context += f" begun at line {opened}"
    line = lead + mark.line
    if isinstance(exc, _FieldTwice):
        return f" at line {line}: {problem} (first at line {lead + exc.first.line}); keep one of them"
    lines = text.split("\n")
    if colonless := _colonless(problem, lines, line, opened):
        return f" at line {colonless}: no ':' after the field's name ({lines[colonless - 1].strip()[:40]!r}); " \
               "write it as 'name: value'"
    if ran_on and (unclosed := _unclosed(context, lines, opened)):
        return unclosed
    hint = ("indent with spaces, not tabs" if "\t" in lines[min(line, len(lines)) - 1]  # libyaml hides the tab
            else _MAPPING_HINT if "mapping values are not allowed" in problem else "")
    return (f" at line {line}, column {mark.column + 1}: {problem}"
            + (f" ({context})" if context else "") + (f"; {hint}" if hint else ""))


# What YAML's context names, when a value opened on one line runs on until a later field
# fails: what was opened, and how to close it.
_OPENED = {"flow sequence": "a list opened with '[' is not closed: end it with ']'",
           "flow mapping": "a mapping opened with '{' is not closed: end it with '}'",
           "quoted scalar": "a quote opened there is not closed: end the value with the same quote mark"}


def _unclosed(context: str, lines: list[str], begun: int) -> str:
    """" at line L (field 'name'): ..." for a list, mapping or quote opened on line ``begun``
    and never closed: YAML reports the line where it gave up (a trial's unclosed
    "cancerTypes: [" was reported at line 9, the harmless 'citation:'), or "" for another fault."""
    what = next((text for kind, text in _OPENED.items() if kind in context), "")
    if not what or not 0 < begun <= len(lines):
        return ""
    name = lines[begun - 1].split(":", 1)[0].strip() if ":" in lines[begun - 1] else ""
    return f" at line {begun}" + (f" (field {name!r})" if name and " " not in name else "") + f": {what}"


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
