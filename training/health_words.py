"""Learn which words of everyday English name a health topic (`retriever/health_words.txt`).

A question about a topic the index never mentions should be refused: "my dad has a carcinoid
in his appendix, what can he take for his gout" is no question for the GI summary, however
close its other words come to a passage. The hand lists of `retriever.health_topics` name
the topics a few question sets needed; "gout", "hernia", "emphysema" or "thymus" were in none,
and 17 of 63 fresh out-of-scope probes about the seed were answered (docs/abstention.md,
"Health topics, learned"). This module learns the class instead, from the training summaries'
own words and nothing written for a question set:

- a **topic**: a word the summaries use at least 10^`SPECIFIC` (about 32) times as often as
  English does (wordfreq), in at most `SPECIFIC_SHARE` of them: an organ, a condition, a drug
  or a test of a few summaries ("thymus", "bronchus", "cystoscopy"); and a word of English that
  the lists of `retriever.health_topics` name, the PDQ titles' subjects and cancer words among
  them ("asthma", "osteoporosis", "thyroid"): the conditions of everyday medicine the
  summaries seldom name;
- **no topic**: everyday English (Zipf 4 or more) the summaries use at most 10^`EVERYDAY_SPECIFIC`
  (about 3) times as often as English does ("felt", "office"); the vocabulary of cancer care
  that `SHARED_SHARE` of them or more use ("medicines", "bowel", "chemotherapy": a patient names
  it of any cancer); and a sample of English words the summaries never use (names, places,
  slang). A word the hand rules already read as a topic (`rule_topic`: "asthma", "lymphoma",
  "thyroid", "voriconazole") is never labelled no topic.

With the lists' words labelled topics, 21 of 28 conditions and organs of the fresh probes are
on the topic side ("gout", "lupus", "glaucoma"), against 16 without them.

A support vector machine (RBF kernel) on the model's vector of the word alone and its Zipf
frequency carries the class to words no summary uses ("gout", "hernia", "glaucoma"). Every
English word of four letters or more between `NON_WORD_ZIPF` and `EVERYDAY_ZIPF` on its topic
side, and every such labelled topic, is written out, less the shared vocabulary and every form of
a word of the summaries' titles (`title_stems`: "colorectal", "germs"), which `python -m training
words` reads as subjects or leaves as everyday English by design. Of the validation summaries
only the titles are read, as that command reads them. The list is made with the shipped model's
vectors and read whichever model serves: it names words, not vectors.

Nor is a word patients ask of summaries that never mention it as often as of those that do
(`AskedWords.care`, over the lay questions of `--questions`): 23 of the 32 summaries asked "relapse"
never say it, nor do 9 of 10 asked "painkillers"; a veto on it refuses their own questions. Its
label stays (docs/abstention.md, "Words patients ask of summaries that never say them").
"""

from __future__ import annotations

import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from retriever.health_topics import HEALTH_TOPICS, MEDICAL_ENDING, cancer_words, mentions, pdq_subjects
from retriever.tokenization import EVERYDAY_ZIPF, NON_WORD_ZIPF, Vocabulary, stem, words, zipf
from training.data import is_validation

# Labels, in log10 of how many times as often the summaries use a word as English does.
SPECIFIC = 1.5
SPECIFIC_SHARE = 0.10  # a topic is in at most 14 of the 144 training summaries
SHARED_SHARE = 0.15  # in 22 or more, at `SHARED_SPECIFIC`: the vocabulary of cancer care
SHARED_SPECIFIC = 0.8
EVERYDAY_SPECIFIC = 0.5
# `AskedWords.care`: of `MISSED` such summaries or more (one summary's questions say little), `MISSED_SHARE`
# of those asked it. 123 listed words were asked of two or more; 50 of half or more ("relapse", "radiotherapy").
MISSED = 2
MISSED_SHARE = 0.5
MIN_COUNT = 3  # fewer uses say nothing of a word's specificity
SAMPLE = 10_000  # English words the summaries never use, labelled no topic
MIN_LABELS = 3  # of each class: the cross-validation's folds need them
MIN_LEN = 4  # three letters are mostly initials ("gtv", "tet"): `retriever.initialisms` reads those
SEED = 13
# The machine's C, and the side of its boundary a word must fall on. A logistic regression
# (probability 0.7) and this machine a margin lower (-0.3) caught more out-of-scope probes, but
# 716 and 624 of the training summaries' 37,417 lay questions name a word of their lists that
# their own summary never mentions ("xray", "meds", "curable", "rhabdo"), against 399 at
# margin 0 with the same first labels (docs/abstention.md, "Health topics, learned").
C = 3.0
MARGIN = 0.0
HEADER = ("# Words of English (wordfreq Zipf {low} to {high}) that name a health topic, learned from the\n"
          "# training summaries' own words and pdq-minilm-l6's vectors by python -m training health-words\n"
          "# (training/health_words.py): {topics} topics and {others} other words labelled (cross-validated\n"
          "# ROC AUC {cv_auc}); {written} words on the topic side (margin {margin}), and {asked} more left out\n"
          "# that patients ask of summaries never mentioning them. A question naming one that the index\n"
          "# never mentions is refused (retriever/health_topics.py).\n")
_WORD = re.compile(r"[a-z]{3,}")


class HealthWordsError(ValueError):
    """A corpus the command cannot learn from, named with the fix."""


@dataclass(frozen=True)
class CorpusWords:
    """How often the training summaries use each word, and in how many of them."""

    counts: Counter
    summaries: Counter
    n: int

    @cached_property
    def total(self) -> int:
        return sum(self.counts.values())

    def specificity(self, word: str) -> float:
        """log10 of how many times as often the summaries use ``word`` as English does."""
        return math.log10(self.counts[word] / self.total * 1e9) - zipf(word)


def title_stems(corpus: Path) -> frozenset[str]:
    """The stems of the distinctive words of every summary's title (`training.words.title_words`).
    `python -m training words` makes the rarer ones subjects and leaves the commoner ones as
    everyday English ("colorectal": the seed, about the colon and rectum, was refused
    "colorectal carcinoid tumor"); nor does "germs" name the germ cell summaries."""
    from training.words import title_words

    titles = [_summary(path).title for path in sorted(corpus.glob("*.md"))]
    return frozenset(stem(w) for title in titles for w in title_words(title))


def _summary(path: Path):
    """The summary at ``path``, read as ingest reads it: a file it cannot read is named with
    its line and field (`ingest.loading.DocumentError`)."""
    from ingest.loading import parse_document

    return parse_document(path.read_bytes(), str(path))


def training_summaries(corpus: Path) -> dict[str, list[str]]:
    """The words of each training summary, by its file's stem (`training.data.is_validation`: the
    others stay unread)."""
    found = {path.stem: words(_summary(path).body) for path in sorted(corpus.glob("*.md"))
             if not is_validation(path.stem)}
    if not found:
        raise HealthWordsError(f"{corpus}: no training summary (*.md) in it; pass --corpus training/corpus")
    return found


@dataclass(frozen=True)
class AskedWords:
    """Of the training summaries whose lay questions use a word (by stem), how many never mention it."""

    asked: Counter
    missed: Counter

    def care(self) -> frozenset[str]:
        """The stems missed by `MISSED` summaries or more and by at least `MISSED_SHARE` of those asked them."""
        return frozenset(s for s, n in self.missed.items() if n >= max(MISSED, MISSED_SHARE * self.asked[s]))


def asked_words(summaries: dict[str, list[str]], questions: list[Path]) -> AskedWords:
    """For each stem, the ``summaries`` (`training_summaries`) asked a word of it in a lay question of
    ``questions``, and of those the ones that never mention it in any form nor in American spelling."""
    from training.questions import load_questions

    known = {doc: Vocabulary(found) for doc, found in summaries.items()}
    asked: defaultdict[str, set[str]] = defaultdict(set)
    missed: defaultdict[str, set[str]] = defaultdict(set)
    for path in questions:
        for q in load_questions(path):
            vocabulary = known.get(q.doc_id)
            for w in set(words(q.question)) if vocabulary is not None else ():
                asked[stem(w)].add(q.doc_id)
                if not mentions(vocabulary.knows, w):
                    missed[stem(w)].add(q.doc_id)
    if not asked:
        raise HealthWordsError(f"--questions {' '.join(map(str, questions))}: no question about a training summary")
    return AskedWords(Counter({s: len(d) for s, d in asked.items()}), Counter({s: len(d) for s, d in missed.items()}))


def corpus_words(summaries: dict[str, list[str]]) -> CorpusWords:
    """The counts of the ``summaries`` (`training_summaries`)."""
    counts, using = Counter(), Counter()
    for found in summaries.values():
        counts.update(found)
        using.update(set(found))
    return CorpusWords(counts, using, len(summaries))


def may_label(word: str) -> bool:
    """A word of letters that English uses (Zipf 1 to 6): no non-word, no word too common to say anything."""
    return bool(_WORD.fullmatch(word)) and NON_WORD_ZIPF <= zipf(word) < 6


def listed_topic(word: str) -> bool:
    """Whether the lists of `retriever.health_topics` name ``word``: labelled a topic."""
    return word in HEALTH_TOPICS or word in pdq_subjects() or word in cancer_words()


def rule_topic(word: str) -> bool:
    """Whether the hand rules read ``word`` as a topic already: it is never labelled no topic."""
    return listed_topic(word) or (len(word) > 5 and bool(MEDICAL_ENDING.search(word)))


def common(corpus: CorpusWords) -> set[str]:
    """The words `SHARED_SHARE` of the summaries use: a topic of none of them in particular."""
    return {w for w, n in corpus.summaries.items() if n >= SHARED_SHARE * corpus.n}


def labels(corpus: CorpusWords, english: list[str]) -> tuple[list[str], list[str]]:
    """(topics, others), each as the module docstring defines it."""
    used = [w for w, c in corpus.counts.items() if c >= MIN_COUNT and may_label(w)]
    spec = {w: corpus.specificity(w) for w in used}
    topics = {w for w in used if spec[w] >= SPECIFIC and corpus.summaries[w] <= SPECIFIC_SHARE * corpus.n}
    topics |= {w for w in english if may_label(w) and listed_topic(w)}
    shared = {w for w in used if spec[w] >= SHARED_SPECIFIC} & common(corpus)
    everyday = {w for w in used if spec[w] <= EVERYDAY_SPECIFIC and zipf(w) >= EVERYDAY_ZIPF}
    unused = [w for w in english if w not in corpus.counts and may_label(w) and not rule_topic(w)]
    sample = random.Random(SEED).sample(unused, min(SAMPLE, len(unused)))
    others = {w for w in everyday | shared if not rule_topic(w)} | set(sample)
    return sorted(topics), sorted(others)


def features(vectors: np.ndarray, found: list[str]) -> np.ndarray:
    """Each word's vector and its Zipf frequency (over 8, the scale's top)."""
    return np.hstack([vectors, np.array([[zipf(w) / 8] for w in found], dtype=np.float32)])


def candidates(english: list[str], shared: set[str]) -> list[str]:
    """The English words the list may hold: of `MIN_LEN` letters or more, rarer than everyday, no
    non-word, none of ``shared`` (`common`)."""
    return [w for w in english if len(w) >= MIN_LEN and _WORD.fullmatch(w)
            and NON_WORD_ZIPF <= zipf(w) < EVERYDAY_ZIPF and w not in shared]


def learn(corpus: CorpusWords, english: list[str], encode, titles: frozenset[str] = frozenset(),
          asked: frozenset[str] = frozenset()) -> tuple[list[str], dict]:
    """The words to write and the record: ``encode`` maps words to vectors (the model's);
    none whose stem is one of ``titles`` (`title_stems`) or ``asked`` (`AskedWords.care`) is written."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.svm import SVC

    topics, others = labels(corpus, english)
    scored = candidates(english, common(corpus))
    if min(len(topics), len(others)) < MIN_LABELS or not scored:
        raise HealthWordsError(f"{len(topics)} topics, {len(others)} other words labelled and {len(scored)} "
                               f"English words to score: too few summaries or English words to learn from")
    pool = list(dict.fromkeys([*topics, *others, *scored]))
    vectors = dict(zip(pool, encode(pool)))
    train = [*topics, *others]
    x, y = features(np.stack([vectors[w] for w in train]), train), np.array([1] * len(topics) + [0] * len(others))
    model = SVC(C=C, class_weight="balanced")
    folds = StratifiedKFold(MIN_LABELS, shuffle=True, random_state=SEED)
    auc = cross_val_score(model, x, y, cv=folds, scoring="roc_auc")
    model.fit(x, y)
    side = model.decision_function(features(np.stack([vectors[w] for w in scored]), scored))
    kept = {w for w, m in zip(scored, side) if m >= MARGIN}
    kept |= {w for w in topics if len(w) >= MIN_LEN and zipf(w) < EVERYDAY_ZIPF}  # none is `common`
    kept = {w for w in kept if stem(w) not in titles}
    written = sorted(w for w in kept if stem(w) not in asked)
    record = {"topics": len(topics), "others": len(others), "scored": len(scored), "written": len(written),
              "asked": len(kept) - len(written), "cv_auc": round(float(auc.mean()), 3)}
    return written, record


def render(found: list[str], record: dict) -> str:
    """The list file: its header (how it was made, from ``record``), then a word a line."""
    head = HEADER.format(low=NON_WORD_ZIPF, high=EVERYDAY_ZIPF, margin=MARGIN, **record)
    return head + "".join(f"{w}\n" for w in found)


def english_words() -> list[str]:
    """wordfreq's English words, commonest first."""
    from wordfreq import top_n_list

    return [w for w in top_n_list("en", 10**6) if _WORD.fullmatch(w)]


def command(args) -> int:
    """``python -m training health-words``: learn the list and write it (``--out``)."""
    from ingest.sources import DocumentError
    from retriever.embedding import ModelError, load_embedder
    from training.questions import QuestionFileError

    if args.out.exists() and not args.force:
        print(f"error: {args.out} exists; pass --force to replace it", file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"error: --out {args.out}: no folder {args.out.parent}", file=sys.stderr)
        return 2
    start = time.time()
    partial = args.out.with_name(args.out.name + ".partial")
    try:
        summaries = training_summaries(args.corpus)
        asked = asked_words(summaries, args.questions).care()
        model = load_embedder(args.model, "torch")  # fp32 vectors: the list does not depend on the CPU's int8 kernels
        encode = lambda ws: model.encode(ws, batch_size=256, progress=True)  # noqa: E731
        found, record = learn(corpus_words(summaries), english_words(), encode, title_stems(args.corpus), asked)
        partial.write_text(render(found, record), encoding="utf-8")
        partial.replace(args.out)  # a reader never sees half a list
    except (HealthWordsError, DocumentError, QuestionFileError, ModelError, OSError) as exc:
        partial.unlink(missing_ok=True)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{record} in {time.time() - start:.0f} s -> {args.out}")
    return 0
