"""What the fault tests share: a clean environment for the processes they run, published
copies of an index, and the one-line error they expect."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

FIX_COMMAND = "python -m ingest"


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("PDQ_")}
    e.update(HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
    return e


def publish_copy(index: Path, parent: Path, name: str = "index") -> Path:
    """A published copy of ``index`` under ``parent``: ``name`` -> ``.name-v0``."""
    parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(index.resolve(), parent / f".{name}-v0")
    link = parent / name
    link.symlink_to(f".{name}-v0")
    return link


def digests(link: Path) -> dict[str, str]:
    """sha256 of every file of the index, read through the symlink."""
    out = {}
    for root, _, files in os.walk(link):
        for f in files:
            p = Path(root, f)
            out[str(p.relative_to(link))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def versions(parent: Path, name: str = "index") -> set[str]:
    return {p.name for p in parent.glob(f".{name}-v*")}


def assert_clean_error(stderr: str, *needles: str) -> str:
    """One ``error:`` line, last, with every needle, and no traceback; returns the line."""
    assert "Traceback" not in stderr, stderr
    lines = [ln for ln in stderr.replace("\r", "\n").splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], stderr
    for needle in needles:
        assert needle in errors[0], (needle, errors[0])
    return errors[0]
