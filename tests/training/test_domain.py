"""The domain check's training: its everyday questions, the fit and the command's guards."""

import json
import re
from argparse import Namespace

import numpy as np
import pytest

from retriever.domain import FOLDER, DomainCheck
from training.cli import AUDIENCE, EVERYDAY, EVERYDAY_NEAR
from training.data import is_validation
from training.domain import EverydayFileError, command, fit_domain, held_out, read_everyday, read_everyday_files
from training.questions import TrainingQuestion


def _line(question="my knee hurts after running", topic="aches_injuries", style="question"):
    return json.dumps({"question": question, "topic": topic, "style": style})


def test_the_committed_everyday_questions_are_valid():
    found = read_everyday(EVERYDAY)
    assert len(found) >= 1500 and {q.style for q in found} == {"question", "query"}


def test_the_near_everyday_questions_are_valid_and_repeat_none_of_the_first_round():
    found = read_everyday_files([EVERYDAY, EVERYDAY_NEAR])
    near = [q for q in found if q.source == str(EVERYDAY_NEAR)]
    assert len(near) >= 1000 and {q.style for q in near} == {"question", "query"}


def test_a_line_repeating_an_earlier_file_is_named_by_its_own_file_and_line(tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(_line("My knee hurts after running") + "\n", encoding="utf-8")
    second.write_text(_line("why do I hiccup") + "\n" + _line("my knee hurts after running!") + "\n",
                      encoding="utf-8")
    assert len(read_everyday(second)) == 2  # alone, it repeats nothing
    with pytest.raises(EverydayFileError, match=r"second.jsonl:2: repeats an earlier line"):
        read_everyday_files([first, second])


@pytest.mark.parametrize("line, message", [
    ("{not json", "not a JSON object"),
    (_line(style="sentence"), "style must be one of question, query"),
    (_line(topic="cars"), "topic one of"),
    (_line(question="is this lump a tumour"), "about cancer ('lump')"),
    (json.dumps({"question": "q", "topic": "mind"}), "fields 'question', 'topic' and 'style' must each be text"),
])
def test_a_bad_everyday_line_is_named_by_file_and_line(tmp_path, line, message):
    path = tmp_path / "everyday.jsonl"
    path.write_text(_line() + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(EverydayFileError, match=rf"everyday.jsonl:2: .*{re.escape(message)}"):
        read_everyday(path)


def test_a_repeated_question_is_named(tmp_path):
    path = tmp_path / "everyday.jsonl"
    path.write_text(_line() + "\n" + _line("My knee hurts, after running!") + "\n", encoding="utf-8")
    with pytest.raises(EverydayFileError, match=r":2: repeats an earlier line"):
        read_everyday(path)


class _Letters:
    """A stand-in encoder: a question's vector says whether it names a cancer word."""

    def encode_query(self, text):
        cancer = any(w in text for w in ("chemo", "scan", "surgery"))
        v = np.array([1.0, 0.0] if cancer else [0.0, 1.0], np.float32) + np.float32(len(text) % 7) * 0.01
        return v / np.linalg.norm(v)


def test_fit_writes_a_check_that_tells_the_two_sides_apart(tmp_path):
    cancer = [TrainingQuestion(f"doc-{i}", f"doc-{i}/0", ("T",), f"is chemo number {i} hard", "question", "e")
              for i in range(60)] + [TrainingQuestion(f"doc-{i}", f"doc-{i}/0", ("T",), f"when is my scan {i}",
                                                      "question", "e") for i in range(60)]
    everyday = read_everyday_lines(tmp_path, [f"my knee hurts after run {i}" for i in range(40)])
    record = fit_domain(cancer, everyday, _Letters(), tmp_path / FOLDER)
    check = DomainCheck.load(tmp_path, dimensions=2)
    assert check.cut == record["cut"] and record["fitted_on"]["everyday questions"] > 0
    assert check.everyday(_Letters().encode_query("my knee hurts after a walk"))
    assert not check.everyday(_Letters().encode_query("is chemo hard on the stomach"))


def test_the_held_out_share_is_recorded_for_each_file(tmp_path):
    """Knee questions read as everyday, dog-scan questions as cancer ones (the stand-in encoder
    reads "scan"): each file's share is its own, in the order the held-out fifth was read."""
    cancer = [TrainingQuestion(f"doc-{i}", f"doc-{i}/0", ("T",), f"is chemo number {i} hard", "question", "e")
              for i in range(60)]
    knees, scans = tmp_path / "knees.jsonl", tmp_path / "scans.jsonl"
    knees.write_text("".join(_line(f"my knee hurts after run {i}") + "\n" for i in range(60)), encoding="utf-8")
    scans.write_text("".join(_line(f"when is my dog scan {i}") + "\n" for i in range(60)), encoding="utf-8")
    everyday = read_everyday_files([knees, scans])
    assert {q.source for q in everyday if held_out(q.question)} == {str(knees), str(scans)}
    record = fit_domain(cancer, everyday, _Letters(), tmp_path / FOLDER)
    assert record["the same, by file"] == {str(knees): 1.0, str(scans): 0.0}


def test_a_file_named_twice_and_the_bad_lines_of_every_file_are_named(tmp_path):
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(_line(style="sentence") + "\n", encoding="utf-8")
    second.write_text(_line("why do I hiccup", topic="cars") + "\n", encoding="utf-8")
    with pytest.raises(EverydayFileError, match="named twice"):
        read_everyday_files([first, tmp_path / "sub" / ".." / "first.jsonl"])
    with pytest.raises(EverydayFileError, match=r"(?s)first.jsonl:1: style.*second.jsonl:1: .*topic one of"):
        read_everyday_files([first, second])


def read_everyday_lines(tmp_path, questions):
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(_line(q) + "\n" for q in questions), encoding="utf-8")
    return read_everyday(path)


def test_the_command_never_replaces_a_shipped_check_without_force(tmp_path, monkeypatch, capsys):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "domain.npz").write_bytes(b"shipped")
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path))
    args = Namespace(model="pdq-minilm-l6", questions=[AUDIENCE], everyday=[EVERYDAY, EVERYDAY_NEAR], force=False)
    assert command(args) == 2
    out, err = capsys.readouterr()
    assert "questions about cancer and 2820 everyday ones read" in out  # checked before it stops
    assert "already holds a domain check; pass --force" in err
    assert (tmp_path / FOLDER / "domain.npz").read_bytes() == b"shipped"


def test_a_fit_without_validation_summaries_questions_is_refused_before_any_work(tmp_path):
    only_training = [TrainingQuestion("doc-1", "doc-1/0", ("T",), "is chemo hard", "question", "e")]
    assert not is_validation("doc-1")  # so no validation summary's question is given
    everyday = read_everyday_lines(tmp_path, [f"my knee hurts after run {i}" for i in range(10)])
    with pytest.raises(EverydayFileError, match="needs questions of training summaries and of validation ones"):
        fit_domain(only_training, everyday, _Letters(), tmp_path / FOLDER)
    assert not (tmp_path / FOLDER).exists()
