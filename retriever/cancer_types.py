"""A summary's own cancer types: those of its front matter that its title or address names.

PDQ's front matter lists related cancer types beside the summary's own: the Wilms tumor
summary lists kidney, breast, lung, skin, liver and bladder, and all 169 corpus summaries
list breast. Filtered by those lists, a support-staff search for "side effects" in lung
cancer found osteosarcoma and nasopharyngeal passages and no lung summary in its first ten.
A listed type counts as the summary's own when its title or the address's ``/types/`` part
names it ("kidney" in ``/types/kidney/``). Over the corpus, each of the 132 summaries under
``/types/`` keeps exactly the type its address files it under; of the 37 others, the
prostate-supplements summary keeps "prostate" (its title), and the coping, side-effect and
complementary-medicine ones are filed under none. The rest of an address is not read: the
pruritus summary's ``.../side-effects/skin-nail-changes/...`` names a body part, and a staff
search filtered to skin cancer got 8 of its 10 passages from that summary about itching.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

# Where cancer.gov files a summary by its cancer type: /types/kidney/..., /types/skin/...
_FILED = re.compile(r"/types/(.+)")


def _words(text: str) -> list[str]:
    """Lower-cased words, a plural's "s" dropped ("lymphomas" names "lymphoma")."""
    return [w.removesuffix("s") if len(w) > 3 else w for w in re.split(r"[\W_]+", text.lower()) if w]


@lru_cache(maxsize=4096)
def own_types(listed: tuple[str, ...], title: str, url: str) -> tuple[str, ...]:
    """The types of ``listed`` that ``title`` or the ``/types/`` part of ``url``'s path names,
    word for word, in their order. The address's host is left out: a type "cancer" is no
    subject of every cancer.gov page."""
    filed = _FILED.search(urlsplit(url).path)
    named = " " + " ".join(_words(f"{title} {filed.group(1) if filed else ''}")) + " "
    return tuple(t for t in listed if (words := _words(t)) and f" {' '.join(words)} " in named)


def types_of(entry) -> tuple[str, ...]:
    """`own_types` of a chunk or a manifest's document entry: each carries its front
    matter's ``cancer_types``, ``title`` and ``url``. The filter, the API and the pages read
    a document's types through this one call."""
    return own_types(tuple(entry.cancer_types), entry.title, entry.url)
