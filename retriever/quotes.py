"""Phrases a question puts in double quotes: read as the search holds them to, and as typed.

A quoted phrase is what the reader insists on, as in a search box (`planning.held`): its
passages come first, and a page names back the phrases no passage shown holds.
"""

from __future__ import annotations

from retriever.text import drop_invisible, straighten_quotes
from retriever.tokenization import negated, words


def split_quotes(text: str) -> tuple[list[str], list[str]]:
    """What ``text`` puts in double quotes (straight or curly, paired left to right) and the
    rest; an unclosed quote quotes nothing, its tail stays outside."""
    parts = straighten_quotes(text).split('"')
    closed = 2 * ((len(parts) - 1) // 2)  # parts[1], parts[3], ... below it are quoted
    inside = [part for i, part in enumerate(parts) if i % 2 == 1 and i < closed]
    return inside, [part for i, part in enumerate(parts) if i % 2 == 0 or i > closed]


def quoted(text: str) -> tuple[str, ...]:
    """The phrases ``text`` puts in double quotes, as their words (`tokenization.words`) joined by spaces."""
    return tuple(quoted_as_typed(text))


def quoted_as_typed(text: str) -> dict[str, str]:
    """``{phrase as `quoted` reads it: as typed}`` ("ki 67 index": "Ki-67 Index"), for a page
    that names a phrase back to its reader."""
    out: dict[str, str] = {}
    for part in split_quotes(text)[0]:
        if len(phrase := " ".join(negated(words(part)))) > 1:
            out.setdefault(phrase, " ".join(drop_invisible(part).split()))
    return out


def unquoted(text: str) -> str:
    """``text`` less what `quoted` reads as quoted."""
    return " ".join(split_quotes(text)[1])
