"""Fast checks of the scale benchmark (eval.bench.scale) on tiny corpora."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("faiss")
pytest.importorskip("matplotlib")

from eval.bench.__main__ import main  # noqa: E402
from eval.bench.scale import run_scale  # noqa: E402
from eval.bench.scale_report import switch_advice, write_report  # noqa: E402
from eval.bench.synthetic import (  # noqa: E402
    SyntheticCorpus,
    SyntheticSpec,
    exact_topk,
    recall_at_k,
)

SIZES = (1_000, 2_000)
KINDS = ("flat", "hnsw", "ivf")


@pytest.fixture(scope="module")
def rows():
    return run_scale(SIZES, n_queries=20, kinds=KINDS, seed=0)


def test_synthetic_corpus_is_unit_norm_deterministic_and_batched():
    spec = SyntheticSpec(batch=300)
    a = np.concatenate(list(SyntheticCorpus(seed=3, spec=spec).batches(1_000)))
    b = np.concatenate(list(SyntheticCorpus(seed=3, spec=spec).batches(1_000)))
    c = np.concatenate(list(SyntheticCorpus(seed=4, spec=spec).batches(1_000)))
    assert a.shape == (1_000, 384) and a.dtype == np.float32
    assert [len(x) for x in SyntheticCorpus(seed=3, spec=spec).batches(1_000)] == [300, 300, 300, 100]
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # Clustered, not uniform: nearest neighbours are far closer than random pairs.
    q = SyntheticCorpus(seed=3, spec=spec).queries(20)
    top_s, _ = exact_topk(SyntheticCorpus(seed=3, spec=spec), 1_000, q, 10)
    assert top_s[:, 0].mean() > 0.3 > abs(float((a[:500] @ a[500:].T).mean()))


def test_exact_topk_matches_brute_force_and_recall_counts_ties():
    corpus = SyntheticCorpus(seed=1, spec=SyntheticSpec(batch=128))
    x = np.concatenate(list(corpus.batches(500)))
    q = corpus.queries(7)
    s, i = exact_topk(corpus, 500, q, 10)
    full = q @ x.T
    np.testing.assert_array_equal(i, np.argsort(-full, axis=1)[:, :10])
    assert recall_at_k(i, s, i, s) == 1.0
    # Shifting every answer to the ranks 11-20 loses them all...
    wrong = np.argsort(-full, axis=1)[:, 10:20]
    wrong_s = np.take_along_axis(full, wrong, axis=1)
    assert recall_at_k(wrong, wrong_s, i, s) == 0.0
    # ...unless the score ties the 10th true score; duplicates and -1 never count.
    tied = wrong_s.copy()
    tied[:, 0] = s[:, 9]
    assert recall_at_k(wrong, tied, i, s) == pytest.approx(0.1)
    dup = np.repeat(i[:, :1], 10, axis=1)
    assert recall_at_k(dup, np.repeat(s[:, :1], 10, axis=1), i, s) == pytest.approx(0.1)
    assert recall_at_k(np.full_like(i, -1), np.zeros_like(s), i, s) == 0.0


def test_run_scale_rows(rows):
    assert [(r["size"], r["index"]) for r in rows] == [(n, k) for n in SIZES for k in KINDS]
    for r in rows:
        assert r["n_queries"] == 20 and r["k"] == 10 and r["dim"] == 384 and r["repeats"] == 3
        assert r["build_s"] >= 0
        # Every index stores the raw float32 vectors at least.
        assert r["memory_bytes"] >= r["size"] * 384 * 4
        assert 0 < r["p50_ms"] <= r["p95_ms"]
        assert 0.0 <= r["recall_at_10"] <= 1.0
        if r["index"] == "flat":
            assert r["recall_at_10"] == 1.0
            assert r["params"] == "exact"
        if r["index"] == "hnsw":
            assert r["recall_at_10"] >= 0.9, r
            assert "M=32" in r["params"] and "efS=128" in r["params"]
            sweep = {e["ef_search"]: e for e in r["ef_sweep"]}
            assert set(sweep) >= {32, 128, 512}
            assert sweep[128]["recall_at_10"] == r["recall_at_10"]
            assert sweep[512]["recall_at_10"] >= sweep[32]["recall_at_10"]
            assert all(0 < e["p50_ms"] <= e["p95_ms"] for e in sweep.values())
        else:
            assert r["ef_sweep"] == []
    hnsw = [r for r in rows if r["index"] == "hnsw"]
    flat = [r for r in rows if r["index"] == "flat"]
    assert all(h["memory_bytes"] > f["memory_bytes"] for h, f in zip(hnsw, flat, strict=True))


def test_run_scale_rejects_unknown_kind():
    with pytest.raises(ValueError, match="unknown index kind"):
        run_scale([100], n_queries=2, kinds=("flat", "lsh"))


def test_write_report(rows, tmp_path):
    md, png = tmp_path / "out" / "scale.md", tmp_path / "out" / "scale.png"
    write_report(rows, md, png, command="python -m eval.bench scale --sizes 1000,2000")
    text = md.read_text(encoding="utf-8")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "python -m eval.bench scale --sizes 1000,2000" in text
    assert "](scale.png)" in text
    table = [line for line in text.splitlines() if line.startswith("| ") and "," in line.split("|")[1]]
    for n in SIZES:
        for kind in KINDS:
            assert any(f"| {n:,} | {kind} |" in line for line in table), (n, kind)
    assert "## Where to switch" in text
    assert "## HNSW efSearch sweep" in text and "| 128* |" in text


def test_switch_advice_picks_smallest_size_over_budget():
    def row(n, kind, p50, recall=1.0):
        return {"size": n, "index": kind, "p50_ms": p50, "recall_at_10": recall, "params": "p"}

    rows = [
        row(10_000, "flat", 0.5), row(10_000, "hnsw", 0.2, 0.99),
        row(100_000, "flat", 5.0), row(100_000, "hnsw", 0.5, 0.98),
        row(1_000_000, "flat", 60.0), row(1_000_000, "hnsw", 1.0, 0.96),
    ]
    text = switch_advice(rows, budget_ms=2.0)
    assert "Switch to HNSW by 100,000 vectors" in text
    assert "about 40,000 vectors" in text  # linear between 10k/0.5 ms and 100k/5 ms
    assert "Switch to HNSW by 1,000,000" in switch_advice(rows, budget_ms=10.0)
    low = [dict(r, recall_at_10=0.5) if r["index"] == "hnsw" else r for r in rows]
    assert "raise efSearch" in switch_advice(low, budget_ms=2.0)
    assert "no switch is needed" in switch_advice(rows, budget_ms=100.0)


def test_cli_scale_writes_report(tmp_path, capsys):
    assert main(["scale", "--sizes", "500", "--kinds", "flat,hnsw", "--queries", "5",
                 "--repeats", "1", "--out", str(tmp_path), "--quiet"]) == 0
    text = (tmp_path / "scale.md").read_text(encoding="utf-8")
    assert "python -m eval.bench scale --sizes 500" in text
    assert "| 500 | flat |" in text and "| 500 | hnsw |" in text
    assert (tmp_path / "scale.png").stat().st_size > 0
    with pytest.raises(SystemExit):
        main(["scale", "--kinds", "flat,lsh"])
    with pytest.raises(SystemExit):
        main([])
