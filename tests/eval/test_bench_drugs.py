"""The benchmark of staff drug searches."""

import pytest

from eval.bench.__main__ import main
from eval.bench.drugs import OUTCOMES, TEMPLATES, held_drugs


@pytest.mark.model
def test_the_drugs_are_those_of_the_table_the_index_names(seed_retriever):
    drugs = held_drugs(seed_retriever)
    assert {"octreotide", "lanreotide"} <= set(drugs) and "rituximab" not in drugs
    assert all(" " not in d for d in drugs)


def test_every_drug_is_searched_each_way_and_counted_once(seed_index, capsys):
    assert main(["drugs", "--index", str(seed_index)]) == 0
    out = capsys.readouterr().out
    drugs = int(out.split(": ", 1)[1].split(" drugs")[0])
    rows = [line for line in out.splitlines() if line.startswith("| ") and "<drug>" in line]
    assert len(rows) == len(TEMPLATES) and "| search | " + " | ".join(OUTCOMES) + " |" in out
    assert all(sum(int(c) for c in row.split("|")[2:-1]) == drugs for row in rows)
    assert "| how does <drug> work | 0 | " in out  # the seed answers each of its drugs' questions
