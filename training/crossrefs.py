"""The lines of PDQ summaries that only name another summary (`retriever.boilerplate`).

PDQ's summaries point to one another in list items that are nothing but a link to the other
summary's page ("See the following ...: - Pancreatic Neuroendocrine Tumors (Islet Cell Tumors)
Treatment"). Such a line says nothing of the summary it stands in, so abstention does not count
its words as a passage's topics. The index keeps only a link's text, so the lines are found in
the corpus's markdown, where the link's page is known, and listed by their folded text; a text
the corpus also writes as content anywhere ("Depression" in a list of symptoms, "Soft Tissue Sarcoma") is
left out, since the index could not tell the two apart.
"""

from __future__ import annotations

import re
from collections import Counter

from retriever.text import fold, sentence_spans
from training.words import blocks, listing

HEADER = ("# Lines that only name another PDQ summary (folded): list items that are nothing but a link to\n"
          "# its page, and whose text the corpus never writes as content. Abstention does not count their\n"
          "# words as a passage's topics. Made from the corpus by python -m training words;\n"
          "# tests/training/test_crossrefs.py checks it is current.\n")
# A list item that is one link to a PDQ summary's page ("/types/pancreatic/patient/pnet-treatment-pdq").
_LINK_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]+\[([^\]\n]+)\]\(([^)\s]+-pdq)\)[ \t]*$", re.MULTILINE)


def cross_references(bodies: list[str]) -> list[str]:
    """Sorted folded texts of the bodies' link-only list items to a summary's page, each as many
    times a sentence of the bodies (as the index splits them) as such an item."""
    linked: Counter = Counter()
    written: Counter = Counter()
    for body in bodies:
        linked.update(fold(m.group(1)) for m in _LINK_ITEM.finditer(body))
        written.update(fold(block[a:b]) for block in blocks(body) for a, b in sentence_spans(block))
    return sorted(text for text, n in linked.items() if written[text] == n)


def render(bodies: list[str]) -> str:
    """The cross-references file: its header, then one line a line."""
    return listing(HEADER, cross_references(bodies))
