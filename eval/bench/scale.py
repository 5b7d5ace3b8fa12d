"""Scale benchmark of the dense index: exact flat vs HNSW (and IVF-Flat as a reference).

The service embeds passages with all-MiniLM-L6-v2 (384 dimensions), normalizes them
and searches by inner product in FAISS; the ``faiss_index`` setting picks
``IndexFlatIP`` ("flat"), ``IndexHNSWFlat`` with ``METRIC_INNER_PRODUCT`` ("hnsw") or
switches between them at ``hnsw_min_chunks`` ("auto"). This module measures, on
synthetic corpora of growing size, what each index costs to build, how much memory it
takes, how long one query takes and how many of the true top-10 it returns, so that
the "auto" threshold can be chosen from numbers rather than guessed.

Synthetic data (see :class:`SyntheticSpec`): a clustered mixture, not uniform random
vectors (those are the worst case for approximate search and unlike real
embeddings). Each vector is ``normalize(c_j + L z + e)`` where ``c_j`` is one of 2048
random unit centres picked uniformly, ``L z`` is noise of norm ~0.8 in a 32-dimensional
subspace shared by all clusters (real embeddings are anisotropic, with a low intrinsic
dimension) and ``e`` is isotropic noise of norm ~0.5. With these settings a query's
nearest neighbour has cosine ~0.68 and its 10th ~0.59, while two random vectors have
cosine ~0 (99th percentile ~0.18), measured at 100k vectors; the report lists the
neighbour cosines at each size so they can be compared with a real corpus. Queries
are drawn the same way from an independent stream. Everything comes from seeded ``numpy`` generators, one per batch, so a run is reproducible and the corpus
is generated in bounded batches (it is regenerated for each index rather than kept).

Measurements, per size and index type:

* build time: wall seconds of ``train`` (IVF only) plus ``add``, with FAISS's default
  OpenMP thread count (all cores); data generation is not included.
* memory: the size of ``faiss.serialize_index`` (the index as the service would save
  it) and the process RSS growth across the build (psutil; includes allocator slack).
* latency: one query per ``search`` call, ``k=10``, with ``faiss.omp_set_num_threads(1)``
  (the service answers one question at a time, and concurrent requests compete for
  cores); median and 95th percentile in milliseconds, after 5 untimed warm-up queries.
  By default the queries are run in 3 passes and each query keeps its fastest time,
  which drops time slices lost to other processes on a shared machine.
* an efSearch sweep on each HNSW graph (recall/latency trade-off, no rebuild).
* recall@10 against exact brute force computed with numpy (independently of FAISS).
  A returned id counts as a hit if it is in the exact top 10 or its score ties the
  exact 10th score within 1e-5, so that float rounding between two exact methods does
  not show up as lost recall.

Typical use is through the CLI: ``python -m eval.bench scale --out docs``.
"""

from __future__ import annotations

import gc
import math
import os
import platform
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np

DEFAULT_SIZES: tuple[int, ...] = (10_000, 100_000, 1_000_000)
"""Corpus sizes measured by default."""

KINDS: tuple[str, ...] = ("flat", "hnsw", "ivf")
"""Index types this module knows how to build."""

K = 10
"""Neighbours asked for and scored (recall@K)."""

WARMUP_QUERIES = 5
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


@dataclass(frozen=True)
class IndexParams:
    """Parameters of the index types.

    The HNSW defaults follow the service (``hnsw_m=32``, ``hnsw_ef_search=128``); the
    service does not set efConstruction, so FAISS's default of 40 is used.

    Attributes:
        hnsw_m: HNSW graph degree M.
        hnsw_ef_construction: HNSW efConstruction.
        hnsw_ef_search: HNSW efSearch.
        hnsw_budget_s: If the HNSW build of a size, extrapolated from the previous
            (smaller) size as ``t * (n / n_prev) * log(n) / log(n_prev)``, would take
            longer than this, that size is built with ``fallback_m`` and
            ``fallback_ef_construction`` instead (recorded in the row's ``params``).
            ``None`` turns the guard off.
        fallback_m: M used when the budget guard trips.
        fallback_ef_construction: efConstruction used when the budget guard trips.
        ivf_nprobe: Inverted lists probed per IVF query.
        ivf_train_per_list: Training vectors per inverted list (k-means sample size).
        ivf_niter: k-means iterations for the IVF coarse quantizer.
        hnsw_ef_sweep: Extra efSearch values timed and scored on each HNSW index after
            the main measurement (the graph is built once), to show the
            recall/latency trade-off.
    """

    hnsw_m: int = 32
    hnsw_ef_construction: int = 40
    hnsw_ef_search: int = 128
    hnsw_budget_s: float | None = 900.0
    fallback_m: int = 16
    fallback_ef_construction: int = 32
    ivf_nprobe: int = 32
    ivf_train_per_list: int = 40
    ivf_niter: int = 10
    hnsw_ef_sweep: tuple[int, ...] = (32, 64, 256, 512)


# --------------------------------------------------------------------------- data


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


# -------------------------------------------------------------------------- indexes


def _rss() -> int | None:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in the "bench" extra
        return None
    return psutil.Process().memory_info().rss


def _ivf_nlist(n: int, train_per_list: int) -> int:
    return max(1, min(int(4 * math.sqrt(n)), n // train_per_list))


def _make_index(kind: str, n: int, dim: int, corpus: SyntheticCorpus, p: dict[str, int]) -> tuple[Any, float]:
    """Build one index over the ``n``-vector corpus; return it and the build seconds."""
    spent = 0.0
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, p["M"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = p["efConstruction"]
        index.hnsw.efSearch = p["efSearch"]
    elif kind == "ivf":
        quantizer = faiss.IndexFlatIP(dim)
        # faiss's Python wrapper keeps a reference to the quantizer inside the index.
        index = faiss.IndexIVFFlat(quantizer, dim, p["nlist"], faiss.METRIC_INNER_PRODUCT)
        index.cp.niter = p["niter"]
        train = corpus.sample(n, p["nlist"] * p["train_per_list"])
        t0 = time.perf_counter()
        index.train(train)
        spent += time.perf_counter() - t0
        del train
        index.nprobe = p["nprobe"]
    else:
        raise ValueError(f"unknown index kind {kind!r}; expected one of {KINDS}")
    for batch in corpus.batches(n):
        t0 = time.perf_counter()
        index.add(batch)
        spent += time.perf_counter() - t0
    return index, spent


def _params_for(kind: str, n: int, ip: IndexParams, hnsw_history: list[tuple[int, float]]) -> tuple[dict[str, int], str]:
    if kind == "flat":
        return {}, "exact"
    if kind == "ivf":
        nlist = _ivf_nlist(n, ip.ivf_train_per_list)
        p = {
            "nlist": nlist,
            "nprobe": min(ip.ivf_nprobe, nlist),
            "train_per_list": ip.ivf_train_per_list,
            "niter": ip.ivf_niter,
        }
        return p, f"nlist={p['nlist']} nprobe={p['nprobe']}"
    m, efc, note = ip.hnsw_m, ip.hnsw_ef_construction, ""
    if ip.hnsw_budget_s is not None and hnsw_history:
        n0, t0 = hnsw_history[-1]
        estimate = t0 * (n / n0) * math.log(n) / math.log(max(n0, 2))
        if n > n0 and estimate > ip.hnsw_budget_s:
            m, efc = ip.fallback_m, ip.fallback_ef_construction
            note = f" (reduced: est. {estimate:.0f} s > {ip.hnsw_budget_s:.0f} s budget)"
    p = {"M": m, "efConstruction": efc, "efSearch": ip.hnsw_ef_search}
    return p, f"M={m} efC={efc} efS={ip.hnsw_ef_search}{note}"


def _time_queries(
    index: Any, queries: np.ndarray, k: int, repeats: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Search one query per call on one thread; return latencies (ms), scores, ids.

    With ``repeats > 1`` all queries are run that many times, pass after pass, and
    each query's latency is its fastest pass: this filters out the time slices lost
    to other processes on a shared machine without searching one query back to back.
    """
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        for i in range(min(WARMUP_QUERIES, len(queries))):
            index.search(queries[i : i + 1], k)
        lat = np.full(len(queries), np.inf)
        scores = np.empty((len(queries), k), dtype=np.float32)
        ids = np.empty((len(queries), k), dtype=np.int64)
        for _ in range(max(1, repeats)):
            for i in range(len(queries)):
                q = queries[i : i + 1]
                t0 = time.perf_counter()
                d, j = index.search(q, k)
                lat[i] = min(lat[i], (time.perf_counter() - t0) * 1e3)
                scores[i], ids[i] = d[0], j[0]
    finally:
        faiss.omp_set_num_threads(previous)
    return lat, scores, ids


def _load_avg() -> float | None:
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - not on Windows
        return None


def _log(msg: str, verbose: bool) -> None:
    if verbose:
        print(f"[scale {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_scale(
    sizes: Sequence[int] = DEFAULT_SIZES,
    dim: int = 384,
    n_queries: int = 200,
    kinds: Sequence[str] = ("flat", "hnsw"),
    seed: int = 0,
    *,
    repeats: int = 3,
    params: IndexParams | None = None,
    spec: SyntheticSpec | None = None,
    verbose: bool = False,
) -> list[dict[str, Any]]:
    """Measure every index kind at every corpus size.

    Sizes are run in increasing order so that the HNSW build-time guard (see
    :class:`IndexParams`) can extrapolate from the previous size. Each index is freed
    before the next is built; the corpus is regenerated per index, so peak memory is
    about one index plus one batch.

    Args:
        sizes: Corpus sizes (number of vectors).
        dim: Vector dimension (384 for all-MiniLM-L6-v2).
        n_queries: Queries timed and scored per size and index.
        kinds: Index types, any of ``"flat"``, ``"hnsw"``, ``"ivf"``.
        seed: Seed of the synthetic data.
        repeats: Timed passes over the queries; each query's latency is its fastest
            pass (1: a single pass, raw wall time).
        params: Index parameters; defaults follow the service's settings.
        spec: Shape of the synthetic mixture.
        verbose: Print progress to stderr.

    Returns:
        One dict per (size, kind), in run order, with keys ``size``, ``index``,
        ``params`` (human-readable), ``index_params`` (dict), ``build_s``,
        ``memory_bytes`` (serialized index), ``rss_delta_bytes`` (or None),
        ``p50_ms``, ``p95_ms``, ``mean_ms``, ``recall_at_10``, ``n_queries``, ``k``,
        ``dim``, ``seed``, ``data`` (description of the mixture), ``true_top1_cos`` and
        ``true_top10_cos`` (mean exact scores of the 1st and 10th neighbour),
        ``build_threads``, ``search_threads``, ``repeats``, ``ef_sweep`` (HNSW only, else empty:
        dicts with ``ef_search``, ``p50_ms``, ``p95_ms``, ``recall_at_10`` per efSearch,
        including the main one), ``add_batch`` (vectors per ``add`` call) and
        ``load_avg_1m`` (system load average after the measurement, or None; a value
        above the core count means other processes competed for the CPUs).

    Raises:
        ValueError: On an unknown kind or a size smaller than ``K``.
    """
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown index kind(s) {unknown}; expected some of {KINDS}")
    if any(n < K for n in sizes):
        raise ValueError(f"every size must be at least {K}")
    params = params or IndexParams()
    corpus = SyntheticCorpus(dim=dim, seed=seed, spec=spec)
    queries = corpus.queries(n_queries)
    build_threads = faiss.omp_get_max_threads()
    rows: list[dict[str, Any]] = []
    hnsw_history: list[tuple[int, float]] = []
    for n in sorted(sizes):
        _log(f"n={n:,}: exact top-{K} with numpy", verbose)
        true_s, true_i = exact_topk(corpus, n, queries, K)
        for kind in kinds:
            p, described = _params_for(kind, n, params, hnsw_history)
            _log(f"n={n:,} {kind} ({described}): building", verbose)
            gc.collect()
            rss0 = _rss()
            index, build_s = _make_index(kind, n, dim, corpus, p)
            rss1 = _rss()
            if kind == "hnsw":
                hnsw_history.append((n, build_s))
            serialized = faiss.serialize_index(index)
            memory_bytes = int(serialized.nbytes)
            del serialized
            _log(f"n={n:,} {kind}: built in {build_s:.1f} s, {memory_bytes / 2**20:.0f} MB; timing", verbose)
            lat, scores, ids = _time_queries(index, queries, K, repeats)
            sweep = []
            if kind == "hnsw":
                for ef in sorted({*params.hnsw_ef_sweep, p["efSearch"]}):
                    if ef == p["efSearch"]:
                        l2, s2, i2 = lat, scores, ids
                    else:
                        index.hnsw.efSearch = ef
                        l2, s2, i2 = _time_queries(index, queries, K, repeats)
                    sweep.append(
                        {
                            "ef_search": ef,
                            "p50_ms": float(np.percentile(l2, 50)),
                            "p95_ms": float(np.percentile(l2, 95)),
                            "recall_at_10": recall_at_k(i2, s2, true_i, true_s, K),
                        }
                    )
                index.hnsw.efSearch = p["efSearch"]
            del index
            gc.collect()
            row = {
                "size": n,
                "index": kind,
                "params": described,
                "index_params": p,
                "build_s": build_s,
                "memory_bytes": memory_bytes,
                "rss_delta_bytes": None if rss0 is None or rss1 is None else rss1 - rss0,
                "p50_ms": float(np.percentile(lat, 50)),
                "p95_ms": float(np.percentile(lat, 95)),
                "mean_ms": float(lat.mean()),
                "recall_at_10": recall_at_k(ids, scores, true_i, true_s, K),
                "n_queries": n_queries,
                "k": K,
                "dim": dim,
                "seed": seed,
                "data": corpus.spec.describe(),
                "true_top1_cos": float(true_s[:, 0].mean()),
                "true_top10_cos": float(true_s[:, K - 1].mean()),
                "build_threads": build_threads,
                "search_threads": 1,
                "repeats": repeats,
                "ef_sweep": sweep,
                "add_batch": corpus.spec.batch,
                "load_avg_1m": _load_avg(),
            }
            rows.append(row)
            _log(
                f"n={n:,} {kind}: p50 {row['p50_ms']:.3f} ms, p95 {row['p95_ms']:.3f} ms, "
                f"recall@10 {row['recall_at_10']:.4f}",
                verbose,
            )
    return rows


# --------------------------------------------------------------------------- report


def switch_advice(rows: Sequence[dict[str, Any]], budget_ms: float = 5.0, min_recall: float = 0.95) -> str:
    """Say, from measured rows, at what corpus size "auto" should switch flat -> HNSW.

    The rule: the smallest measured size where flat's median latency exceeds
    ``budget_ms`` while HNSW's recall@10 is at least ``min_recall``. Because flat
    search is a linear scan, the size where flat reaches the budget is also estimated
    by log-log interpolation between the two measured sizes around it (or linear
    extrapolation from the nearest one).

    Args:
        rows: Output of :func:`run_scale`.
        budget_ms: Per-query latency budget for the dense search.
        min_recall: Lowest acceptable HNSW recall@10.

    Returns:
        A markdown paragraph.
    """
    flat = sorted((r["size"], r["p50_ms"]) for r in rows if r["index"] == "flat")
    hnsw = {r["size"]: r for r in rows if r["index"] == "hnsw"}
    if not flat or not hnsw:
        return "Both `flat` and `hnsw` rows are needed to say where to switch."
    lines = []
    over = [(n, ms) for n, ms in flat if ms > budget_ms]
    ok = [(n, ms) for n, ms in over if n in hnsw and hnsw[n]["recall_at_10"] >= min_recall]
    if ok:
        n, ms = ok[0]
        h = hnsw[n]
        lines.append(
            f"**Switch to HNSW by {n:,} vectors**: that is the smallest measured size where flat's "
            f"median query ({ms:.2f} ms) exceeds the {budget_ms:g} ms budget while HNSW keeps "
            f"recall@10 ≥ {min_recall:g} (HNSW there: {h['p50_ms']:.2f} ms median, recall@10 "
            f"{h['recall_at_10']:.3f}, {h['params']})."
        )
    elif over:
        n = over[0][0]
        rec = hnsw[n]["recall_at_10"] if n in hnsw else float("nan")
        lines.append(
            f"Flat exceeds the {budget_ms:g} ms budget from {n:,} vectors, but HNSW recall@10 "
            f"there is {rec:.3f} < {min_recall:g}: raise efSearch/M before switching."
        )
    else:
        lines.append(
            f"Flat stays under the {budget_ms:g} ms median budget at every measured size "
            f"(up to {flat[-1][0]:,}): no switch is needed in this range."
        )
    # Estimate where flat crosses the budget (latency ~ a * n^b between measured points).
    estimate, how = None, ""
    below = [(n, ms) for n, ms in flat if ms <= budget_ms]
    if below and over and over[0][1] > below[-1][1] > 0:
        (n0, t0), (n1, t1) = below[-1], over[0]
        b = math.log(t1 / t0) / math.log(n1 / n0)
        estimate = n0 * (budget_ms / t0) ** (1 / b)
        how = f"Interpolating flat's median latency between {n0:,} and {n1:,} (log-log)"
    elif flat[-1][1] > 0:
        n0, t0 = over[0] if over else flat[-1]
        estimate = n0 * budget_ms / t0
        how = f"Extrapolating flat's median latency linearly from {n0:,} vectors"
    if estimate is not None:
        lines.append(
            f"{how}, it reaches {budget_ms:g} ms at about {_round_sig(estimate):,} vectors; "
            f"a `hnsw_min_chunks` near that size keeps the median query under budget while "
            f"using exact search wherever it is affordable."
        )
    worst = min(hnsw.values(), key=lambda r: r["recall_at_10"])
    lines.append(f"Lowest HNSW recall@10 measured: {worst['recall_at_10']:.3f} at {worst['size']:,} vectors.")
    for n, r in sorted(hnsw.items()):
        if r["recall_at_10"] >= min_recall:
            continue
        enough = [e for e in r.get("ef_sweep", []) if e["recall_at_10"] >= min_recall]
        if enough:
            e = min(enough, key=lambda e: e["ef_search"])
            lines.append(
                f"At {n:,} vectors efSearch={e['ef_search']} reaches recall@10 {e['recall_at_10']:.3f} "
                f"({e['p50_ms']:.2f} ms median): raise efSearch for corpora that large."
            )
        elif r.get("ef_sweep"):
            lines.append(
                f"At {n:,} vectors no efSearch in the sweep reaches recall@10 {min_recall:g}: "
                f"a larger M or efConstruction is needed."
            )
    lines.append(
        "Latencies are single-query, single-thread, on synthetic clustered data; real "
        f"embeddings and a loaded server will differ, so treat the threshold as an order of "
        f"magnitude."
    )
    return " ".join(lines)


def _round_sig(x: float, digits: int = 2) -> int:
    if x <= 0:
        return 0
    return int(round(x, -int(math.floor(math.log10(x))) + digits - 1))


def _sweep_section(rows: Sequence[dict[str, Any]]) -> str:
    hnsw = sorted((r for r in rows if r.get("ef_sweep")), key=lambda r: r["size"])
    if not hnsw:
        return ""
    out = [
        "",
        "## HNSW efSearch sweep",
        "",
        "The same graphs as above, searched with other efSearch values (same queries,",
        "one thread); the row marked * is the setting used in the main table.",
        "",
        "| size | build params | efSearch | p50 ms | p95 ms | recall@10 |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in hnsw:
        build = " ".join(part for part in r["params"].split() if not part.startswith("efS="))
        for e in r["ef_sweep"]:
            star = "*" if e["ef_search"] == r["index_params"].get("efSearch") else ""
            out.append(
                f"| {r['size']:,} | {build} | {e['ef_search']}{star} | {e['p50_ms']:.3f} | "
                f"{e['p95_ms']:.3f} | {e['recall_at_10']:.4f} |"
            )
    return "\n".join(out) + "\n"


def _mb(b: int | None) -> str:
    return "n/a" if b is None else f"{b / 2**20:,.1f}"


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    """Render rows as a markdown table, one line per size x index.

    Args:
        rows: Output of :func:`run_scale`.

    Returns:
        The table, with a header line.
    """
    out = [
        "| size | index | params | build s | memory MB | RSS Δ MB | p50 ms | p95 ms | recall@10 |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(rows, key=lambda r: (r["size"], KINDS.index(r["index"]))):
        out.append(
            f"| {r['size']:,} | {r['index']} | {r['params']} | {r['build_s']:.2f} | "
            f"{_mb(r['memory_bytes'])} | {_mb(r['rss_delta_bytes'])} | {r['p50_ms']:.3f} | "
            f"{r['p95_ms']:.3f} | {r['recall_at_10']:.4f} |"
        )
    return "\n".join(out)


def _size_label(n: int) -> str:
    for div, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= div:
            return f"{n / div:g}{suffix}"
    return str(n)


def plot(rows: Sequence[dict[str, Any]], png_path: str | os.PathLike[str], budget_ms: float | None = 5.0) -> None:
    """Plot median (and p95) latency vs corpus size per index type, recall annotated.

    A second panel shows the serialized index size.

    Args:
        rows: Output of :func:`run_scale`.
        png_path: Where to write the PNG.
        budget_ms: Draw a horizontal line at this latency (None: no line).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    fig, (ax, ax_mem) = plt.subplots(1, 2, figsize=(11, 4.5))
    kinds = [k for k in KINDS if any(r["index"] == k for r in rows)]
    for kind in kinds:
        rs = sorted((r for r in rows if r["index"] == kind), key=lambda r: r["size"])
        x = [r["size"] for r in rs]
        (line,) = ax.plot(x, [r["p50_ms"] for r in rs], marker="o", label=f"{kind} p50")
        ax.plot(x, [r["p95_ms"] for r in rs], ls="--", color=line.get_color(), alpha=0.6, label=f"{kind} p95")
        for r in rs:
            ax.annotate(
                f"R@10={r['recall_at_10']:.3f}",
                (r["size"], r["p50_ms"]),
                textcoords="offset points",
                xytext={"flat": (4, 6), "hnsw": (4, -12), "ivf": (4, -22)}.get(kind, (4, 6)),
                fontsize=7,
                color=line.get_color(),
            )
        ax_mem.plot(x, [r["memory_bytes"] / 2**20 for r in rs], marker="o", color=line.get_color(), label=kind)
    if budget_ms is not None:
        ax.axhline(budget_ms, color="grey", ls=":", lw=1, label=f"{budget_ms:g} ms budget")
    sizes = sorted({r["size"] for r in rows})
    plain = FuncFormatter(lambda v, _: f"{v:g}")
    ax.set(xscale="log", yscale="log", xlabel="corpus size (vectors)", ylabel="latency per query (ms, 1 thread)")
    ax.set_title(f"k={K} search latency, dim={rows[0]['dim']}")
    ax.legend(fontsize=8)
    ax_mem.set(xscale="log", yscale="log", xlabel="corpus size (vectors)", ylabel="serialized index (MB)")
    ax_mem.set_title("index size")
    ax_mem.legend(fontsize=8)
    for a in (ax, ax_mem):
        a.grid(True, which="both", alpha=0.3)
        a.set_xticks(sizes, [_size_label(n) for n in sizes])
        a.xaxis.set_minor_formatter(NullFormatter())
        a.yaxis.set_major_formatter(plain)
        a.yaxis.set_minor_formatter(NullFormatter())
    fig.tight_layout()
    fig.savefig(png_path, dpi=120)
    plt.close(fig)


def write_report(
    rows: Sequence[dict[str, Any]],
    md_path: str | os.PathLike[str],
    png_path: str | os.PathLike[str],
    command: str,
    *,
    budget_ms: float = 5.0,
    min_recall: float = 0.95,
    elapsed_s: float | None = None,
) -> None:
    """Write the markdown report and the latency plot.

    Args:
        rows: Output of :func:`run_scale`.
        md_path: Markdown file to write (parent directories are created).
        png_path: PNG file to write; the markdown links to it by relative path.
        command: The command line that produced the rows, quoted in the report.
        budget_ms: Latency budget for the "where to switch" paragraph.
        min_recall: Minimum HNSW recall@10 for the "where to switch" paragraph.
        elapsed_s: Total wall time of the run, if known.

    Raises:
        ValueError: If ``rows`` is empty.
    """
    if not rows:
        raise ValueError("no rows to report")
    md_path, png_path = Path(md_path), Path(png_path)
    md_path.parent.mkdir(parents=True, exist_ok=True)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    plot(rows, png_path, budget_ms=budget_ms)
    r0 = rows[0]
    try:
        png_ref = os.path.relpath(png_path, md_path.parent)
    except ValueError:  # different drives on Windows
        png_ref = str(png_path)
    data_lines = "\n".join(
        f"| {n:,} | {top1:.3f} | {top10:.3f} |"
        for n, top1, top10 in sorted({(r["size"], r["true_top1_cos"], r["true_top10_cos"]) for r in rows})
    )
    machine = f"{platform.machine()}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}"
    loads = [r["load_avg_1m"] for r in rows if r.get("load_avg_1m") is not None]
    if loads:
        machine += (
            f"; 1-minute load average after each measurement {min(loads):.1f}-{max(loads):.1f} "
            f"(this process alone accounts for up to {r0['build_threads']} during builds, 1 during "
            "searches; more means other work shared the CPUs)"
        )
    text = f"""# Vector index at scale: flat vs HNSW

Produced by:

```
{command}
```

{markdown_table(rows)}

- **size**: vectors in the corpus; **memory MB**: `faiss.serialize_index` size (what the
  index takes on disk and, roughly, in memory); **RSS Δ MB**: growth of the process's
  resident memory across the build (includes allocator slack, may be smaller than the
  index when freed memory from an earlier run is reused).
- **build s**: `train` (IVF) + `add`, FAISS default threads ({r0['build_threads']}); data
  generation excluded. Vectors are added in batches of {r0.get('add_batch', SyntheticSpec().batch):,}, so flat's
  "build" is mostly re-growing its storage (a memory copy).
- **p50/p95 ms**: one query per `search` call, k={r0['k']},
  `faiss.omp_set_num_threads(1)`, {r0['n_queries']} queries after {WARMUP_QUERIES} warm-ups;
  the queries are run {r0.get('repeats', 1)} times over and each query's latency is its fastest
  pass (this drops time slices lost to other processes; it does not remove
  contention for memory bandwidth or a shared physical core).
- **recall@10**: against exact brute force in numpy; ties with the 10th exact score
  (within {TIE_TOLERANCE:g}) count as hits.
- HNSW is `IndexHNSWFlat(dim, M, METRIC_INNER_PRODUCT)`; its defaults are the service's
  M=32 and efSearch=128 and FAISS's default efConstruction=40 (the service does not set
  it). The params column gives what each row used; a size whose HNSW build was
  extrapolated to exceed the time budget is built with smaller M/efC and says "reduced".
  IVF is `IndexIVFFlat` with nlist ≈ 4√n (k-means: 10 iterations on 40 vectors per list),
  shown as a reference only.

## Where to switch

{switch_advice(rows, budget_ms=budget_ms, min_recall=min_recall)}

![latency vs corpus size]({png_ref})
{_sweep_section(rows)}
## Data and machine

- dim={r0['dim']}, seed={r0['seed']}.
- Data: {r0['data']}.
- Queries: {r0['n_queries']}, drawn from the same mixture independently. Mean exact
  cosine of their 1st and 10th neighbours (compare with a real corpus before trusting
  the recall figures for it):

| size | 1st neighbour | 10th neighbour |
|---:|---:|---:|
{data_lines}

- Machine: {machine}; faiss {faiss.__version__}, numpy {np.__version__}.
"""
    if elapsed_s is not None:
        text += f"- Total run time: {elapsed_s / 60:.1f} min.\n"
    md_path.write_text(text, encoding="utf-8")
