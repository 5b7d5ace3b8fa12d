"""Acronyms the PDQ summaries define, written out in a question ("NET" -> "neuroendocrine
tumor (NET)") so that the model and BM25 see the summaries' words too.

Staff search by acronym ("NET", "MEN1", "GIST"), and a summary that spells a term out may
never use its acronym: the GI summary says "neuroendocrine tumors" and never "NET", so
"NET" alone matched its permission notice, first. Only acronyms the index never uses are
written out. The table (`ACRONYMS`) is mined from the
corpus's own definitions, "neuroendocrine tumors (NETs)", by ``python -m training words``
(the Schwartz-Hearst algorithm), not written by hand. Only a word typed in capitals counts
("PET" is the scan, "pet" an animal), and none in a question typed all in capitals unless
every word of it is an acronym ("GI NET").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

ACRONYMS = Path(__file__).with_name("pdq_acronyms.txt")
_CAPITALS = re.compile(r"\b[A-Z0-9][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*\b")


@lru_cache(maxsize=1)
def acronyms() -> dict[str, str]:
    """``{acronym: definition}`` of `ACRONYMS`, read once."""
    text = ACRONYMS.read_text(encoding="utf-8")  # shipped with the package
    return dict(line.split("\t", 1) for line in text.split("\n") if line and not line.startswith("#"))


def write_out(text: str, index_knows: Callable[[str], bool] = lambda word: False) -> str:
    """``text`` with each acronym the summaries define and the index never uses after its
    definition: "NET surgery" -> "neuroendocrine tumor (NET) surgery". One the index uses is
    left as typed: written out, "PDQ" and "MEN1" pulled their searches away from the passages
    that use them (the seed's sets lost three questions and answered one out-of-scope)."""
    table = acronyms()
    if not any(c.islower() for c in text) and not all(w in table for w in re.findall(r"\w{2,}", text)):
        return text  # a question typed all in capitals, not a run of acronyms ("GI NET")

    def one(m: re.Match) -> str:
        word = m[0]
        return f"{table[word]} ({word})" if word in table and not index_knows(word.lower()) else word

    return _CAPITALS.sub(one, text)
