"""The benchmark of searches filtered to one summary."""

import json

from eval.bench.__main__ import main
from ingest.indexing import build_index
from tests.conftest import summary_page

AROMA = summary_page("Aromatherapy With Essential Oils", "https://example.org/aroma",
                     "## Uses\n\nAromatherapy uses essential oils from plants, breathed in or rubbed on the skin, "
                     "to ease stress, nausea and sleep problems.\n", tags=())


def test_the_filtered_topic_check_refuses_the_other_summary(seed_copy, settings, embedder, tmp_path, capsys):
    (seed_copy / "aroma.md").write_text(AROMA, encoding="utf-8")
    index = tmp_path / "index"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    questions = tmp_path / "q.jsonl"
    line = {"doc_id": "aroma", "section": "aroma/0", "heading_path": ["Aromatherapy With Essential Oils", "Uses"],
            "style": "question", "evidence": "to ease stress, nausea and sleep problems"}
    questions.write_text("".join(json.dumps({**line, "question": q}) + "\n" for q in (
        "can aromatherapy help the flushing of carcinoid syndrome", "aromatherapy to ease stress and nausea")),
        encoding="utf-8")
    assert main(["filtered", "--index", str(index), "--questions", str(questions), "--split", "training"]) == 0
    out = capsys.readouterr().out
    assert "2 training summaries' questions" in out
    rows = {line.split("|")[1].strip(): line.split("|")[2:4] for line in out.splitlines() if "/ 2" in line}
    assert [r[0].strip() for r in rows.values()] == ["0 / 2", "0 / 2"]  # its own summary answers either way
    # asked of the seed: the flushing question is answered unless the filter's summaries decide
    # the topics (the seed never says "aromatherapy"); the seed holds nothing of the other one
    assert rows["whole index"][1].strip() == "1 / 2" and rows["filter's summaries"][1].strip() == "2 / 2"
