"""The domain check's training: its everyday questions, the fit and the command's guards."""

import json
import re
from argparse import Namespace

import numpy as np
import pytest

from retriever.domain import FOLDER, DomainCheck
from training.cli import AUDIENCE, EVERYDAY
from training.data import is_validation
from training.domain import EverydayFileError, command, fit_domain, read_everyday
from training.questions import TrainingQuestion


def _line(question="my knee hurts after running", topic="aches_injuries", style="question"):
    return json.dumps({"question": question, "topic": topic, "style": style})


def test_the_committed_everyday_questions_are_valid():
    found = read_everyday(EVERYDAY)
    assert len(found) >= 1500 and {q.style for q in found} == {"question", "query"}


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


def read_everyday_lines(tmp_path, questions):
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(_line(q) + "\n" for q in questions), encoding="utf-8")
    return read_everyday(path)


def test_the_command_never_replaces_a_shipped_check_without_force(tmp_path, monkeypatch, capsys):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "domain.npz").write_bytes(b"shipped")
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path))
    args = Namespace(model="pdq-minilm-l6", questions=[AUDIENCE], everyday=EVERYDAY, force=False)
    assert command(args) == 2
    out, err = capsys.readouterr()
    assert "questions about cancer and 1648 everyday ones read" in out  # checked before it stops
    assert "already holds a domain check; pass --force" in err
    assert (tmp_path / FOLDER / "domain.npz").read_bytes() == b"shipped"


def test_a_fit_without_validation_summaries_questions_is_refused_before_any_work(tmp_path):
    only_training = [TrainingQuestion("doc-1", "doc-1/0", ("T",), "is chemo hard", "question", "e")]
    assert not is_validation("doc-1")  # so no validation summary's question is given
    everyday = read_everyday_lines(tmp_path, [f"my knee hurts after run {i}" for i in range(10)])
    with pytest.raises(EverydayFileError, match="needs questions of training summaries and of validation ones"):
        fit_domain(only_training, everyday, _Letters(), tmp_path / FOLDER)
    assert not (tmp_path / FOLDER).exists()
