"""Questions about the shared "About This PDQ Summary" sections: reading and attaching."""

import json

import pytest

from retriever.models import Chunk
from training.cli import SHARED
from training.data import is_validation
from training.questions import QuestionFileError
from training.shared import HEADINGS, PARENT, attach, read_shared

CALL = "For more information, call the Cancer Information Service at 1-800-4-CANCER."


def _line(**over):
    d = {"heading": "Clinical Trial Information", "question": "is there someone I can ring",
         "style": "question", "evidence": "call the Cancer Information Service"}
    return json.dumps({**d, **over})


def _write(tmp_path, *lines):
    path = tmp_path / "shared.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _chunks(doc, text=CALL):
    return [Chunk(id=f"{doc}#0", doc_id=doc, source=f"{doc}.md", title=doc, url="",
                  heading_path=[doc, PARENT, "Clinical Trial Information"],
                  section="Clinical Trial Information", text=text, shared=True),
            Chunk(id=f"{doc}#1", doc_id=doc, source=f"{doc}.md", title=doc, url="",
                  heading_path=[doc, "Treatment"], section="Treatment", text=CALL)]


def _docs(n=6):
    """Summary ids of both kinds, so that the split is exercised."""
    ids = [f"summary-{i}" for i in range(40)]
    train = [d for d in ids if not is_validation(d)][:n]
    val = [d for d in ids if is_validation(d)][:2]
    return train, val


@pytest.mark.parametrize("line, problem", [
    ("{not json", "not JSON"),
    (_line(style="poem"), "style 'poem'"),
    (_line(heading="Treatment"), "heading 'Treatment'"),
    (json.dumps({"heading": "Disclaimer", "question": "x"}), "needs exactly the text fields"),
])
def test_a_bad_line_is_named_by_file_and_line(tmp_path, line, problem):
    path = _write(tmp_path, _line(), line)
    with pytest.raises(QuestionFileError, match=rf"shared.jsonl:2: .*{problem}"):
        read_shared(path)


def test_a_repeated_question_names_the_first_line(tmp_path):
    path = _write(tmp_path, _line(), _line(question="Is there someone I can ring?"))
    with pytest.raises(QuestionFileError, match="shared.jsonl:2: repeats the question of line 1"):
        read_shared(path)


def test_each_question_goes_to_a_training_summarys_copy_of_its_section(tmp_path):
    train, val = _docs()
    chunks = {d: _chunks(d) for d in train + val}
    path = _write(tmp_path, *[_line(question=f"who can I phone, take {i}") for i in range(12)])
    attached = attach(read_shared(path), chunks, path)
    assert len(attached) == 12
    assert all(q.doc_id in train and q.heading_path[-1] == "Clinical Trial Information" for q in attached)
    assert len({q.doc_id for q in attached}) > 1  # spread over summaries, not all on one
    assert attach(read_shared(path), chunks, path) == attached  # the same file, the same pairs


def test_only_a_copy_holding_the_evidence_is_used_and_none_is_an_error(tmp_path):
    train, _ = _docs(3)
    chunks = {d: _chunks(d, "Trials can be found online.") for d in train}
    chunks[train[1]] = _chunks(train[1])
    path = _write(tmp_path, _line())
    assert attach(read_shared(path), chunks, path)[0].doc_id == train[1]
    del chunks[train[1]]
    with pytest.raises(QuestionFileError, match="shared.jsonl:1: no training summary's 'Clinical Trial"):
        attach(read_shared(path), chunks, path)


def test_a_corpus_of_validation_summaries_only_is_named(tmp_path):
    _, val = _docs()
    path = _write(tmp_path, _line())
    with pytest.raises(QuestionFileError, match="holds no training summary"):
        attach(read_shared(path), {d: _chunks(d) for d in val}, path)


def test_a_question_copying_eight_words_of_its_section_is_refused(tmp_path):
    train, _ = _docs(2)
    chunks = {d: _chunks(d) for d in train}
    path = _write(tmp_path, _line(question="please call the Cancer Information Service at 1-800-4-CANCER now"))
    with pytest.raises(QuestionFileError, match="shared.jsonl:1: copies 8 or more words"):
        attach(read_shared(path), chunks, path)


def test_the_committed_file_reads_and_covers_every_shared_section():
    questions = read_shared(SHARED)
    assert {q.heading for q in questions} == set(HEADINGS)
    assert {q.style for q in questions} == {"question", "query"}
