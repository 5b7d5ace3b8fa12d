import pytest

from eval.bench.speed import bench_query, markdown

pytestmark = pytest.mark.model


def test_query_bench_reports_floor_and_search(seed_index, settings):
    row = bench_query(seed_index, ["belly pain", "octreotide", "clinical trials"], settings, repeats=1)
    assert row["embed"]["n"] == row["search"]["n"] == 3
    assert row["search"]["p50_ms"] >= row["embed"]["p50_ms"] * 0.5
    text = markdown([], [row], "python -m eval.bench speed --index X")
    assert "python -m eval.bench speed --index X" in text and f"| {seed_index} |" in text
