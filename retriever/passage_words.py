"""Every passage's words in the forms abstention and quoted phrases look for, made by ingest.

Abstention asks whether the first passages hold the question's topics and terms
(`abstain.evidence`), and a quoting search whether each candidate holds the phrase's words
(`planning.held`): both read a passage's `Vocabulary` (its words, their stems and their
first letters). Made at search time, a passage's took 0.14 ms (accents, a regular
expression, names with digits, stems), paid for every passage outside the last 1,024 seen:
up to three a search, and every candidate of a quoting search. Ingest makes them once
(`build`) and stores word ids; a search turns a passage's ids into its sets in 16 µs (`of`,
`own`). Questions searched once over the corpus: p50 3.25 -> 2.85 ms, quoting ones 14.2 ->
5.6 ms (docs/benchmarks.md, "Passage words made by ingest").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from retriever.audience import url_words
from retriever.boilerplate import BOILERPLATE, CROSS_REFERENCES, own_text
from retriever.models import Chunk
from retriever.store import write_npz
from retriever.tokenization import PREFIX, TOKENIZER_VERSION, Vocabulary, passage_vocabulary, stem

# Bumped when what a passage's words are changes outside `tokenize` (whose version counts too):
# `tokenization.passage_vocabulary`, `about`, `boilerplate.own_text` (see `recipe`).
WORDS_VERSION = 1


def about(chunk: Chunk) -> str:
    """What is read beside a passage's text: its headings, and its summary's subject in the
    url's words, which the text need not repeat ("kidney" for the summary titled "Renal Cell
    Cancer": not a topic the passage misses)."""
    return " ".join(chunk.heading_path) + " " + url_words(chunk.url)


@dataclass(frozen=True)
class PassageWords:
    """Word ids of two vocabularies per chunk: of its text (row i) and of its text less
    PDQ's notes (row chunks + i), where topics are looked for (`boilerplate.own_text`).

    Attributes:
        table: Every word, by id.
        spans: [2 * chunks, 2] start and end of each row's ids in ``ids``.
        ids: The rows' word ids, one row after another (a row shared by both is stored once).
    """

    table: list[str]
    spans: np.ndarray
    ids: np.ndarray
    _stems: list[str] = field(init=False, repr=False, compare=False)
    _made: Callable[[int, int], Vocabulary] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_stems", [stem(w) for w in self.table])
        # Keyed by where the ids are, so a passage without notes is made once for both rows;
        # as many as the search-time cache held (about 15 MB on the corpus): a miss costs little now.
        object.__setattr__(self, "_made", lru_cache(maxsize=1024)(self._vocabulary))

    @property
    def chunks(self) -> int:
        return len(self.spans) // 2

    def of(self, row: int) -> Vocabulary:
        """The vocabulary of chunk ``row``'s text and headings."""
        return self._made(*self.spans[row].tolist())

    def own(self, row: int) -> Vocabulary:
        """The vocabulary of chunk ``row``'s text less PDQ's notes, and its headings."""
        return self._made(*self.spans[self.chunks + row].tolist())

    def own_words(self) -> list[str]:
        """Every word of the chunks' own rows (their text less PDQ's notes, and headings)."""
        rows = [self.ids[start:end] for start, end in self.spans[self.chunks:].tolist()]
        return [self.table[i] for i in np.unique(np.concatenate(rows))] if rows else []

    def _vocabulary(self, start: int, end: int) -> Vocabulary:
        ids = self.ids[start:end].tolist()
        table, stems = self.table, self._stems
        words = [table[i] for i in ids]
        return Vocabulary.of(words, [stems[i] for i in ids], [w[:PREFIX] for w in words if len(w) >= PREFIX])

    @classmethod
    def build(cls, chunks: list[Chunk]) -> PassageWords:
        """Each chunk's two vocabularies, as `tokenization.passage_vocabulary` makes them."""
        table: dict[str, int] = {}
        ids: list[int] = []
        made: dict[tuple[str, str], tuple[int, int]] = {}
        spans = []
        for texts in ([c.text for c in chunks], [own_text(c.text) for c in chunks]):
            for chunk, text in zip(chunks, texts):
                key = (text, about(chunk))
                if key not in made:
                    start = len(ids)
                    ids.extend(table.setdefault(w, len(table)) for w in sorted(passage_vocabulary(*key).words))
                    made[key] = (start, len(ids))
                spans.append(made[key])
        return cls(list(table), np.asarray(spans, dtype=np.int64).reshape(-1, 2), np.asarray(ids, dtype=np.int32))

    def save(self, path: Path) -> None:
        write_npz(path, recipe=np.str_(recipe()), table=np.asarray(self.table, dtype=str), spans=self.spans,
                  ids=self.ids)

    @classmethod
    def load(cls, path: Path, n_chunks: int) -> PassageWords:
        """Raises `PassageWordsError` for words made another way (`recipe`) or rows that are
        not the index's; numpy's own errors for a file it cannot read."""
        with np.load(path) as data:
            made_by, table, spans, ids = str(data["recipe"]), data["table"].tolist(), data["spans"], data["ids"]
        if made_by != recipe():
            raise PassageWordsError("its words were made by another version of the program or with other PDQ "
                                    f"notes ({BOILERPLATE.name}, {CROSS_REFERENCES.name})")
        if problem := _misfit(len(table), spans, ids, n_chunks):
            raise PassageWordsError(problem)
        return cls(table, spans, ids)


def _misfit(words: int, spans: np.ndarray, ids: np.ndarray, n_chunks: int) -> str | None:
    """What is wrong with the rows of a passage words file for an index of ``n_chunks``, or None."""
    if spans.shape != (2 * n_chunks, 2) or ids.ndim != 1 or spans.dtype.kind != "i" or ids.dtype.kind != "i":
        return f"it does not hold two rows of word ids for each of the index's {n_chunks} chunks"
    starts, ends = spans[:, 0], spans[:, 1]
    if len(spans) and (starts.min() < 0 or (starts > ends).any() or ends.max() > len(ids)):
        return "its rows point outside its word ids"
    if len(ids) and (ids.min() < 0 or ids.max() >= words):
        return "its word ids point outside its words"
    return None


class PassageWordsError(ValueError):
    """A passage words file this program cannot use as it is; a rebuild of the index remakes it."""


def recipe() -> str:
    """What stored words depend on besides the passages: this module's and the tokenizer's
    versions, and PDQ's notes and lines naming another summary (`boilerplate.BOILERPLATE`,
    `boilerplate.CROSS_REFERENCES`, which ``python -m training words`` remakes), left out of the
    words topics are looked for in. Words made otherwise are refused."""
    digest = hashlib.sha256(f"{WORDS_VERSION}/{TOKENIZER_VERSION}/".encode())
    digest.update(BOILERPLATE.read_bytes())
    digest.update(CROSS_REFERENCES.read_bytes())
    return digest.hexdigest()[:16]
