"""`eval.fileshape`: a question file's whole-file mistakes said once, a line's slips in words."""

import json

import pytest

from eval.questionset import QuestionSetError, load_questions

ITEM = {"id": "a", "question": "q", "kind": "out_of_scope", "sections": [], "evidence": []}


def refusal(path) -> str:
    with pytest.raises(QuestionSetError) as err:
        load_questions(path)
    return str(err.value)


@pytest.mark.parametrize("content, says", [
    (json.dumps([ITEM, {**ITEM, "id": "b"}], indent=2), "a JSON array ([ ] around the items)"),
    (json.dumps([ITEM, {**ITEM, "id": "b"}]), "a JSON array ([ ] around the items)"),
    (json.dumps(ITEM, indent=2), "JSON spread over several lines (pretty-printed)"),
    ("id,question,kind,sections,evidence\na,what is it,patient,Surgery,\n", "looks like CSV"),
    ("id\tquestion\tkind\na\twhat is it\tpatient\n", "looks like tab-separated values"),
])
def test_a_file_of_another_shape_is_named_in_one_line(tmp_path, content, says):
    """Each line's JSON error came out instead: twenty lines hiding the one fix."""
    path = tmp_path / "set.jsonl"
    path.write_text(content, encoding="utf-8")
    message = refusal(path)
    assert message.startswith(f"{path}: {says}") and "one JSON object per line" in message and "\n" not in message


def test_a_utf16_file_is_named_once(tmp_path):
    """Line 1 said "not UTF-8", then 19 more lines of JSON errors followed."""
    path = tmp_path / "set.jsonl"
    path.write_bytes("\n".join(json.dumps({**ITEM, "id": f"a{i}"}) for i in range(20)).encode("utf-16"))
    message = refusal(path)
    assert message == f"{path}: saved as UTF-16 (two bytes a character), not UTF-8; save it as UTF-8 text, " \
                      "one JSON object per line (JSONL)"


def test_hand_written_slips_are_said_in_plain_words(tmp_path):
    path = tmp_path / "set.jsonl"
    lines = ["# my questions", "{'id': 'b', 'question': 'q'}", json.dumps({**ITEM, "id": "c"})[:-1] + ",}",
             json.dumps(ITEM), json.dumps({**ITEM, "id": "d"}) + ","]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refusal(path)
    assert ":1: not valid JSON at column 1 (Expecting value; a comment: JSONL has no comments; delete the line)" \
        in message
    assert ":2: not valid JSON at column 2 (Expecting property name enclosed in double quotes; single quotes: " \
           "JSON needs double quotes (\") around names" in message
    assert ":3: not valid JSON at column" in message and "; a comma before a closing } or ]" in message
    # a set copied out of a JSON array: "Extra data" alone
    assert ":5: not valid JSON at column" in message and "(Extra data; a comma after the object: JSONL has one " \
        "object a line" in message


def test_a_slip_is_named_where_the_reader_stopped_not_anywhere_in_the_line(tmp_path):
    """A review: a question holding "'safe'" or ", ]" in its text was told of single quotes or
    a trailing comma when the line's fault was a missing comma between two fields."""
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "q1" "question": "is it, \'safe\' [a, ]?", "kind": "patient"}\n', encoding="utf-8")
    message = refusal(path)
    assert "not valid JSON at column 13 (Expecting ',' delimiter)" in message
