"""Line-per-record files (question sets, training questions), read so that a bad byte is
named by file and line instead of ending the command in a traceback.

Lines end at ``\n``, ``\r\n`` or a lone ``\r`` (as Python's text files read them); unlike
``str.splitlines``, not inside a JSON string holding U+2028, which a pasted question can.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

_LINE_END = re.compile(rb"\r\n|\r|\n")


#: Bad lines one error names before the rest are only counted: a file written by hand often
#: has several, and one run should show them all.
MAX_REPORTED = 20


class LineError(ValueError):
    """A line that is not UTF-8 text, named as ``file:line``."""


def bad_lines(problems: list[str]) -> str:
    """``problems`` (each ``file:line: why``) as one message: the first `MAX_REPORTED`, one a
    line, then how many more."""
    more = f"\n... and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
    return "\n".join(problems[:MAX_REPORTED]) + more


def numbered_lines(path: Path, error: type[ValueError] = LineError,
                   problems: list[str] | None = None) -> Iterator[tuple[int, str]]:
    """Each line of ``path`` with its number (from 1), newline removed.

    Raises:
        error: at the first line that is not UTF-8 (a byte-order mark is allowed); callers
            pass their own file error (`QuestionSetError`, `QuestionFileError`). Given a
            ``problems`` list, such a line is named in it and skipped instead.
        OSError: the file cannot be opened.
    """
    n = 0
    with open(path, "rb") as f:
        for chunk in f:  # one "\n"-ended line, which may hold old Mac "\r" line ends
            parts = _LINE_END.split(chunk)
            if len(parts) > 1 and not parts[-1]:
                parts.pop()  # what followed the line's own end
            for raw in parts:
                n += 1
                try:
                    yield n, _decode(path, n, raw, error)
                except error as exc:
                    if problems is None:
                        raise
                    problems.append(str(exc))


def is_text(value) -> bool:
    """Whether a decoded JSON value holds only text: ``"\\ud800"`` escapes half a character,
    which JSON allows and no tokenizer takes."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bad_byte_at(raw: bytes, offset: int) -> tuple[int, int]:
    """Line (from 1, by ``\n``) and column (from 1, in characters) of byte ``offset`` of
    ``raw``: where an editor shows a byte that is not UTF-8."""
    before = raw[:offset]
    start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[start:].decode("utf-8", "replace")) + 1


def _decode(path: Path, n: int, raw: bytes, error: type[ValueError]) -> str:
    try:
        return raw.decode("utf-8-sig" if n == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        _, column = bad_byte_at(raw, exc.start)  # raw is one line
        raise error(f"{path}:{n}: not UTF-8 text (bad byte at column {column}); "
                        "save the file as UTF-8") from None
