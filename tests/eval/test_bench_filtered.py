"""The benchmark of searches filtered to one summary."""

import json

from eval.bench.__main__ import main
from ingest.indexing import build_index

WHIPPLE = ("---\ntitle: The Whipple Procedure\nurl: https://example.org/whipple\n---\n# The Whipple Procedure\n\n"
           "## What it is\n\nThe Whipple procedure removes the head of the pancreas, part of the small intestine "
           "and the gallbladder.\n")


def test_the_filtered_topic_check_refuses_the_other_summary(seed_copy, settings, embedder, tmp_path, capsys):
    (seed_copy / "whipple.md").write_text(WHIPPLE, encoding="utf-8")
    index = tmp_path / "index"
    build_index(seed_copy, index, settings, embedder=embedder, progress=False)
    questions = tmp_path / "q.jsonl"
    line = {"doc_id": "whipple", "section": "whipple/0", "heading_path": ["The Whipple Procedure", "What it is"],
            "style": "question", "evidence": "removes the head of the pancreas"}
    questions.write_text("".join(json.dumps({**line, "question": q}) + "\n" for q in (
        "what is the whipple procedure", "whipple operation what gets removed")), encoding="utf-8")
    assert main(["filtered", "--index", str(index), "--questions", str(questions), "--split", "training"]) == 0
    out = capsys.readouterr().out
    assert "2 training summaries' questions" in out
    rows = {line.split("|")[1].strip(): line.split("|")[2:4] for line in out.splitlines() if "/ 2" in line}
    assert [r[0].strip() for r in rows.values()] == ["0 / 2", "0 / 2"]  # its own summary answers either way
    assert rows["whole index"][1].strip() == "0 / 2" and rows["filter's summaries"][1].strip() == "2 / 2"
