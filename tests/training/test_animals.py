"""The animal check's training: its labelled lines, the fit, its cut and the command's guards."""

import json
import re
from argparse import Namespace
from pathlib import Path

import numpy as np
import pytest

from retriever.animals import FLAGGED_SHARE, AnimalCheck
from training.animals import AnimalFileError, command, fit_animals, read_animals
from training.cli import ANIMALS
from training.data import is_validation
from training.domain import held_out
from training.questions import TrainingQuestion


def _line(text="my dog has lymphoma what chemo", label="animal", kind="pet_cancer"):
    return json.dumps({"text": text, "label": label, "kind": kind})


def test_the_committed_lines_are_valid_and_hold_both_labels_and_every_kind():
    lines = read_animals(*ANIMALS)
    kinds = {(a.label, a.kind) for a in lines}
    assert {("animal", k) for k in ("pet_cancer", "pet_health", "other_animals", "short_animal")} <= kinds
    assert {("person", k) for k in ("pets_and_patients", "animal_words", "short_person")} <= kinds
    # the second round's (ANIMALS_ROUND2_BRIEF.md): what the first round's check got wrong in use
    assert {("person", k) for k in ("vet_people", "family_pets", "animal_talk", "short_person2")} <= kinds
    assert {("animal", k) for k in ("breeds_and_names", "short_animal2")} <= kinds
    # the third's (ANIMALS_ROUND3_BRIEF.md): a person told of with "he" or "she" alone
    assert {("person", k) for k in ("pronoun_symptoms", "pronoun_care", "short_pronoun")} <= kinds
    assert {("animal", k) for k in ("pronoun_animal", "short_pronoun_animal")} <= kinds
    counts = {label: sum(a.label == label for a in lines) for label in ("animal", "person")}
    assert min(counts.values()) >= 400 and sum(held_out(a.text) for a in lines) >= 100


def test_no_training_line_shares_six_words_in_a_row_with_an_evaluation_line():
    """The evaluation files were written apart from the training lines; training lines sharing
    their runs of words were dropped, and must stay out."""
    def runs(text):
        words = re.findall(r"\w+", text.lower())
        return {tuple(words[i:i + 6]) for i in range(max(len(words) - 5, 1))}

    held = set().union(*(runs(json.loads(line)["text"]) for path in sorted(Path("eval/animals").glob("*.jsonl"))
                         for line in path.read_text(encoding="utf-8").splitlines()))
    assert len(held) > 1000 and not [a.text for a in read_animals(*ANIMALS) if runs(a.text) & held]


@pytest.mark.parametrize("line, message", [
    ("{not json", "not a JSON object"),
    (_line(label="pet"), "label must be one of animal, person"),
    (json.dumps({"text": "my cat is sick", "label": "animal"}), "fields 'text', 'label' and 'kind' must each be text"),
    (_line(text="My dog has lymphoma, what chemo?"), "repeats an earlier line"),
])
def test_a_bad_line_is_named_by_file_and_line(tmp_path, line, message):
    path = tmp_path / "animals.jsonl"
    path.write_text(_line() + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(AnimalFileError, match=rf"animals.jsonl:2: .*{re.escape(message)}"):
        read_animals(path)


class _Words:
    """A stand-in encoder: a line's vector says whether it names a dog."""

    def encode_query(self, text):
        return np.array([1.0, 0.0] if "dog" in text else [0.0, 1.0], np.float32)


def test_fit_writes_a_check_that_flags_the_kept_out_animal_lines_and_few_questions(tmp_path):
    path = tmp_path / "animals.jsonl"
    texts = [(f"my dog has a lump {i}", "animal") for i in range(120)] + \
            [(f"can i keep my cat during chemo {i}", "person") for i in range(120)]
    path.write_text("".join(_line(t, lab) + "\n" for t, lab in texts), encoding="utf-8")
    lay = [TrainingQuestion(f"doc-{i}", f"doc-{i}/0", ("T",), f"what is a scan {i}", "question", "e")
           for i in range(2000)]
    record = fit_animals(read_animals(path), lay, _Words(), tmp_path / AnimalCheck.FOLDER)
    check = AnimalCheck.load(tmp_path, dimensions=2)
    assert check.cut == record["cut"] and record["kept out flagged"] == {"animal": 1.0, "person": 0.0}
    assert check.about_animal(_Words().encode_query("dog bone cancer"))
    assert not check.about_animal(_Words().encode_query("pet scan before surgery"))
    validation = [_Words().encode_query(q.question) for q in lay if is_validation(q.doc_id)]
    assert record["validation summaries' questions flagged"] == round(
        float(np.mean([check.logit(v) > check.cut for v in validation])), 4) <= FLAGGED_SHARE


def test_a_fit_without_both_labels_is_refused_before_any_work(tmp_path):
    path = tmp_path / "animals.jsonl"
    path.write_text("".join(_line(f"my dog has a lump {i}") + "\n" for i in range(20)), encoding="utf-8")
    with pytest.raises(AnimalFileError, match="needs animal and person lines"):
        fit_animals(read_animals(path), [], _Words(), tmp_path / AnimalCheck.FOLDER)
    assert not (tmp_path / AnimalCheck.FOLDER).exists()


def test_the_command_never_replaces_a_shipped_check_without_force(tmp_path, monkeypatch, capsys):
    (tmp_path / AnimalCheck.FOLDER).mkdir()
    (tmp_path / AnimalCheck.FOLDER / AnimalCheck.WEIGHTS_FILE).write_bytes(b"shipped")
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path))
    lines = tmp_path / "lines.jsonl"
    lines.write_text(_line() + "\n", encoding="utf-8")
    args = Namespace(model="pdq-minilm-l6", lines=[lines], questions=[Path("training/questions/audience.jsonl")],
                     force=False)
    assert command(args) == 2
    out, err = capsys.readouterr()
    assert "1 animal-file lines" in out and "already holds an animal check; pass --force" in err
    assert (tmp_path / AnimalCheck.FOLDER / AnimalCheck.WEIGHTS_FILE).read_bytes() == b"shipped"
