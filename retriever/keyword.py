"""BM25 over the chunks (bm25s), plus the corpus vocabulary used for spelling."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import bm25s
import numpy as np

from retriever.audience import url_words
from retriever.models import Chunk
from retriever.store import IndexLoadError
from retriever.text import keyword_text
from retriever.tokenization import EVERYDAY_ZIPF, TOKENIZER_VERSION, negated, tokenize, words, zipf

# Saved beside bm25s's files: how their tokens were made. An index from before it was
# written was tokenized by version 1.
TOKENIZER_FILE = "tokenizer.json"


class KeywordIndex:
    """A bm25s index whose rows line up with ``chunks.jsonl``: built, saved and loaded here,
    so what BM25 indexes of a chunk (`retriever.text.keyword_text`) is decided in one place."""

    def __init__(self, bm25: bm25s.BM25, n_docs: int):
        self.bm25 = bm25
        self.n_docs = n_docs
        self.vocab = bm25.vocab_dict

    @classmethod
    def build(cls, chunks: list[Chunk]) -> KeywordIndex:
        docs = [tokenize(keyword_text(c.title, c.heading_path, c.text)) or ["_"] for c in chunks]
        # Token ids in sorted order: bm25s numbers a set's, so the same chunks wrote other bytes
        # in each process, and ingest could not tell an unchanged index from a new one.
        vocab = {token: i for i, token in enumerate(sorted({t for doc in docs for t in doc}))}
        bm25 = bm25s.BM25()
        bm25.index(([[vocab[t] for t in doc] for doc in docs], vocab), show_progress=False)
        return cls(bm25, len(chunks))

    def save(self, path: Path) -> None:
        self.bm25.save(str(path), show_progress=False)
        (path / TOKENIZER_FILE).write_text(json.dumps({"version": TOKENIZER_VERSION}), encoding="utf-8")

    @classmethod
    def load(cls, path: Path, n_docs: int) -> KeywordIndex:
        """Raises `IndexLoadError` for an index whose tokens another tokenizer made: its words
        and the questions' would not meet."""
        saved = path / TOKENIZER_FILE
        version = json.loads(saved.read_text(encoding="utf-8"))["version"] if saved.is_file() else 1
        if version != TOKENIZER_VERSION:
            raise IndexLoadError(path.parent, f"its keyword index was tokenized by version {version}, this program "
                                              f"by version {TOKENIZER_VERSION} (a rebuild reuses the vectors)")
        return cls(bm25s.BM25.load(str(path), show_progress=False, verbosity=0), n_docs)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query tokens (zeros when none is known)."""
        known = [t for t in tokens if t in self.vocab]
        if not known:
            return np.zeros(self.n_docs, dtype=np.float32)
        return self.bm25.get_scores(known)

    def coverage(self, terms: list[tuple[str, ...]]) -> np.ndarray:
        """Share of ``terms`` (each with its alternatives) that each row's passage contains.

        A term counts when any stem of any alternative is in the row's postings: the same
        tokens, stems and fields that the ranking indexed. Every row at once, so that it is
        read while the encoder runs (`retriever.beside`); the ranker takes its candidates'.
        """
        if not terms:
            return np.ones(self.n_docs, dtype=np.float32)
        found = np.zeros(self.n_docs, dtype=np.float32)
        for alternatives in terms:
            stems = [t for t in dict.fromkeys(tokenize(" ".join(alternatives))) if t in self.vocab]
            if stems:
                has = np.zeros(self.n_docs, dtype=bool)
                for s in stems:
                    has[self.postings(s)] = True
                found += has
        return found / len(terms)

    def holding(self) -> np.ndarray:
        """How many rows' passages hold each token, by token id: the lengths of bm25s's columns."""
        return np.diff(self.bm25.scores["indptr"])

    def postings(self, token: str) -> np.ndarray:
        """Rows whose passage has ``token``: a column of bm25s's own sparse score matrix."""
        matrix = self.bm25.scores
        tid = self.vocab.get(token)
        if tid is None or tid + 1 >= len(matrix["indptr"]):  # bm25s's "" token has no column
            return np.zeros(0, dtype=np.int64)
        return matrix["indices"][matrix["indptr"][tid]:matrix["indptr"][tid + 1]]


def surface_counts(texts: list[str]) -> Counter:
    """How often each lower-cased word occurs: the vocabulary spelling correction trusts."""
    counts: Counter = Counter()
    for t in texts:
        counts.update(words(t))
    return counts


class DocumentTitles:
    """BM25 over each document's title and top heading: which documents a question names.

    Questions name their subject ("adult Hodgkin lymphoma"); passages rarely repeat it, so
    a passage of the named document gets a bonus by its document's rank here.
    """

    @classmethod
    def of(cls, chunks: list[Chunk]) -> DocumentTitles:
        """Each document labelled by its title, its top heading and its url's words."""
        labels: dict[str, str] = {}
        for c in chunks:
            labels.setdefault(c.doc_id, " ".join([c.title, c.heading_path[0] if c.heading_path else "",
                                                  url_words(c.url)]))
        return cls([c.doc_id for c in chunks], labels)

    def __init__(self, doc_of_chunk: list[str], labels: dict[str, str]):
        self.doc_ids = sorted(labels)
        position = {d: i for i, d in enumerate(self.doc_ids)}
        self.chunk_doc = np.array([position[d] for d in doc_of_chunk], dtype=np.int64)
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokenize(labels[d]) or ["_"] for d in self.doc_ids], show_progress=False)
        # each title's words ("non" joined) and word pairs, and each "non" kind a title writes
        # with the words that follow it: {"nonhodgkin": {"lymphoma"}}
        titled = [negated(words(labels[d])) for d in self.doc_ids]
        self.word_pairs = [set(ws) | set(zip(ws, ws[1:])) for ws in titled]
        self.kinds: dict[str, set[str]] = {}
        for ws in titled:
            for w, after in zip(ws, ws[1:]):
                if w.startswith("non") and len(w) > 4:
                    self.kinds.setdefault(w, set()).add(after)

    def rule_out(self, text: str, allowed: np.ndarray | None) -> np.ndarray | None:
        """``allowed`` (a mask over passages; None: all) less the summaries the question rules
        out with "non": where titles write a "non" kind ("Non-Hodgkin Lymphoma", "Non-Small
        Cell"), the summaries whose title holds the same words bare ("Hodgkin Lymphoma",
        "Small Cell", not "Small Intestine"). The model places "non-Hodgkin" beside "Hodgkin"
        and found the Hodgkin summary first for "treatment of adult non-Hodgkin lymphoma". A
        "non" no title writes rules out nothing ("non-cancerous", "non-hereditary"), nor one
        whose word the question names bare too ("Hodgkin or non-Hodgkin", `bare`); nor does any
        "non" where no other summary is in the index. A filter to the ruled-out summaries alone
        leaves nothing: "how is non-Hodgkin lymphoma treated", filtered to the Hodgkin summary,
        was answered with its treatment passages (a code review)."""
        if "non" not in text.lower() or not self.kinds:
            return allowed
        typed = negated(words(text))  # "non-Hodgkin", "non hodgkin" and "nonhodgkin" alike
        pairs = [(non[3:], non) for non in dict.fromkeys(typed) if non in self.kinds and not self.bare(non, typed)]
        if not pairs:
            return allowed
        ruled = np.array([any(non not in pairs_of and any((w, after) in pairs_of for after in self.kinds[non])
                              for w, non in pairs) for pairs_of in self.word_pairs], dtype=bool)
        kept = ~ruled[self.chunk_doc] if allowed is None else allowed & ~ruled[self.chunk_doc]
        return kept if ruled.any() and (kept.any() or allowed is not None) else allowed

    def bare(self, non: str, typed: list[str]) -> bool:
        """Whether ``typed`` names the bare twin of the "non" kind ``non`` too. A rare word is a
        name wherever it stands ("Hodgkin", Zipf 2.6: "Hodgkin or non-Hodgkin"); an everyday one
        (`tokenization.EVERYDAY_ZIPF` or more: "small", 5.5) only before the titles' next word ("small
        cell", "small cells") or one word before the "non" kind itself ("small and non-small
        cell", "small/non-small"), not in "non-small cell lung cancer with a small tumor"."""
        word = non[3:]
        if zipf(word) < EVERYDAY_ZIPF:
            return word in typed
        after = self.kinds[non]
        for i in (i for i, w in enumerate(typed) if w == word):
            nxt = typed[i + 1:i + 3]
            if nxt and (nxt[0] in after or nxt[0].removesuffix("s") in after or non in nxt):
                return True
        return False

    def ranks(self, tokens: list[str]) -> np.ndarray | None:
        """Rank (1 = best) of every document, or None when no token names a document."""
        known = [t for t in tokens if t in self.bm25.vocab_dict]
        if len(self.doc_ids) < 2 or not known:
            return None
        scores = self.bm25.get_scores(known)
        if not scores.any():
            return None
        ranks = np.empty(len(scores), dtype=np.int64)
        ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
        return ranks
