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

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from retriever.audience import url_words
from retriever.boilerplate import own_text
from retriever.models import Chunk
from retriever.tokenization import PREFIX, TOKENIZER_VERSION, Vocabulary, passage_vocabulary, stem


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

    def __post_init__(self):
        object.__setattr__(self, "_stems", [stem(w) for w in self.table])
        # as many as the search-time cache held (about 15 MB on the corpus); a miss costs little now
        object.__setattr__(self, "_row", lru_cache(maxsize=1024)(self._vocabulary))

    @property
    def chunks(self) -> int:
        return len(self.spans) // 2

    def of(self, row: int) -> Vocabulary:
        """The vocabulary of chunk ``row``'s text and headings."""
        return self._row(row)

    def own(self, row: int) -> Vocabulary:
        """The vocabulary of chunk ``row``'s text less PDQ's notes, and its headings."""
        return self._row(self.chunks + row)

    def _vocabulary(self, row: int) -> Vocabulary:
        start, end = self.spans[row].tolist()
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
        with open(path, "wb") as f:
            np.savez(f, version=np.int64(TOKENIZER_VERSION), table=np.asarray(self.table, dtype=str),
                     spans=self.spans, ids=self.ids)
            f.flush()
            os.fsync(f.fileno())

    @classmethod
    def load(cls, path: Path, n_chunks: int) -> PassageWords:
        """Raises `ValueError` for words another tokenizer made or rows that are not the index's."""
        with np.load(path) as data:
            version, table, spans, ids = int(data["version"]), data["table"].tolist(), data["spans"], data["ids"]
        if version != TOKENIZER_VERSION:
            raise ValueError(f"its words were read by tokenizer version {version}, this program's is "
                             f"{TOKENIZER_VERSION}")
        if spans.shape != (2 * n_chunks, 2):
            raise ValueError(f"it holds {len(spans) // 2} chunks' words, the index has {n_chunks} chunks")
        if len(ids) and not 0 <= ids.min() <= ids.max() < len(table) or spans.max(initial=0) > len(ids):
            raise ValueError("its word ids point outside its tables")
        return cls(table, spans, ids)
