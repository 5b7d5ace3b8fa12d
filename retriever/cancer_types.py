"""A summary's own cancer types: those of its front matter that its title or address names.

PDQ's front matter lists related cancer types beside the summary's own: the Wilms tumor
summary lists kidney, breast, lung, skin, liver and bladder, and all 169 corpus summaries
list breast. Filtered by those lists, a support-staff search for "side effects" in lung
cancer found osteosarcoma and nasopharyngeal passages and no lung summary in its first ten.
A listed type counts as the summary's own when its title or web address names it ("kidney"
in ``/types/kidney/``). Over the corpus, each of the 132 summaries under ``/types/`` keeps
exactly the type its address files it under; of the 37 others, the prostate-supplements and
pruritus summaries keep "prostate" and "skin" (``.../skin-nail-changes/...``), and the coping,
side-effect and complementary-medicine ones, which name none of their listed types, are
filed under none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit


def _words(text: str) -> list[str]:
    """Lower-cased words, a plural's "s" dropped ("lymphomas" names "lymphoma")."""
    return [w.removesuffix("s") if len(w) > 3 else w for w in re.split(r"[\W_]+", text.lower()) if w]


@lru_cache(maxsize=4096)
def own_types(listed: tuple[str, ...], title: str, url: str) -> tuple[str, ...]:
    """The types of ``listed`` that ``title`` or the path of ``url`` names, word for word, in
    their order. The address's host is left out: a type "cancer" is no subject of every
    cancer.gov page."""
    named = " " + " ".join(_words(f"{title} {urlsplit(url).path}")) + " "
    return tuple(t for t in listed if (words := _words(t)) and f" {' '.join(words)} " in named)


def types_of(entry) -> tuple[str, ...]:
    """`own_types` of a chunk or a manifest's document entry: each carries its front
    matter's ``cancer_types``, ``title`` and ``url``. The filter, the API and the pages read
    a document's types through this one call."""
    return own_types(tuple(entry.cancer_types), entry.title, entry.url)
