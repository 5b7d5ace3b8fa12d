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

from markdown_it.token import Token

from ingest.parsing import DROPPED_LINK_TEXTS

# PDQ's dictionary pop-ups (/Common/PopUps/...) define a word and name no page.
_NOT_A_PAGE = re.compile(r"^/Common/PopUps/|popDefinition", re.IGNORECASE)


def named_pages(tokens: list[Token], url: str) -> dict[str, str]:
    """``{link text: absolute address}`` for the pages a body links to (its first link of
    each text; the text as a passage shows it), a path read against the document's own
    ``url``; none for a path when the document gives no web address. The links are read from
    markdown-it's ``tokens`` of the body, those ingest checks the body with
    (`parsing.markdown_tokens`): titles, references, escapes and brackets alike."""
    base = url if urlsplit(url).scheme in ("http", "https") else ""
    out: dict[str, str] = {}
    for token in tokens:
        for text, address in _links(token.children or []):
            parts = urlsplit(address)
            relative = not parts.scheme
            if (parts.scheme not in ("", "http", "https") or _NOT_A_PAGE.search(address) or not text
                    or (relative and (not base or not address.startswith("/") or address.startswith("//")))
                    or not parts.path.strip("/") or text.lower() in DROPPED_LINK_TEXTS):
                continue
            out.setdefault(text, urljoin(base, address) if relative else address)
    return out


def _links(children: list[Token]) -> list[tuple[str, str]]:
    """(visible text, href) of each link among an inline token's children."""
    found, href, text = [], None, []
    for child in children:
        if child.type == "link_open":
            href, text = str(child.attrGet("href") or ""), []
        elif child.type == "link_close" and href is not None:
            found.append((" ".join("".join(text).split()), href))
            href = None
        elif href is not None and child.type in ("text", "code_inline"):
            text.append(child.content)
        elif href is not None and child.type in ("softbreak", "hardbreak"):
            text.append(" ")
    return found
