"""A drug's other names read as the name the summaries use: "sutent" -> sunitinib.

Patients and staff name a drug by its brand ("Sutent", "Sandostatin", "Afinitor"); PDQ
summaries name the drug ("sunitinib", "octreotide", "everolimus"). A brand the index never
writes matched nothing, and where a corpus word was one letter away the speller read it as
that word: "sutent" as "stent". The table (`DRUG_NAMES`) is made from a drug dictionary by
``python -m training words`` (`training.drug_names`), not written by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from retriever.text import shipped_lines

DRUG_NAMES = Path(__file__).with_name("pdq_drug_names.txt")


@lru_cache(maxsize=1)
def drug_names() -> dict[str, str]:
    """``{other name: the summaries' name}`` of `DRUG_NAMES`, read once."""
    return dict(line.split("\t") for line in shipped_lines(DRUG_NAMES))


def read_drug_names(words: Iterable[str], index_has: Callable[[str], bool]) -> tuple[dict[str, str], list[str]]:
    """``({typed: drug}, unread)``: each of ``words`` (or its singular, "sutents") that is
    another name of a drug and no word of the index, read as the summaries' name where the
    index has every word of it; where it does not (a one-summary index: "sutent" on the GI
    summary), left unread, for the planner to keep as typed (no slip of another word) and to
    count as a topic the passages must name. ``index_has`` is exact: a stem or prefix match
    took "hydroxyurea" for hydroxyzine and answered "atarax for itching" with hydrazine."""
    table = drug_names()
    named = {}
    for w in words:
        other = next((form for form in (w, w.removesuffix("s")) if form in table), None)
        if other and not index_has(w) and not index_has(other):
            named[w] = table[other]
    read = {w: drug for w, drug in named.items() if all(index_has(part) for part in drug.split())}
    return read, [w for w in named if w not in read]  # in the question's order: the topics' order
