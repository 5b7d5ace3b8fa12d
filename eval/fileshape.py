"""Mistakes of a whole question file, said once instead of as every line's JSON error.

A set saved as a JSON array, pretty-printed, as UTF-16 or as CSV fails on each of its
lines, and twenty lines of "not valid JSON at column 1" hide the one fix. So the file's
first bytes are read for those shapes first, and a line's JSON error names the usual
hand-written slips (a comment, single quotes, a trailing comma) in plain words.
"""

from __future__ import annotations

import re
from pathlib import Path

FORMAT = "one JSON object per line (JSONL)"
_HEAD = 64_000  # bytes read to tell a file's shape
_TRAILING_COMMA = re.compile(r",\s*[}\]]")


def file_shape(path: Path) -> str | None:
    """What is wrong with the file as a whole (its shape or encoding), or None."""
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:200].count(0) > len(head[:200]) // 4:  # no BOM: NULs
        return f"{path}: saved as UTF-16 (two bytes a character), not UTF-8; save it as UTF-8 text, {FORMAT}"
    lines = [s.strip() for s in head.decode("utf-8-sig", "replace").splitlines() if s.strip()]
    if not lines:
        return None
    first = lines[0]
    if first == "[" or re.match(r"\[\s*\{", first):
        return (f"{path}: a JSON array ([ ] around the items), not {FORMAT}: put each item on a line of its own, "
                "with no [ ] around them and no commas between")
    if first == "{" or (first.startswith("{") and not first.endswith("}") and len(lines) > 1
                        and lines[1].startswith('"')):
        return f"{path}: JSON spread over several lines (pretty-printed), not {FORMAT}: put each object on one line"
    kind = "CSV (comma-separated values)" if first.count(",") >= 2 else "tab-separated values" if "\t" in first else ""
    if kind and not any(s.startswith("{") for s in lines):
        return (f"{path}: looks like {kind}, not {FORMAT}: write each question as "
                '{"id": ..., "question": ..., "kind": ..., "sections": [...], "evidence": [...]} on a line of its own')
    return None


def line_hint(line: str, column: int) -> str | None:
    """A hand-written slip at ``column`` (1-based, where JSON's reader stopped) of ``line``, in
    plain words, or None: read where the reader stopped, not anywhere in the line, so a
    question that holds "'" or ", ]" in its text is not blamed for them."""
    text = line.strip()
    if text.startswith(("#", "//")):
        return "a comment: JSONL has no comments; delete the line"
    at = column - 1
    if line[at:at + 1] in ("}", "]") and line[:at].rstrip().endswith(","):
        return "a comma before a closing } or ]: JSON allows none there; remove it"
    if line[at:at + 1] == "," and line[:at].rstrip().endswith("}"):
        return "a comma after the object: JSONL has one object a line, with no comma between lines as a JSON " \
               "array has; remove it"
    if line[at:at + 1] == "'":
        return "single quotes: JSON needs double quotes (\") around names and text"
    return None
