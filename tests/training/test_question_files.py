"""Reading training-format question files without the corpus (`training.questions.load_questions`:
eval.lay, the benches, training words): every bad line is named by file and line."""

from __future__ import annotations

import json

import pytest

from training.questions import QuestionFileError, load_questions

LINE = {"doc_id": "d", "section": "d/0", "heading_path": ["T", "S"], "question": "is it safe",
        "style": "question", "evidence": "it is safe to do"}


def test_load_reads_training_format_lines(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(LINE) + "\n\n", encoding="utf-8")
    [q] = load_questions(path)
    assert (q.doc_id, q.heading_path, q.question) == ("d", ("T", "S"), "is it safe")


def test_a_line_missing_a_field_is_named(tmp_path):
    path = tmp_path / "q.jsonl"
    no_evidence = {k: v for k, v in LINE.items() if k != "evidence"}
    path.write_text(json.dumps(LINE) + "\n" + json.dumps(no_evidence) + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=rf"{path}:2: not a training question \(field .evidence. is missing"):
        load_questions(path)


def test_every_bad_line_is_named_in_one_run(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes(b"{x\n" + json.dumps(LINE).encode() + b"\n\xff\n[]\n")
    with pytest.raises(QuestionFileError) as err:
        load_questions(path)
    assert [line.split(": ")[0] for line in str(err.value).splitlines()] == [f"{path}:{n}" for n in (1, 3, 4)]


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
        load_questions(path)
