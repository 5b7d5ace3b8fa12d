"""The scale benchmark's plot: latency and index size against corpus size, per index type."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from eval.bench.scale_index import KINDS
from eval.bench.synthetic import K


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
