"""Everyday names of cancers, learned from the training questions, for `retriever/pdq_lay_cancers.txt`.

Patients name a cancer by where it is ("mouth cancer", "bowel cancer", "blood cancer"), and no
summary says so: the oral cavity summary says "lip and oral cavity cancer", the leukemia
summaries "leukemia". The lay questions written for the training summaries say which words
are such names and which summaries they are asked of: "mouth cancer" is asked of summaries
whose titles say "Oral" in 97 of 100 questions, "the cancer" or "childhood cancer" of every
kind of summary. A word is a name when the titles of the summaries its "<word> cancer"
questions are about share a few words (`title_words`), and those words say which summaries are
about it; an index about none of them is not (`retriever.cancer_names`; docs/abstention.md,
"Everyday names of cancers, learned").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from retriever.tokenization import STOPWORDS, zipf
from retriever.wordpairs import segments
from training.words import CorpusError, CorpusSummary, listing, title_words

LAY_CANCERS_HEADER = ("# Everyday names of cancers (\"mouth cancer\"), tab-separated from the title words that cover\n"
                      "# nine in ten of the cancer-type summaries it is asked of, then from those of the rest: a\n"
                      "# question naming '<name> cancer' of an index that is about none of them is refused\n"
                      "# (retriever/cancer_names.py). Learned from the training summaries' lay questions by\n"
                      "# python -m training words; tests/training/test_lay_cancers.py checks it is current.\n")
# A name is asked "<word> cancer" this often for each step of title words it needs at least
# (`_covering`): "womb" 189 times (endometrial; uterine or sarcoma), "bottom" 15 (anal); below
# that the words are mostly the question's own ("new cancer", "real cancer"), and "early" (24
# questions) and "lump" (24) need four steps.
MIN_ASKED = 15
# The summaries it is asked of share one of at most `MOST_TITLE_WORDS` title words in this
# share of its questions: "throat" (oropharyngeal, hypopharyngeal, oral cavity, nasopharyngeal),
# "blood" (leukemia); "gland" and "neck", asked of salivary gland, thyroid and lymph node
# summaries alike, need more.
COVERED_SHARE = 0.9
MOST_TITLE_WORDS = 4
# The share of its "<word> cancer" typed first in a stretch of words or after a stop word ("my
# throat cancer", "for throat cancer") at least: a word typed mostly after another ("voice box",
# "bone marrow", "food pipe", "stomach lining", "skin rash") is the tail of a longer name, and
# alone names nothing ("tobacco pipe cancer", "gut lining cancer"; a review's). The names hold
# 0.40 to 0.88 of theirs, those tails 0.00 to 0.27.
FREE_SHARE = 1 / 3
# The share of its questions about summaries of a cancer type (their pages under /types/):
# "depression" is asked of coping summaries.
TYPED_SHARE = 0.9
# A title word of more training summaries than this says nothing of which cancer ("cell" heads
# 12; "carcinoma" 9 and "sarcoma" 4 stay), nor does one as common in English as this Zipf
# frequency or more: "small", "including",
# "disease", "primary" (4.9), "skin" (4.9) and "therapy" (4.5) stand in titles of many kinds,
# and passages use them of anything; "oral" (4.3) and "lip" (4.1) name the mouth's summaries.
MOST_TITLES = 10
TITLE_WORD_ZIPF = 4.5
# Once a word is a name, every cancer-type summary its other questions are asked of is about it
# too (its title words join the name's, `pdq_lay_cancers.txt`'s third field): without them, the
# 16 training questions asking "throat cancer" of the laryngeal summaries, filtered to them,
# were refused. Coping and remedy summaries' words are none of them: such a summary is about
# every cancer (`retriever.cancer_names`).
_CANCER = ("cancer", "cancers")


@dataclass(frozen=True)
class Asked:
    """A training question as the mining reads it: its text and its summary's title and kind."""

    question: str
    title: str
    cancer_type: bool


def read_asked(paths: list[Path], read: list[CorpusSummary]) -> list[Asked]:
    """The questions of the training-format files ``paths`` about the training summaries of the
    corpus (`read_corpus`; validation ones stay unread); `load_questions` names every bad line."""
    from training.data import is_validation
    from training.questions import load_questions

    by_id = {s.doc_id: s for s in read}
    return [Asked(q.question, by_id[q.doc_id].title, by_id[q.doc_id].cancer_type)
            for path in paths for q in load_questions(path) if q.doc_id in by_id and not is_validation(q.doc_id)]


def lay_cancer_names(asked: list[Asked], known: frozenset[str] = frozenset()
                     ) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """``{word: (title words, more title words)}`` for each word the questions put before
    "cancer" that names one cancer (see the module): the title words covering nine in ten of
    its questions in the order they cover them, then the rest's; the names of ``known`` (the
    corpus's own, `pdq_cancer_names.txt`) are left out."""
    found: dict[str, list[Asked]] = {}
    free: Counter = Counter()
    for a in asked:
        alone: dict[str, bool] = {}  # each word before "cancer": typed first or after a stop word somewhere
        for ws in segments(a.question.lower()):
            for i, w in enumerate(ws[:-1]):
                if ws[i + 1] in _CANCER and w.isalpha() and w not in known:
                    alone[w] = alone.get(w, False) or i == 0 or ws[i - 1] in STOPWORDS
        for w, first in alone.items():
            found.setdefault(w, []).append(a)
            free[w] += first
    titles = Counter(w for t in {a.title for a in asked} for w in title_words(t))
    out = {}
    for word, questions in sorted(found.items()):
        if (len(questions) < MIN_ASKED or sum(a.cancer_type for a in questions) < TYPED_SHARE * len(questions)
                or free[word] < FREE_SHARE * len(questions)):
            continue
        sets = [{w for w in title_words(a.title) if titles[w] <= MOST_TITLES and zipf(w) < TITLE_WORD_ZIPF}
                for a in questions if a.cancer_type]
        core, steps = _covering(sets)
        if steps and len(questions) >= MIN_ASKED * steps:
            out[word] = (tuple(core), tuple(sorted(set().union(*sets) - set(core))))
    return out


def _covering(sets: list[set[str]]) -> tuple[list[str], int]:
    """Words of which some `COVERED_SHARE` of ``sets`` hold one, found in at most
    `MOST_TITLE_WORDS` steps, and the steps taken (0: more are needed). Each step takes the
    word most of the rest hold, with every word holding just the same ones ("Malignant
    Mesothelioma": the training questions cannot tell which of its words names the cancer)."""
    words: list[str] = []
    left = sets
    for step in range(MOST_TITLE_WORDS + 1):
        if (len(sets) - len(left)) * 100 >= round(COVERED_SHARE * 100) * len(sets):  # whole numbers: 18 of 20
            return words, step
        counts = Counter(w for s in left for w in s)
        if not counts or step == MOST_TITLE_WORDS:
            break
        best = max(sorted(counts), key=counts.__getitem__)
        held = [best in s for s in left]
        words += [w for w in sorted(counts) if [w in s for s in left] == held]
        left = [s for s in left if best not in s]
    return words, 0


def render_lay_cancers(asked: list[Asked], known: frozenset[str]) -> str:
    """The lay cancer names file: its header, then each name and its two lists of title words, tab-separated.

    Raises:
        CorpusError: no name learned (no question about a training summary, or too few): an
            empty list would leave every everyday name answered without a word said.
    """
    names = lay_cancer_names(asked, known).items()
    if not names:
        raise CorpusError(f"no everyday cancer names learned from {len(asked)} lay questions about the training "
                          "summaries; pass the lay question files with --lay (default: training/questions/)")
    return listing(LAY_CANCERS_HEADER, [f"{w}\t{' '.join(core)}\t{' '.join(rest)}" for w, (core, rest) in names])
