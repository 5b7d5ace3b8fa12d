"""The ``.env`` file a command reads its ``PDQ_*`` settings from, checked before it is read.

python-dotenv skips a line it cannot read with a log warning that names no file, and stops
at bytes that are not UTF-8 with a traceback: a bad-input review found ingest then indexing
into the default folder, ``PDQ_INDEX_DIR='../other`` (an unclosed quote) skipped, and every
command failing on a stray byte. So the file is checked first, and a bad line is named.
"""

from __future__ import annotations

import io
from pathlib import Path

from dotenv.parser import parse_stream


def env_file_problem(path: str | Path = ".env") -> str | None:
    """What is wrong with ``path`` (None: fine, or no such file), naming the file and line."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        return f"{path} cannot be read ({exc.strerror})"
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return f"{path}: line {line} is not UTF-8 text; save the file as UTF-8"
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            skipped = len(binding.original.string) - len(binding.original.string.lstrip("\n"))
            return (f"{path}: line {binding.original.line + skipped} is no NAME=value setting python-dotenv "
                    "can read (an unclosed quote?); fix or remove it")
    return None
