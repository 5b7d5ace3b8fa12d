"""Line-per-record files (question sets, training questions), read so that a bad byte is
named by file and line instead of ending the command in a traceback.

Lines are split on newlines only: ``str.splitlines`` would also split inside a JSON string
holding U+2028, which a pasted question can.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


class LineError(ValueError):
    """A line that is not UTF-8 text, named as ``file:line``."""


def numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Each line of ``path`` with its number (from 1), newline removed.

    Raises:
        LineError: at the first line that is not UTF-8 (a byte-order mark is allowed).
        OSError: the file cannot be opened.
    """
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                text = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise LineError(f"{path}:{n}: not UTF-8 text (bad byte at column {exc.start + 1}); "
                                "save the file as UTF-8") from None
            yield n, text.rstrip("\r\n")
