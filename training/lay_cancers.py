"""Everyday names of cancers, learned from the training questions, for `retriever/pdq_lay_cancers.txt`.

Patients name a cancer by where it is ("mouth cancer", "bowel cancer", "blood cancer"), and no
summary says so: the oral cavity summary says "lip and oral cavity cancer", the leukemia
summaries "leukemia". The lay questions written for the training summaries say which words
are such names and which summaries they are asked of: "mouth cancer" is asked of summaries
whose titles say "Oral" in 97 of 100 questions, "the cancer" or "childhood cancer" of every
kind of summary. A word is a name when the titles of the summaries its "<word> cancer"
questions are about share a few words (`title_words`), and those few words say which summaries
are about it; an index whose titles hold none of them is not (`retriever.cancer_names`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import frontmatter

from retriever.wordpairs import segments
from training.words import listing, title_words

LAY_CANCERS_HEADER = ("# Everyday names of cancers (\"mouth cancer\"), each with the title words of the summaries\n"
                      "# about it, tab-separated: a question naming '<name> cancer' of an index whose titles hold\n"
                      "# none of the words and whose passages never say '<name> cancer' or '<name> tumor' is\n"
                      "# refused (retriever/cancer_names.py). Learned from the training summaries' lay questions\n"
                      "# by python -m training words; tests/training/test_lay_cancers.py checks it is current.\n")
# A name is asked "<word> cancer" this often for each title word it needs at least: "womb" 189
# times (two steps of `_covering`), "bottom" 15 (one); below that the words are mostly the question's own
# ("new cancer", "real cancer"), and "early" (24 questions) and "lump" (24) need four words.
MIN_ASKED = 15
# The summaries it is asked of share one of at most `MOST_TITLE_WORDS` title words in this
# share of its questions: "throat" (oropharyngeal, hypopharyngeal, oral, nasopharyngeal) 0.93,
# "blood" (leukemia) 0.91; "gland" and "neck", asked of salivary gland, thyroid and lymph node
# summaries alike, need more.
COVERED_SHARE = 0.9
MOST_TITLE_WORDS = 4
# The share of its questions about summaries of a cancer type (their pages under /types/):
# "depression" is asked of coping summaries.
TYPED_SHARE = 0.9
# A title word of more summaries than this says nothing of which cancer ("sarcoma" heads 9).
MOST_TITLES = 10
# Once a word is a name, the title words of the rest of its questions are its summaries' too
# where this many questions are asked of them: "throat cancer" of the laryngeal summaries, "blood
# cancer" of the myeloproliferative neoplasms one. A search filtered to a summary whose title
# holds none of them refuses the question: of the training summaries' own questions naming one,
# filtered to their own summary, 82 of 1,500 were refused without these, 64 with them (52 before
# any name; docs/abstention.md, "Everyday names of cancers, learned").
TAIL_ASKED = 2
_CANCER = ("cancer", "cancers")


@dataclass(frozen=True)
class Asked:
    """A training question as the mining reads it: its text and its summary's title and kind."""

    question: str
    title: str
    cancer_type: bool


def read_asked(paths: list[Path], corpus: Path) -> list[Asked]:
    """The questions of the training-format files ``paths`` about the training summaries of
    ``corpus`` (validation ones stay unread); `load_questions` names every bad line."""
    from training.data import is_validation
    from training.questions import load_questions

    posts = {path.stem: frontmatter.load(path).metadata for path in sorted(corpus.glob("*.md"))}
    return [Asked(q.question, str(posts[q.doc_id].get("title", "")), "/types/" in str(posts[q.doc_id].get("url", "")))
            for path in paths for q in load_questions(path) if q.doc_id in posts and not is_validation(q.doc_id)]


def lay_cancer_names(asked: list[Asked], known: frozenset[str] = frozenset()) -> dict[str, tuple[str, ...]]:
    """``{word: title words}`` for each word the questions put before "cancer" that names one
    cancer (see the module), the title words in the order they cover its questions; the
    names of ``known`` (the corpus's own, `pdq_cancer_names.txt`) are left out."""
    found: dict[str, list[Asked]] = {}
    for a in asked:
        for w in dict.fromkeys(w for ws in segments(a.question.lower()) for w, after in zip(ws, ws[1:])
                               if after in _CANCER and w.isalpha() and w not in known):
            found.setdefault(w, []).append(a)
    titles = Counter(w for t in {a.title for a in asked} for w in title_words(t))
    out = {}
    for word, questions in sorted(found.items()):
        if len(questions) < MIN_ASKED or sum(a.cancer_type for a in questions) < TYPED_SHARE * len(questions):
            continue
        steps, needed = _covering([{w for w in title_words(a.title) if titles[w] <= MOST_TITLES} for a in questions])
        if needed and len(questions) >= MIN_ASKED * needed:
            out[word] = tuple(w for step in steps for w in step)
    return out


def _covering(sets: list[set[str]]) -> tuple[list[tuple[str, ...]], int]:
    """Steps of words that some `COVERED_SHARE` of ``sets`` hold one of within `MOST_TITLE_WORDS`
    steps, then as long as a step covers `TAIL_ASKED` more of them, and how many steps the share
    took (0: it takes more). Each step is the word most of the rest hold, with every word
    holding just the same ones ("Malignant Mesothelioma": the training questions cannot tell
    which of its words names the cancer, and either covers it)."""
    steps: list[tuple[str, ...]] = []
    needed, left = 0, sets
    while left:
        if not needed and len(left) <= (1 - COVERED_SHARE) * len(sets):
            needed = len(steps)
        counts = Counter(w for s in left for w in s)
        best = max(sorted(counts), key=counts.__getitem__) if counts else None
        if best is None or (needed and counts[best] < TAIL_ASKED) or (not needed and len(steps) == MOST_TITLE_WORDS):
            break
        held = [best in s for s in left]
        steps.append(tuple(w for w in sorted(counts) if [w in s for s in left] == held))
        left = [s for s in left if best not in s]
    return steps, needed or (len(steps) if not left else 0)


def render_lay_cancers(asked: list[Asked], known: frozenset[str]) -> str:
    """The lay cancer names file: its header, then each name and its title words, tab-separated."""
    names = lay_cancer_names(asked, known)
    return listing(LAY_CANCERS_HEADER, [f"{w}\t{' '.join(t)}" for w, t in names.items()])
