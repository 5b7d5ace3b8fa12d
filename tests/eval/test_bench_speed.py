import pytest

from eval.bench.speed import bench_query, markdown

pytestmark = pytest.mark.model


def test_query_bench_reports_floor_and_search(seed_index, settings):
    row = bench_query(seed_index, ["belly pain", "octreotide", "clinical trials"], settings, repeats=1)
    assert row["embed"]["n"] == row["search"]["n"] == 3
    # No bound on the timings themselves: a test shares the CPUs with whatever else runs
    # ("search at least half the embedding" failed once beside another job). The report's own
    # arithmetic is what is checked.
    for stage in ("embed", "search"):
        assert 0 < row[stage]["p50_ms"] <= row[stage]["p95_ms"]
    assert row["ratio_p50"] == pytest.approx(row["search"]["p50_ms"] / row["embed"]["p50_ms"])
    text = markdown([], [row], "python -m eval.bench speed --index X")
    assert "python -m eval.bench speed --index X" in text and f"| {seed_index} |" in text
