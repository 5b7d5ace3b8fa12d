"""`python -m eval.lay`: a bad questions file or index is an error naming it, not a traceback."""

import json

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
