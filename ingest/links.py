"""The pages a document links to by name, kept when ingest drops links from the text.

A passage keeps a link's text and loses its address: "Childhood Gastrointestinal
Neuroendocrine Tumors Treatment" stays a line of the seed, its address goes. The patients'
page then could only open the seed at that line for a reader to follow it from there
(`service.notices`: the childhood version, another summary). The manifest keeps each such
link's address, absolute, so the page can open the page named.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from ingest.parsing import DROPPED_LINK_TEXTS

# [text](address) for a page of the site (a path or a web address); PDQ's dictionary
# pop-ups (/Common/PopUps/...) define a word and name no page.
_LINK = re.compile(r"\[([^\[\]]+)\]\(\s*((?:https?://|/)[^)\s]*)\s*\)")
_NOT_A_PAGE = re.compile(r"^/Common/PopUps/|popDefinition", re.IGNORECASE)


def named_pages(body: str, url: str) -> dict[str, str]:
    """``{link text: absolute address}`` for the pages ``body`` links to (its first link
    of each text), a path read against the document's own ``url``; {} when a path cannot be
    (the document gives no web address)."""
    base = url if urlsplit(url).scheme in ("http", "https") else ""
    out: dict[str, str] = {}
    for text, address in _LINK.findall(body):
        path = urlsplit(address).path
        if (_NOT_A_PAGE.search(address) or (address.startswith("/") and not base) or not path.strip("/")
                or text.strip().lower() in DROPPED_LINK_TEXTS):  # "Enlarge": an image
            continue
        out.setdefault(" ".join(text.split()), urljoin(base, address) if address.startswith("/") else address)
    return out
