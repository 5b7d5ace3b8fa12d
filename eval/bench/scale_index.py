"""The index types the scale benchmark builds, and their parameters.

Kept apart from :mod:`eval.bench.scale` (the measuring loop) so that each reads at once.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import faiss

from eval.bench.synthetic import SyntheticCorpus

KINDS: tuple[str, ...] = ("flat", "hnsw", "ivf")
"""Index types this module knows how to build."""


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


def ivf_nlist(n: int, train_per_list: int) -> int:
    return max(1, min(int(4 * math.sqrt(n)), n // train_per_list))


def make_index(kind: str, n: int, dim: int, corpus: SyntheticCorpus, p: dict[str, int]) -> tuple[Any, float]:
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


def params_for(kind: str, n: int, ip: IndexParams,
                hnsw_history: list[tuple[int, float]]) -> tuple[dict[str, int], str]:
    if kind == "flat":
        return {}, "exact"
    if kind == "ivf":
        nlist = ivf_nlist(n, ip.ivf_train_per_list)
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
