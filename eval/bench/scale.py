"""Scale benchmark of the dense index: exact flat vs HNSW (and IVF-Flat as a reference).

The service embeds passages with all-MiniLM-L6-v2 (384 dimensions), normalizes them
and searches by inner product in FAISS; the ``faiss_index`` setting picks
``IndexFlatIP`` ("flat"), ``IndexHNSWFlat`` with ``METRIC_INNER_PRODUCT`` ("hnsw") or
switches between them at ``hnsw_min_chunks`` ("auto"). This module measures, on
synthetic corpora of growing size, what each index costs to build, how much memory it
takes, how long one query takes and how many of the true top-10 it returns, so that
the "auto" threshold can be chosen from numbers rather than guessed.

Synthetic data and exact ground truth come from :mod:`eval.bench.synthetic`; the
markdown report, switch advice and plot are written by :mod:`eval.bench.scale_report`.

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
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

import faiss
import numpy as np

from eval.bench.scale_index import KINDS, IndexParams, make_index, params_for
from eval.bench.synthetic import K, SyntheticCorpus, SyntheticSpec, exact_topk, recall_at_k
from eval.metrics import percentile

DEFAULT_SIZES: tuple[int, ...] = (10_000, 100_000, 1_000_000)
"""Corpus sizes measured by default."""

WARMUP_QUERIES = 5


# -------------------------------------------------------------------------- measuring


def _rss() -> int | None:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in the "bench" extra
        return None
    return psutil.Process().memory_info().rss


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
            p, described = params_for(kind, n, params, hnsw_history)
            _log(f"n={n:,} {kind} ({described}): building", verbose)
            gc.collect()
            rss0 = _rss()
            index, build_s = make_index(kind, n, dim, corpus, p)
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
                            "p50_ms": percentile(l2, 50),
                            "p95_ms": percentile(l2, 95),
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
                "p50_ms": percentile(lat, 50),
                "p95_ms": percentile(lat, 95),
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
