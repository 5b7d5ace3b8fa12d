"""Adult or childhood: which of PDQ's parallel summaries a question is about.

PDQ keeps separate summaries for many cancers in children ("Childhood Hodgkin Lymphoma
Treatment") and in adults ("Hodgkin Lymphoma Treatment"). The two share most of their
words, and the childhood titles are shorter, so keyword and title matching lean towards
them. A question that names no child is almost always about an adult, so its passages from
childhood summaries are ranked lower; a question that does name one ("my son", "teen")
is left alone.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

_CHILD_WORDS = re.compile(
    r"\b(child|children|childhood|childs|kid|kids|son|sons|daughter|daughters|baby|babies|"
    r"infant|infants|toddler|toddlers|newborn|teen|teens|teenager|teenagers|adolescent|"
    r"adolescents|pediatric|paediatric|boy|boys|girl|girls|youth|grandson|granddaughter)\b",
    re.IGNORECASE,
)


def names_a_child(question: str) -> bool:
    return bool(_CHILD_WORDS.search(question))


def _slug(url: str) -> str:
    """The last part of a url's path ("child-all-treatment-pdq")."""
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


def is_childhood(title: str, url: str) -> bool:
    """Whether a document is the childhood summary, by its title or its url's last part."""
    return bool(re.search(r"\bchild(hood|ren)?\b", title, re.IGNORECASE)) or _slug(url).startswith("child-")


def url_words(url: str) -> str:
    """The words of a url's last part ("adult-all-treatment-pdq" -> "adult all treatment pdq").

    PDQ titles leave out "Adult" where the url keeps it, so title matching gets both.
    """
    return re.sub(r"[-_]+", " ", _slug(url))
