"""The animal check's study: flagged and answered per label and kind, with the check and without."""

import pytest

from eval.bench.animals import counted, table

pytestmark = pytest.mark.model


def test_an_animal_question_is_flagged_and_refused_and_a_person_s_answered(seed_retriever):
    rows = [{"text": "my dog has a tumor in his stomach what treatment", "label": "animal", "kind": "pet_cancer"},
            {"text": "what are the signs of a carcinoid tumor in the rectum?", "label": "person", "kind": "plain"}]
    counts = counted(seed_retriever, rows)
    animal, person = counts["animal", "pet_cancer"], counts["person", "plain"]
    assert (animal["flagged"], animal["answered"], animal["answered without"]) == (1, 0, 1)
    assert (person["flagged"], person["answered"], person["answered without"]) == (0, 1, 1)
    assert "| animal | all | 1 | 1 | 1 | 0 |" in table(counts, "python -m eval.bench animals")


def test_a_bad_line_or_a_missing_index_is_one_error_line(tmp_path, capsys):
    from argparse import Namespace

    from eval.bench.animals import run

    lines = tmp_path / "a.jsonl"
    lines.write_text('{"text": "dog lump", "label": "animal"}\n{"text": "no label"}\n', encoding="utf-8")
    args = Namespace(lines=lines, index=tmp_path / "none", out=None, command_line="")
    assert run(args) == 2
    assert capsys.readouterr().err == f"error: {lines}:2: needs 'text' and 'label' (animal or person)\n"
    lines.write_text('{"text": "dog lump", "label": "animal"}\n', encoding="utf-8")
    assert run(args) == 2 and "does not exist" in capsys.readouterr().err
