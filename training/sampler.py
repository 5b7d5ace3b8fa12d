"""Batches that teach both kinds of discrimination the product needs.

Each batch holds questions of two related summaries, about half from each, with no
passage twice. In-batch negatives are then the other sections of the same summary (what
ranks the right passage first within one summary: "Stages of melanoma" vs "Treatment of
melanoma") and sections of the same kind from a neighbouring summary (what ranks the
right summary first: "Stages of melanoma" vs "Stages of skin cancer"). A probe with
single-summary batches lifted the seed's sets but lost cross-summary ranking; one with
four-summary batches kept that but gave back most of the seed's gain.
"""

from __future__ import annotations

import random
from collections import defaultdict

from sentence_transformers.base.sampler import DefaultBatchSampler


class RelatedSummariesBatchSampler(DefaultBatchSampler):
    """``doc_of_row[i]``, ``positive_of_row[i]`` (and ``negative_of_row[i]``, a mined hard
    negative's passage, if any) describe dataset row i; ``neighbours[doc]`` lists the other
    summaries, most similar first. No row's hard negative is another row's positive in its
    batch: the loss would push a question away from its own answer."""

    def __init__(self, dataset, batch_size: int, drop_last: bool, doc_of_row: list[str],
                 positive_of_row: list[str], neighbours: dict[str, list[str]],
                 negative_of_row: list[str] | None = None,
                 valid_label_columns=None, generator=None, seed: int = 0):
        super().__init__(dataset, batch_size=batch_size, drop_last=drop_last,
                         valid_label_columns=valid_label_columns, generator=generator, seed=seed)
        self.doc_of_row = doc_of_row
        self.positive_of_row = positive_of_row
        self.neighbours = neighbours
        self.negative_of_row = negative_of_row
        self._batches = None

    def _plan(self) -> list[list[int]]:
        rng = random.Random(self.seed + self.epoch)
        left: dict[str, list[int]] = defaultdict(list)
        for row, doc in enumerate(self.doc_of_row):
            left[doc].append(row)
        for rows in left.values():
            rng.shuffle(rows)
        batches: list[list[int]] = []
        while left:
            doc = rng.choice(sorted(left))
            order = [doc] + [d for d in self.neighbours.get(doc, []) if d in left]
            batch, used, negatives = [], set(), set()
            for j, d in enumerate(order):
                share = self.batch_size // 2 if j == 0 else self.batch_size - len(batch)
                taken = 0
                keep = []
                for row in left[d]:
                    pos = self.positive_of_row[row]
                    neg = self.negative_of_row[row] if self.negative_of_row else None
                    if taken < share and pos not in used and pos not in negatives and neg not in used:
                        batch.append(row)
                        used.add(pos)
                        negatives.add(neg)
                        taken += 1
                    else:
                        keep.append(row)
                if keep:
                    left[d] = keep
                else:
                    del left[d]
                if len(batch) >= self.batch_size:
                    break
            if len(batch) == self.batch_size or (batch and not self.drop_last):
                batches.append(batch)
        rng.shuffle(batches)
        return batches

    def __iter__(self):
        yield from self._plan()

    def __len__(self) -> int:
        if self._batches is None:
            self._batches = len(self._plan())
        return self._batches
