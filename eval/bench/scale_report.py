"""Turn the rows of a scale sweep into the markdown report, switch advice and plot.

Kept apart from the sweep (:mod:`eval.bench.scale`) so that the wording, table and
plot can change without touching, or re-reading, the measurement code; everything here
works from the row dicts that :func:`eval.bench.scale.run_scale` returns.
"""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from eval.bench.scale import WARMUP_QUERIES
from eval.bench.scale_index import KINDS
from eval.bench.scale_plot import plot
from eval.bench.synthetic import TIE_TOLERANCE, SyntheticSpec


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
        "embeddings and a loaded server will differ, so treat the threshold as an order of "
        "magnitude."
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
