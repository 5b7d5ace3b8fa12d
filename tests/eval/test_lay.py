"""`python -m eval.lay`: a bad questions file or index is an error naming it, not a traceback."""

import json

import pytest

from eval.lay import load, main
from training.questions import QuestionFileError

LINE = {"doc_id": "d", "section": "d/0", "heading_path": ["T", "S"], "question": "is it safe",
        "style": "question", "evidence": "it is safe to do"}


def test_load_reads_training_format_lines(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(LINE) + "\n\n", encoding="utf-8")
    [q] = load(path)
    assert (q.doc_id, q.heading_path, q.question) == ("d", ("T", "S"), "is it safe")


def test_a_line_missing_a_field_is_named(tmp_path):
    path = tmp_path / "q.jsonl"
    no_evidence = {k: v for k, v in LINE.items() if k != "evidence"}
    path.write_text(json.dumps(LINE) + "\n" + json.dumps(no_evidence) + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=rf"{path}:2: not a training question \(field .evidence. is missing"):
        load(path)


def test_every_bad_line_is_named_in_one_run(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes(b"{x\n" + json.dumps(LINE).encode() + b"\n\xff\n[]\n")
    with pytest.raises(QuestionFileError) as err:
        load(path)
    assert [line.split(": ")[0] for line in str(err.value).splitlines()] == [f"{path}:{n}" for n in (1, 3, 4)]


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


@pytest.mark.parametrize("content, message", [
    (json.dumps({**LINE, "question": 5}), r":1: not a training question \(field 'question' is missing or not text"),
    (json.dumps({**LINE, "heading_path": "T > S"}), r":1: not a training question \(field 'heading_path'"),
    ("[" * 100_000, r":1: not a training question \(nested too deeply"),
    (json.dumps({**LINE, "question": "pain \ud800"}), r":1: not a training question \(holds an escape of half"),
    ("\n\n", r"q\.jsonl: no questions"),
])
def test_a_line_of_the_wrong_shape_is_named(tmp_path, content, message):
    path = tmp_path / "q.jsonl"
    path.write_text(content + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=message):
        load(path)
