"""The benchmark of searches filtered to one summary."""

import json

from eval.bench.__main__ import main
from ingest.indexing import build_index

ANAL = ("---\ntitle: Anal Cancer Treatment\nurl: https://example.org/anal\n---\n# Anal Cancer Treatment\n\n"
        "## Treatment\n\nAnal cancer is most often treated with chemotherapy and radiation therapy given "
        "together, and sometimes with surgery.\n")


def test_the_filtered_topic_check_refuses_the_other_summary(seed_copy, settings, embedder, tmp_path, capsys):
    (seed_copy / "anal.md").write_text(ANAL, encoding="utf-8")
    index = tmp_path / "index"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    questions = tmp_path / "q.jsonl"
    line = {"doc_id": "anal", "section": "anal/0", "heading_path": ["Anal Cancer Treatment", "Treatment"],
            "style": "question", "evidence": "treated with chemotherapy and radiation therapy"}
    questions.write_text("".join(json.dumps({**line, "question": q}) + "\n" for q in (
        "how is anal cancer treated", "anal cancer chemo and radiation")), encoding="utf-8")
    assert main(["filtered", "--index", str(index), "--questions", str(questions), "--split", "training"]) == 0
    out = capsys.readouterr().out
    assert "2 training summaries' questions" in out
    rows = {line.split("|")[1].strip(): line.split("|")[2:4] for line in out.splitlines() if "/ 2" in line}
    assert [r[0].strip() for r in rows.values()] == ["0 / 2", "0 / 2"]  # its own summary answers either way
    assert rows["whole index"][1].strip() == "0 / 2" and rows["filter's summaries"][1].strip() == "2 / 2"
