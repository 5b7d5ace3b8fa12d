"""What a wheel of the project carries: the lists the retriever reads at run time."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_list_the_retriever_reads_is_package_data():
    """`pdq_cancer_names.txt` was read at run time yet missing from the wheel's files: an
    installed (not editable) copy would have stopped on its first question."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    shipped = {p.name for p in (ROOT / "retriever").glob("*.txt")}
    assert shipped and shipped <= set(data["retriever"])
