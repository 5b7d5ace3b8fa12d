"""Line-per-record files (question sets, training questions), read so that a bad byte is
named by file and line instead of ending the command in a traceback.

Lines end at ``\n``, ``\r\n`` or a lone ``\r`` (as Python's text files read them); unlike
``str.splitlines``, not inside a JSON string holding U+2028, which a pasted question can.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

_LINE_END = re.compile(rb"\r\n|\r|\n")


class LineError(ValueError):
    """A line that is not UTF-8 text, named as ``file:line``."""


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Each line of ``path`` with its number (from 1), newline removed.

    Raises:
        LineError: at the first line that is not UTF-8 (a byte-order mark is allowed).
        OSError: the file cannot be opened.
    """
    raw_lines = _LINE_END.split(Path(path).read_bytes())
    if raw_lines and not raw_lines[-1]:
        raw_lines.pop()  # the file's last line ending
    for n, raw in enumerate(raw_lines, 1):
        try:
            text = raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise LineError(f"{path}:{n}: not UTF-8 text (bad byte at column {exc.start + 1}); "
                            "save the file as UTF-8") from None
        yield n, text
