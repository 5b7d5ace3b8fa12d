"""A summary's own table of contents, offered beside a refusal on the patients' page.

A refusal leaves a worried reader nowhere to go when the summary does answer and the
search missed it ("the shot in the bum every month" is answered by "Hormone therapy";
"will my husband get through this" by the prognosis section). The summary's headings,
each linking to its first passage on the source page, let them look for themselves: it
shows no passage as an answer, so it cannot give a wrong one.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

# Headings below the title that the contents show: sections, their sub-sections, and the
# bold sub-headings under those ("The following types of treatment are used:" > "Hormone
# therapy"), where the seed names each treatment.
DEPTH = 3


@dataclass(frozen=True)
class Topic:
    """A heading of the summary, the link to its first passage ("" when it has none of its own),
    and the headings under it."""

    heading: str
    link: str
    topics: tuple[Topic, ...] = ()


_contents: weakref.WeakKeyDictionary[object, dict[str, tuple[Topic, ...]]] = weakref.WeakKeyDictionary()


def contents(retriever, doc_id: str) -> tuple[Topic, ...]:
    """The headings of summary ``doc_id`` in the index, in the summary's order, built once
    per retriever and summary; () for a summary the index does not hold."""
    built = _contents.setdefault(retriever, {})
    if doc_id not in built:
        built[doc_id] = build_contents(
            [(c.heading_path[1:1 + DEPTH], retriever.links[c.id]) for c in retriever.chunks
             if c.doc_id == doc_id and not c.outline])  # "Key Points" lists repeat the headings
    return built[doc_id]


def build_contents(paths: list[tuple[tuple[str, ...] | list[str], str]]) -> tuple[Topic, ...]:
    """The tree of ``paths`` (each passage's headings below the title, and its link), each
    heading linked to its own first passage. One with no passage of its own is not linked:
    linked to its first sub-heading's passage, it opened the same place as the link under it,
    two links in a row (a patient's trial)."""
    tree: dict[str, list] = {}  # heading: [its own first passage's link, the headings under it]
    for path, link in paths:
        level = tree
        for depth, heading in enumerate(path, 1):
            node = level.setdefault(heading, ["", {}])
            if depth == len(path) and not node[0]:
                node[0] = link
            level = node[1]
    return _topics(tree)


def _topics(tree: dict[str, list]) -> tuple[Topic, ...]:
    return tuple(Topic(heading, link, _topics(under)) for heading, (link, under) in tree.items())
