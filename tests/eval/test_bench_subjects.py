"""The benchmark of questions about summaries the index lacks."""

import pytest

from eval.bench.__main__ import main
from eval.bench.subjects import every_subject_mentioned, subject


def test_a_subject_is_the_title_less_what_every_title_says():
    assert subject("Esophageal Cancer Treatment (PDQ®) - NCI") == "esophageal cancer"
    assert subject("Childhood Gastrointestinal Neuroendocrine Tumors Treatment (PDQ®)–Patient Version") == \
        "gastrointestinal neuroendocrine tumors"
    assert subject("PC-SPES (PDQ®) - CAM") == "pc-spes"
    assert subject("Late Effects of Treatment for Childhood Cancer (PDQ®)") == "late effects of cancer"
    assert subject("Rare Cancers of Childhood Treatment (PDQ®)") == "rare cancers"
    assert subject("Pheochromocytoma & Paraganglioma Treatment (PDQ®)") == "pheochromocytoma and paraganglioma"


def test_the_seed_index_refuses_more_of_them_with_the_rule(seed_index, tmp_path, capsys):
    """A remedy's or a symptom's summary: a cancer's is also refused without the rule, since
    its first passages must name it (`Scope.unnamed`)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, title in (("ar", "Aromatherapy With Essential Oils (PDQ®) - NCI"), ("pr", "Pruritus (PDQ®) - NCI")):
        (corpus / f"{name}.md").write_text(f"---\ntitle: {title}\n---\nText.\n", encoding="utf-8")
    assert main(["subjects", "--index", str(seed_index), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "2 subjects of summaries the index lacks, 6 queries" in out
    rows = {line.split("|")[1].strip(): int(line.split("|")[2]) for line in out.splitlines() if "rule o" in line}
    assert rows["subjects rule on"] < rows["subjects rule off"]


@pytest.mark.model
def test_the_rule_off_reads_every_subject_as_mentioned(seed_retriever):
    """"mistletoe" (a PDQ summary's subject) is a topic the seed never mentions; with the rule off
    it is none, and the rule is on again after."""
    assert "mistletoe" in seed_retriever.plan("is mistletoe extract safe").topics
    with every_subject_mentioned(seed_retriever):
        assert "mistletoe" not in seed_retriever.plan("is mistletoe extract safe").topics
    assert "mistletoe" in seed_retriever.plan("is mistletoe extract safe").topics
