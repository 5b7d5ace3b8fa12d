"""`python -m eval.lay`: a bad questions file or index is an error naming it, not a traceback."""

import json
from types import SimpleNamespace

from eval.lay import main

LINE = {"doc_id": "d", "section": "d/0", "heading_path": ["T", "S"], "question": "is it safe",
        "style": "question", "evidence": "it is safe to do"}


def test_cli_names_a_file_in_another_encoding(tmp_path, capsys):
    path = tmp_path / "q.jsonl"
    path.write_bytes(json.dumps(LINE, ensure_ascii=False).replace("safe", "sûr").encode("latin-1") + b"\n")
    assert main([str(path), "--index", str(tmp_path / "index")]) == 2
    assert f"{path}:1: not UTF-8 text" in capsys.readouterr().err


def test_cli_names_a_missing_index(tmp_path, capsys):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(LINE) + "\n", encoding="utf-8")
    assert main([str(path), "--index", str(tmp_path / "nowhere")]) == 2
    assert "nowhere: folder does not exist" in capsys.readouterr().err


def test_cli_refuses_a_report_path_that_is_the_question_file(tmp_path, capsys):
    """A review: ``--json`` named as the file being scored would have replaced it."""
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(LINE) + "\n", encoding="utf-8")
    assert main([str(path), "--index", str(tmp_path / "index"), "--json", str(path)]) == 2
    assert "is the question file being scored" in capsys.readouterr().err and json.loads(path.read_text())


def test_cli_scores_a_file_and_names_the_model_files_it_ran(seed_index, seed_retriever, tmp_path, capsys):
    chunk = next(c for c in seed_retriever.chunks if "carcinoid syndrome" in c.text.lower())
    line = {**LINE, "doc_id": chunk.doc_id, "section": chunk.id, "heading_path": list(chunk.heading_path),
            "question": "what is carcinoid syndrome", "evidence": " ".join(chunk.text.split()[:8])}
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert main([str(path), "--index", str(seed_index), "--split", "all"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["in_scope"]["all"]["n"] == 1 and out["in_scope"]["all"]["summary@1"] == 1.0
    assert (out["run"]["encoder"], out["run"]["chunks"]) == (seed_retriever.embedder.file, len(seed_retriever.chunks))


def test_the_json_report_keeps_each_question_outcome_for_compare(seed_index, seed_retriever, tmp_path, capsys):
    from eval.compare import main as compare_main

    lines = []
    asked = (("what is carcinoid syndrome", "carcinoid syndrome"), ("how is the tumor staged", "stage"))
    for question, needle in asked:
        chunk = next(c for c in seed_retriever.chunks if needle in c.text.lower())
        lines.append(json.dumps({**LINE, "doc_id": chunk.doc_id, "section": chunk.id,
                                 "heading_path": list(chunk.heading_path), "question": question,
                                 "evidence": " ".join(chunk.text.split()[:8])}))
    path, report = tmp_path / "q.jsonl", tmp_path / "out" / "lay.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report.parent.mkdir()
    assert main([str(path), "--index", str(seed_index), "--split", "all", "--json", str(report)]) == 0
    assert "outcomes" not in json.loads(capsys.readouterr().out)  # the terminal gets the figures only
    written = json.loads(report.read_text(encoding="utf-8"))
    outcomes, figures = written["outcomes"], written["in_scope"]["all"]
    assert len(outcomes) == figures["n"] == 2 and all(len(key) == 12 for key in outcomes)
    assert not any(line["question"] in json.dumps(outcomes) for line in map(json.loads, lines))
    assert figures["summary@1"] == sum(o["rank"]["document"] == 1 for o in outcomes.values()) / 2
    assert figures["passage@1"] == sum(o["rank"]["passage"] == 1 for o in outcomes.values()) / 2
    assert figures["refused"] == sum(o["refused"] for o in outcomes.values()) / 2
    assert compare_main([str(report), str(report), "--level", "document"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert any(row.split()[:2] == ["q", "2"] for row in rows)  # one set, named for its file, 2 answerable


def test_outcomes_count_a_repeated_question_twice_and_near_misses_as_out_of_scope(seed_retriever):
    """Two files pooled may ask one question twice: both count. A question naming its summary
    is a near-miss, recorded as an out-of-scope question; one that names none is not asked."""
    from eval.lay import near_miss, outcomes, score
    from training.questions import TrainingQuestion

    chunk = next(c for c in seed_retriever.chunks if "carcinoid syndrome" in c.text.lower())
    title = chunk.title.split("(")[0].strip()  # "Gastrointestinal Neuroendocrine Tumors Treatment"
    q = TrainingQuestion(chunk.doc_id, chunk.id, tuple(chunk.heading_path), "what is carcinoid syndrome",
                         "question", " ".join(chunk.text.split()[:8]))
    named = TrainingQuestion(chunk.doc_id, chunk.id, tuple(chunk.heading_path),
                             f"how is {title.lower()} done", "question", q.evidence)
    searched = outcomes([q, q], seed_retriever)
    assert len(searched) == 2 and sorted(searched) == [next(iter(searched)), next(iter(searched)) + "-2"]
    assert score([q, q], seed_retriever, searched=searched)["all"]["n"] == 2
    # over a one-summary index a near-miss has no summary left to be asked of: not asked
    assert near_miss([named, q], seed_retriever) == {}

    class TwoSummaries:  # what near_miss reads of a retriever: the chunks' summaries, and search
        chunks = [seed_retriever.chunks[0], SimpleNamespace(doc_id="other", title="Another Summary")]
        asked = []

        def search(self, question, k, filters):
            self.asked.append(filters.doc_ids)
            return SimpleNamespace(abstained=True)

    [(key, missed)] = near_miss([named, q], TwoSummaries()).items()
    assert TwoSummaries.asked == [("other",)]  # the named summary taken out
    assert key.startswith("near-") and missed == {"kind": "out_of_scope", "refused": True,
                                                  "rank": {"passage": None, "document": None}}
