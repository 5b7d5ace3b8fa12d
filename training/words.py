"""The PDQ summaries' own words that the speller must not take for a slip (`retriever/pdq_words.txt`),
the subjects their titles name (`retriever/pdq_subjects.txt`), the cancers they name
(`retriever/pdq_cancer_names.txt`), and the words used as bare verbs (`retriever/pdq_verbs.txt`).

The speller corrects a typed non-word to the everyday English word one edit away
("mgiht" -> "might"). A few of the summaries' own terms are one edit from such a word too
("desmoid" / "desmond", "protocel" / "protocol"); asked of an index without the summary that
uses them, they would be "corrected" and stop counting as a topic that index lacks. This
list, derived from the corpus rather than written by hand, keeps them as typed. A word one
edit from a commoner word of the corpus is the corpus's own slip ("thryoid", once, beside
"thyroid") and is left out, so that a patient's "thryoid" is still read as thyroid.

The subjects are the distinctive words of the summaries' titles ("adrenocortical", "gallbladder",
"mesothelioma") that are no words of everyday English (below the speller's `ENGLISH_ZIPF`: the
supportive-care and remedy titles' "regimen", "cardiac", "plasma", "dietary" are, and
patients use them of any summary): abstention counts one as a topic the
passages miss when the index never mentions it (`retriever.health_topics.topic_words`), so that a
patient who names a cancer whose summary the index lacks is told so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import frontmatter
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ingest.parsing import parse_sections
from retriever.keyword import surface_counts
from retriever.spelling import ENGLISH_ZIPF, MIN_LEN, everyday_slips
from retriever.text import fold, sentence_spans, strip_accents
from retriever.tokenization import EVERYDAY_ZIPF, NON_WORD_ZIPF, STOPWORDS, Vocabulary, zipf
from retriever.tokenization import words as surface_words
from retriever.wordpairs import segments
from training.nearmiss import GENERIC_TITLE_WORDS

HEADER = ("# The PDQ summaries' words that English does not use (wordfreq Zipf below 1) and that are one\n"
          "# edit from an everyday word: the speller keeps them as typed. Made from the corpus by\n"
          "# python -m training words; tests/training/test_words.py checks it is current.\n")
SUBJECTS_HEADER = ("# The distinctive words of the PDQ summaries' titles that everyday English rarely uses\n"
                   "# (wordfreq Zipf below 3): a question naming one that the index never mentions is refused.\n"
                   "# Made from the corpus by python -m training words; tests/training/test_words.py checks it.\n")
CANCER_WORDS_HEADER = ("# The words that name a cancer-type summary: its title's distinctive words, less everyday\n"
                       "# English (Zipf 4 or more) and words that more than a quarter of the summaries mention. A\n"
                       "# question naming one is refused when its first passages never name it (nor hold a word\n"
                       "# of its first four letters where their summary names it). Made from the corpus by\n"
                       "# python -m training words; tests/training/test_words.py checks it is current.\n")
CANCER_NAMES_HEADER = ("# The words that name a cancer before 'cancer': the summaries' one-word cancer types (front\n"
                       "# matter) and the word that opens a title's '... Cancer'. A question naming '<word> cancer'\n"
                       "# that no passage of the index names is refused (retriever/cancer_names.py). Made from the\n"
                       "# corpus by python -m training words; tests/training/test_words.py checks it is current.\n")
# The word before a title's "Cancer" that opens the cancer's name: first in the title, or after
# "Childhood", "Adult", "of", "and", a comma or "&" ("Colon", "Childhood Ovarian", "Ovarian
# Epithelial, Fallopian, & Peritoneal Cancers"), not the end of a longer name ("Small
# Intestine", "Renal Cell", "Oral Cavity", "Salivary Gland"); `GENERIC_TITLE_WORDS` ("Rare") name none.
_TITLE_NAME = re.compile(r"(?:^|\b(?:Childhood|Adult|of|and)\s|[,&]\s)([A-Z][a-z]+)\s+Cancers?\b")
#: A word that more than this share of the summaries mention is said of any cancer, not the name
#: of some: "malignant" (92 of 169), "metastatic", "gland", "carcinoma", "intestine".
NAMING_SHARE = 0.25
BOILERPLATE_HEADER = ("# The sentences (folded) that nine in ten PDQ summaries carry, split as the index splits\n"
                      "# them: abstention does not count their words as a passage's topics. Made from the corpus\n"
                      "# by python -m training words; tests/training/test_words.py checks it is current.\n")
VERBS_HEADER = ("# Words used as bare verbs: after can, may, should or will in the PDQ summaries, or after\n"
                "# \"does it\", \"can I\" in the training summaries' lay questions, at least twice and at least half\n"
                "# as often as after a, an or the. \"does\" typed \"dose\" has one after its subject\n"
                "# (retriever/dose_typed.py). Made by python -m training words; tests/training/test_words.py\n"
                "# checks it is current.\n")
_AFTER_MODAL = re.compile(r"\b(?:can|cannot|could|may|might|must|should|will|would)\s+([a-z]+)\b")
_ASKED_VERB = re.compile(r"\b(?:does|do|did|can|could|will|would|should|may|might)\s+(?:it|he|she|they|i|you|we|this|"
                         r"that)\s+([a-z]+)\b")
_AFTER_ARTICLE = re.compile(r"\b(?:a|an|the)\s+([a-z]+)\b")
#: Verbs that the keyword index's stopwords hold: a "dose" typed for "does" is often followed by them.
_STOPWORD_VERBS = frozenset({"be", "do", "get", "have", "need"})
#: Adverbs that stand between a modal and its verb ("may often cause").
_BETWEEN = frozenset({"ever", "never", "often", "sometimes"})
BOILERPLATE_SHARE = 0.9  # 40 sentences at 0.8, 0.9 and 0.95 alike; the next most common stands in 56%


class CorpusError(ValueError):
    """A corpus folder without summaries."""


def listing(header: str, entries: list[str]) -> str:
    """A shipped list's text: its header, then one entry a line (`retriever.text.shipped_lines`
    reads it back)."""
    return header + "".join(f"{e}\n" for e in entries)


def blocks(body: str) -> list[str]:
    """A summary body's paragraphs and lists, as the index reads them (`ingest.parsing`)."""
    return [block for section in parse_sections(body) for block in section.blocks]


@dataclass(frozen=True)
class CorpusSummary:
    """One summary of the corpus as the lists read it: its file's name, front matter and body."""

    doc_id: str
    metadata: Mapping
    content: str

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))

    @property
    def cancer_type(self) -> bool:
        """Whether it is about a cancer type: its page is under /types/."""
        return "/types/" in str(self.metadata.get("url", ""))


def read_corpus(corpus: Path) -> list[CorpusSummary]:
    """Every summary of ``corpus``, read once for all the lists (`python -m training words`)."""
    paths = sorted(corpus.glob("*.md"))
    if not paths:
        raise CorpusError(f"{corpus}: no PDQ summaries (*.md) in it; pass --corpus training/corpus")
    posts = [(path.stem, frontmatter.load(path)) for path in paths]
    return [CorpusSummary(stem, post.metadata, post.content) for stem, post in posts]


def summaries(corpus: Path | list[CorpusSummary]) -> list[tuple[str, str]]:
    """(title, text) of each of the corpus's summaries (a folder, or its summaries read already)."""
    read = read_corpus(corpus) if isinstance(corpus, Path) else corpus
    return [(s.title, s.content) for s in read]


def corpus_counts(docs: list[tuple[str, str]]) -> Counter:
    """How often each word occurs in the titles and text of the corpus's summaries (`summaries`)."""
    return surface_counts([f"{title} {text}" for title, text in docs])


def title_words(title: str) -> set[str]:
    """A title's distinctive words (`training.nearmiss`'s), accents dropped: "Sézary" is read as
    "sezary", as a patient without the accent types it."""
    return {w for w in re.findall(r"[a-z]+", strip_accents(title).lower())
            if len(w) > 2 and w not in GENERIC_TITLE_WORDS}


def pdq_subjects(titles: list[str]) -> list[str]:
    """Sorted distinctive title words rarer in English than `ENGLISH_ZIPF`."""
    return sorted({w for title in titles for w in title_words(title) if zipf(w) < ENGLISH_ZIPF})


def cancer_titles(read: list[CorpusSummary]) -> list[str]:
    """The titles of the corpus's cancer-type summaries (`read_corpus`): those whose page is under /types/."""
    return [s.title for s in read if s.cancer_type]


def pdq_cancer_words(titles: list[str], docs: list[tuple[str, str]]) -> list[str]:
    """Sorted distinctive words of ``titles`` below `EVERYDAY_ZIPF` that at most `NAMING_SHARE`
    of ``docs`` (`summaries`) mention in any form (`Vocabulary.knows`, as abstention reads them)."""
    candidates = {w for title in titles for w in title_words(title) if zipf(w) < EVERYDAY_ZIPF}
    vocabularies = [Vocabulary(surface_words(f"{title} {text}")) for title, text in docs]
    return sorted(w for w in candidates if sum(v.knows(w) for v in vocabularies) <= NAMING_SHARE * len(docs))


def pdq_cancer_names(read: list[CorpusSummary]) -> list[str]:
    """Sorted names of cancers (`CANCER_NAMES_HEADER`), from the corpus's front matter and titles
    (`read_corpus`), kept where its summaries write the name before "cancer": "thymoma",
    "myeloma" and "pituitary" are types the corpus never says so of, and "is thymoma cancer"
    asks about it."""
    names: set[str] = set()
    for s in read:
        names |= {str(t).strip().lower() for t in s.metadata.get("cancerTypes") or [] if " " not in str(t).strip()}
        names |= {m.group(1).lower() for m in _TITLE_NAME.finditer(s.title)}
    said = {w for s in read for ws in segments(s.content) for w, after in zip(ws, ws[1:])
            if after in ("cancer", "cancers")}
    return sorted(n for n in map(strip_accents, names)
                  if n.isalpha() and n not in GENERIC_TITLE_WORDS and n in said)  # "Rare Cancers" names none


def render_cancer_names(read: list[CorpusSummary]) -> str:
    """The cancer names file: its header, then one name a line."""
    return listing(CANCER_NAMES_HEADER, pdq_cancer_names(read))


def render_cancer_words(titles: list[str], docs: list[tuple[str, str]]) -> str:
    """The cancer words file: its header, then one word a line."""
    return listing(CANCER_WORDS_HEADER, pdq_cancer_words(titles, docs))


def render_subjects(titles: list[str]) -> str:
    """The subjects file: its header, then one subject a line."""
    return listing(SUBJECTS_HEADER, pdq_subjects(titles))


def pdq_boilerplate(bodies: list[str]) -> list[str]:
    """Sorted folded sentences that `BOILERPLATE_SHARE` of the summaries' bodies carry."""
    carried: Counter = Counter()
    for body in bodies:
        carried.update({fold(block[a:b]) for block in blocks(body) for a, b in sentence_spans(block)})
    return sorted(s for s, n in carried.items() if n >= BOILERPLATE_SHARE * len(bodies))


def render_boilerplate(bodies: list[str]) -> str:
    """The boilerplate file: its header, then one sentence a line."""
    return listing(BOILERPLATE_HEADER, pdq_boilerplate(bodies))


def pdq_words(counts: Counter) -> list[str]:
    """Sorted non-words of the corpus (``MIN_LEN`` letters or more) one edit from an everyday
    word, less the corpus's own slips."""
    rare = [w for w in counts if w.isalpha() and len(w) >= MIN_LEN and zipf(w) < NON_WORD_ZIPF]
    return sorted(w for w in rare if everyday_slips(w) and not _corpus_slip(w, counts))


def _corpus_slip(word: str, counts: Counter) -> bool:
    near = process.extract(word, [w for w in counts if abs(len(w) - len(word)) <= 1 and w != word],
                           scorer=OSA.distance, score_cutoff=1, limit=5)
    return any(counts[w] > counts[word] for w, _, _ in near)


def render(counts: Counter) -> str:
    return listing(HEADER, pdq_words(counts))


def bare_verbs(bodies: list[str], questions: list[str]) -> list[str]:
    """Sorted words the summaries put after a modal verb, or the questions after "does it",
    twice or more and at least half as often as after an article ("may help", "can change";
    not "the scan")."""
    text = "\n".join(bodies).lower()
    used = Counter(_AFTER_MODAL.findall(text)) + Counter(w for q in questions for w in _ASKED_VERB.findall(q.lower()))
    named = Counter(_AFTER_ARTICLE.findall(text))
    return sorted(w for w, n in used.items() if n >= 2 and 2 * n >= named[w] and not w.endswith("ly")
                  and w not in _BETWEEN and (w not in STOPWORDS or w in _STOPWORD_VERBS))


def training_questions(path: Path) -> list[str]:
    """The questions of ``path`` about training summaries: validation ones stay unread.

    ``path`` is a training-format file; `load_questions` names every bad line."""
    from training.data import is_validation
    from training.questions import load_questions

    return [q.question for q in load_questions(path) if not is_validation(q.doc_id)]


def render_verbs(bodies: list[str], questions: list[str]) -> str:
    return listing(VERBS_HEADER, bare_verbs(bodies, questions))
