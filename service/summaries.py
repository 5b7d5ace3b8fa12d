"""Which summaries the patients' page searches, and when to ask which one was meant.

On a many-summary index a question such as "what are the side effects of surgery?"
fits dozens of summaries equally; quoting the first one found would guess at the
reader's cancer. When the question names no summary's subject and its best passages
come from several summaries, the page lists those summaries to choose from instead.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from urllib.parse import urlsplit

from retriever.audience import audience, is_childhood
from retriever.cancer_types import own_types
from retriever.models import Hit
from retriever.store import DocumentEntry
from retriever.tokenization import content_words, stem
from service.presentation import short_title

# Shown in this order; a summary goes to the first group whose test it passes.
GROUPS = (
    ("Cancer treatment", lambda title, url: "treatment" in title.lower() or "-treatment-pdq" in url),
    ("Screening", lambda title, url: "screening" in title.lower()),
    ("Prevention", lambda title, url: "prevention" in title.lower()),
    ("Coping with cancer", lambda title, url: "/coping/" in url),
    ("Side effects", lambda title, url: "/side-effects/" in url),
    ("Complementary and alternative medicine", lambda title, url: "/cam/" in url),
)
OTHER = "Other summaries"
# Title words that name no subject (or are everyday words): a question using only these
# names no summary. Read off the 169 corpus titles.
GENERIC = frozenset("""cancer cancers treatment treatments tumor tumors tumour tumours screening
    prevention childhood adult adults nci pdq patient version care cam therapy therapies
    syndrome syndromes related unusual health professional types type people effects late
    side including information non cell cells primary rare up selected system disease
    diseases disorders complications interactions post adjusting malignant multiple small
    men black hot night milk sun oil food essential extract tissue soft new""".split())
# The pages name NCI as the summaries' author ("Searching 3 NCI summaries", "What NCI's
# information says") only when every summary is a page of its site: an operator's own
# leaflets were presented as NCI's (a new user's trial); the pages then speak of "the summaries".
NCI_HOST = "cancer.gov"
AMBIGUOUS_DEPTH = 3  # the passages a reader would see
MAX_CHOICES = 5


@dataclass(frozen=True)
class Summary:
    doc_id: str
    title: str


@dataclass(frozen=True)
class Catalog:
    """The index's summaries, grouped for a picker, and the words that name them."""

    groups: list[tuple[str, list[Summary]]]
    titles: dict[str, str]
    subject_stems: frozenset[str]
    from_nci: bool

    @property
    def count(self) -> int:
        return len(self.titles)


_catalogs: weakref.WeakKeyDictionary[object, Catalog] = weakref.WeakKeyDictionary()


def catalog(retriever) -> Catalog:
    """The catalog of a loaded retriever's index, built once per retriever."""
    found = _catalogs.get(retriever)
    if found is None:
        found = _catalogs[retriever] = build_catalog(retriever.manifest.documents)
    return found


def build_catalog(documents: dict[str, DocumentEntry]) -> Catalog:
    grouped: dict[str, list[Summary]] = {}
    stems: set[str] = set()
    titles: dict[str, str] = {}
    for doc_id, d in documents.items():
        title, url = d.title or doc_id, d.url
        titles[doc_id] = short_title(title)
        group = next((name for name, test in GROUPS if test(title, url)), OTHER)
        grouped.setdefault(group, []).append(Summary(doc_id, titles[doc_id]))
        words = content_words(" ".join([title, *own_types(tuple(d.cancer_types), title, url)]))
        stems |= {stem(w) for w in words if w not in GENERIC and not w.isdigit()}
    order = [name for name, _ in GROUPS] + [OTHER]
    groups = [(name, sorted(grouped[name], key=lambda s: s.title.lower())) for name in order if name in grouped]
    return Catalog(groups=groups, titles=titles, subject_stems=frozenset(stems), from_nci=_all_nci(documents))


def _all_nci(documents: dict[str, DocumentEntry]) -> bool:
    hosts = [(urlsplit(d.url).hostname or "") for d in documents.values()]
    return bool(hosts) and all(h == NCI_HOST or h.endswith("." + NCI_HOST) for h in hosts)


def names_a_subject(question: str, cat: Catalog) -> bool:
    """True when a word of the question (by stem) is a word of some summary's title or type."""
    return any(stem(w) in cat.subject_stems for w in content_words(re.sub(r"[-/]", " ", question)))


def choices(question: str, hits: list[Hit], cat: Catalog, most: int = MAX_CHOICES) -> list[Summary]:
    """Summaries to offer instead of passages, or [] when the passages can be shown.

    Offered when the question names no summary's subject and the best passages come
    from more than one summary; listed in the order of their best passage, ``most`` of them,
    the childhood summaries after the others unless the question is about a child (a trial:
    "Childhood Atypical Teratoid/Rhabdoid Tumor" first for "mum is having chemo").
    """
    if cat.count < 2 or len({h.chunk.doc_id for h in hits[:AMBIGUOUS_DEPTH]}) < 2:
        return []
    if names_a_subject(question, cat):
        return []
    seen = list(dict.fromkeys(h.chunk.doc_id for h in hits))
    if audience(question) != "child":
        childhood = {h.chunk.doc_id for h in hits if is_childhood(h.chunk.title, h.chunk.url)}
        seen.sort(key=lambda d: d in childhood)  # stable: each group in its passages' order
    return [Summary(d, cat.titles.get(d, d)) for d in seen[:most]]
