"""Links that land a browser on the passage itself, with a URL text fragment."""

from __future__ import annotations

from urllib.parse import quote

from retriever.text import strip_list_marker

FRAGMENT_WORDS = 8


def _encode(text: str) -> str:
    # '-', ',' and '&' are syntax inside a text directive and must be percent-encoded.
    return quote(text, safe="").replace("-", "%2D")


def opening_words(text: str, n: int = FRAGMENT_WORDS) -> str:
    """The first ``n`` words of a passage's first line, without a list marker."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    first = strip_list_marker(first)
    return " ".join(first.split()[:n]).rstrip(":;,")


def text_fragment_link(url: str, text: str) -> str:
    """``url#:~:text=<opening words>``, or the bare url when there is nothing to quote.

    Browsers without text-fragment support simply open the page.
    """
    if not url:
        return ""
    words = opening_words(text)
    base = url.split("#", 1)[0]
    return f"{base}#:~:text={_encode(words)}" if words else base


def citation_line(title: str, heading_path: list[str], link: str) -> str:
    """"Title — Section > Path — link", as staff paste it."""
    path = " > ".join(h for h in heading_path if h != title)
    return " — ".join(p for p in (title, path, link) if p)
