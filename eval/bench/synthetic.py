"""Synthetic clustered corpus and its exact ground truth, for the index benchmarks.

Kept apart from the sweep (:mod:`eval.bench.scale`) because this is the reference every
index is scored against: it uses numpy only, never FAISS, so a FAISS bug cannot hide
in both the answers and the truth they are checked against.

The data (see :class:`SyntheticSpec`): a clustered mixture, not uniform random
vectors (those are the worst case for approximate search and unlike real
embeddings). Each vector is ``normalize(c_j + L z + e)`` where ``c_j`` is one of 2048
random unit centres picked uniformly, ``L z`` is noise of norm ~0.8 in a 32-dimensional
subspace shared by all clusters (real embeddings are anisotropic, with a low intrinsic
dimension) and ``e`` is isotropic noise of norm ~0.5. With these settings a query's
nearest neighbour has cosine ~0.68 and its 10th ~0.59, while two random vectors have
cosine ~0 (99th percentile ~0.18), measured at 100k vectors; the report lists the
neighbour cosines at each size so they can be compared with a real corpus. Queries
are drawn the same way from an independent stream. Everything comes from seeded
``numpy`` generators, one per batch, so a run is reproducible and the corpus is
generated in bounded batches (it is regenerated for each index rather than kept).

Recall (:func:`recall_at_k`) is scored against :func:`exact_topk`; a returned id counts
as a hit if it is in the exact top ``K`` or its score ties the exact ``K``-th score within
``TIE_TOLERANCE``, so that float rounding between two exact methods does not show up as
lost recall.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

K = 10
"""Neighbours asked for and scored (recall@K)."""

TIE_TOLERANCE = 1e-5

_STREAM_SHAPE, _STREAM_CORPUS, _STREAM_QUERIES = 0, 1, 2


@dataclass(frozen=True)
class SyntheticSpec:
    """How the synthetic unit vectors are drawn.

    Attributes:
        n_centres: Number of cluster centres (random unit vectors).
        rank: Dimension of the subspace, shared by all clusters, that holds most of
            the within-cluster variation.
        low_rank_norm: Expected norm of the within-cluster noise in that subspace
            (centres have norm 1).
        iso_norm: Expected norm of the isotropic noise added on top.
        batch: Vectors generated per batch; bounds the memory of generation.
    """

    n_centres: int = 2048
    rank: int = 32
    low_rank_norm: float = 0.8
    iso_norm: float = 0.5
    batch: int = 50_000

    def describe(self) -> str:
        """One line for reports."""
        return (
            f"clustered mixture: {self.n_centres} random unit centres + noise of norm "
            f"{self.low_rank_norm:g} in a shared {self.rank}-dim subspace + isotropic "
            f"noise of norm {self.iso_norm:g}, then L2-normalized"
        )


class SyntheticCorpus:
    """Deterministic generator of the synthetic corpus and queries.

    Args:
        dim: Vector dimension.
        seed: Seed of every random stream.
        spec: Shape of the mixture.
    """

    def __init__(self, dim: int = 384, seed: int = 0, spec: SyntheticSpec | None = None) -> None:
        self.dim = dim
        self.seed = seed
        self.spec = spec or SyntheticSpec()
        rng = self._rng(_STREAM_SHAPE)
        centres = rng.standard_normal((self.spec.n_centres, dim), dtype=np.float32)
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
        basis = rng.standard_normal((self.spec.rank, dim), dtype=np.float32)
        basis /= np.linalg.norm(basis, axis=1, keepdims=True)
        self._centres = centres
        # z ~ N(0, I_rank) times this has expected norm ~low_rank_norm.
        self._basis = basis * np.float32(self.spec.low_rank_norm / math.sqrt(self.spec.rank))

    def _rng(self, *key: int) -> np.random.Generator:
        return np.random.default_rng(np.random.SeedSequence([self.seed, *key]))

    def _draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        spec = self.spec
        x = self._centres[rng.integers(0, spec.n_centres, n)]
        x += rng.standard_normal((n, spec.rank), dtype=np.float32) @ self._basis
        x += rng.standard_normal((n, self.dim), dtype=np.float32) * np.float32(
            spec.iso_norm / math.sqrt(self.dim)
        )
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        return np.ascontiguousarray(x, dtype=np.float32)

    def batches(self, n: int) -> Iterator[np.ndarray]:
        """Yield the ``n`` corpus vectors in batches of at most ``spec.batch`` rows.

        Args:
            n: Corpus size.

        Yields:
            float32 arrays of shape ``(m, dim)`` with unit rows; the same ``n`` and seed
            always give the same vectors.
        """
        step = self.spec.batch
        for b, start in enumerate(range(0, n, step)):
            yield self._draw(min(step, n - start), self._rng(_STREAM_CORPUS, n, b))

    def queries(self, n: int) -> np.ndarray:
        """Return ``n`` query vectors drawn from the same mixture, independently.

        Args:
            n: Number of queries.

        Returns:
            float32 array of shape ``(n, dim)`` with unit rows.
        """
        return self._draw(n, self._rng(_STREAM_QUERIES, n))

    def sample(self, n: int, size: int) -> np.ndarray:
        """Return the first ``size`` vectors of the ``n``-vector corpus (training sample).

        Args:
            n: Corpus size.
            size: Rows wanted (at most ``n``).

        Returns:
            float32 array of shape ``(min(size, n), dim)``.
        """
        parts, have = [], 0
        for batch in self.batches(n):
            parts.append(batch[: size - have])
            have += len(parts[-1])
            if have >= size:
                break
        return np.concatenate(parts) if len(parts) > 1 else parts[0]


def exact_topk(corpus: SyntheticCorpus, n: int, queries: np.ndarray, k: int = K) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k by inner product with numpy, streaming over the corpus batches.

    Args:
        corpus: Corpus generator.
        n: Corpus size.
        queries: ``(q, dim)`` float32 queries.
        k: Neighbours per query.

    Returns:
        ``(scores, ids)``, each ``(q, k)``, best first.
    """
    q = len(queries)
    best_s = np.full((q, k), -np.inf, dtype=np.float32)
    best_i = np.full((q, k), -1, dtype=np.int64)
    offset = 0
    for batch in corpus.batches(n):
        s = queries @ batch.T
        kk = min(k, s.shape[1])
        part = np.argpartition(-s, kk - 1, axis=1)[:, :kk]
        cand_s = np.concatenate([best_s, np.take_along_axis(s, part, axis=1)], axis=1)
        cand_i = np.concatenate([best_i, part + offset], axis=1)
        keep = np.argsort(-cand_s, axis=1, kind="stable")[:, :k]
        best_s = np.take_along_axis(cand_s, keep, axis=1)
        best_i = np.take_along_axis(cand_i, keep, axis=1)
        offset += len(batch)
    return best_s, best_i


def recall_at_k(
    ids: np.ndarray, scores: np.ndarray, true_ids: np.ndarray, true_scores: np.ndarray, k: int = K
) -> float:
    """Mean recall@k, counting exact-score ties with the k-th true neighbour as hits.

    Args:
        ids: ``(q, k)`` ids returned by the index (-1 for missing).
        scores: ``(q, k)`` inner products returned by the index.
        true_ids: ``(q, k)`` exact top-k ids.
        true_scores: ``(q, k)`` exact top-k scores, best first.
        k: Cut-off.

    Returns:
        Recall in [0, 1].
    """
    total = 0
    for row_i, row_s, t_i, t_s in zip(ids, scores, true_ids, true_scores, strict=True):
        truth, floor, seen, hits = set(t_i[:k].tolist()), t_s[k - 1] - TIE_TOLERANCE, set(), 0
        for i, s in zip(row_i[:k].tolist(), row_s[:k].tolist(), strict=True):
            if i < 0 or i in seen:
                continue
            seen.add(i)
            if i in truth or s >= floor:
                hits += 1
        total += min(hits, k)
    return total / (k * len(ids))
