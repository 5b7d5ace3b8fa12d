"""Training questions: the committed file, the writers' lines and the checks on both."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from training.cli import CAUSE, CAUSE_HEADINGS, WORRY, WORRY_HEADINGS
from training.data import is_validation
from training.questions import (
    QuestionFileError,
    TrainingQuestion,
    copied_run,
    from_raw_line,
    read_questions,
)
from training.sections import EXCLUDED_DOCS, load_sections

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "training" / "corpus"
QUESTIONS = ROOT / "training" / "questions" / "questions.jsonl"
AUDIENCE = ROOT / "training" / "questions" / "audience.jsonl"
SITUATION = ROOT / "training" / "questions" / "situation.jsonl"


@pytest.fixture(scope="module")
def sections():
    return {s.key: s for s in load_sections(CORPUS)}


def _a_section(sections):
    return next(s for s in sections.values() if s.words > 60 and s.doc_id not in EXCLUDED_DOCS)


def test_committed_questions_validate_and_cover_the_corpus(sections):
    qs = read_questions(QUESTIONS, sections)
    docs = {q.doc_id for q in qs}
    assert len(qs) >= 15_000 and len(docs) >= 150
    assert not docs & EXCLUDED_DOCS, "the seed's own summaries must stay unseen"
    assert {q.style for q in qs} == {"question", "query"}


@pytest.mark.parametrize("name", ["situation.jsonl", "situation_round2.jsonl", "lay_words.jsonl"])
def test_committed_situation_questions_validate_one_of_each_kind_per_section(sections, name):
    """SITUATION_BRIEF.md and LAY_WORDS_BRIEF.md ask one question and one query of every content
    section, each round."""
    qs = read_questions(SITUATION.with_name(name), sections)
    assert not {q.doc_id for q in qs} & EXCLUDED_DOCS, "the seed's own summaries must stay unseen"
    kinds: dict[str, set[str]] = {}
    for q in qs:
        kinds.setdefault(q.section, set()).add(q.style)
    content = {k for k, s in sections.items() if s.doc_id not in EXCLUDED_DOCS}
    assert set(kinds) == content and all(v == {"question", "query"} for v in kinds.values())


@pytest.mark.parametrize("path,pattern", [(WORRY, WORRY_HEADINGS), (CAUSE, CAUSE_HEADINGS)])
def test_committed_focused_questions_ask_two_of_each_kind_of_their_sections_only(sections, path, pattern):
    """WORRY_BRIEF.md and CAUSE_BRIEF.md ask two questions and two queries of every section whose
    heading their pattern finds (prognosis and coping; risk factors and causes), and of no other."""
    qs = read_questions(ROOT / path, sections)
    counts: dict[str, list[str]] = {}
    for q in qs:
        counts.setdefault(q.section, []).append(q.style)
    asked = {k for k, s in sections.items() if s.doc_id not in EXCLUDED_DOCS
             and re.search(pattern, " > ".join(s.heading_path), re.I)}
    assert set(counts) == asked
    assert all(sorted(v) == ["query", "query", "question", "question"] for v in counts.values())


def test_committed_audience_questions_validate_and_name_their_patient(sections):
    """Each names an adult for an adult's summary and a child for a childhood one, as the
    ranker's audience signals read them; a few name only a brother or sister."""
    from retriever.audience import audience

    qs = read_questions(AUDIENCE, sections)
    assert len(qs) >= 1_000 and not {q.doc_id for q in qs} & EXCLUDED_DOCS
    wanted = ["child" if "-child-" in q.doc_id else "adult" for q in qs]
    agree = sum(audience(q.question) == w for q, w in zip(qs, wanted))
    assert agree >= 0.99 * len(qs)


def test_lay_questions_of_childhood_summaries_are_not_read_as_adults(sections):
    """Written without the audience reader in mind: a parent's pregnancy, a survivor's age,
    MEN syndromes or "young adults" must not make a child's question an adult's."""
    from retriever.audience import audience

    qs = [q for q in read_questions(QUESTIONS, sections) if "-child-" in q.doc_id or "childhood" in q.doc_id]
    adult = [q.question for q in qs if audience(q.question) == "adult"]
    assert len(qs) > 4_000 and len(adult) <= 10, adult


def test_a_good_writer_line_becomes_a_question(sections):
    sec = _a_section(sections)
    quote = " ".join(sec.text.split()[:6])
    q = from_raw_line(f"{sec.key}\tquestion\twhat does this part say for my mum\t{quote}", sections)
    assert q.doc_id == sec.doc_id and q.heading_path == sec.heading_path and q.style == "question"


@pytest.mark.parametrize("field,value,problem", [
    ("key", "no-such-doc/0", "unknown section"),
    ("style", "essay", "style"),
    ("evidence", "words that are surely not in the section at all", "verbatim"),
])
def test_bad_writer_lines_name_the_problem(sections, field, value, problem):
    sec = _a_section(sections)
    parts = {"key": sec.key, "style": "query", "question": "what is this",
             "evidence": " ".join(sec.text.split()[:6])}
    parts[field] = value
    with pytest.raises(ValueError, match=problem):
        from_raw_line("\t".join(parts[k] for k in ("key", "style", "question", "evidence")), sections)


def test_a_question_copying_eight_words_is_refused(sections):
    sec = _a_section(sections)
    copied = " ".join(sec.text.split()[:9])
    assert copied_run(copied, sec.text)
    with pytest.raises(ValueError, match="copies"):
        from_raw_line(f"{sec.key} | question | {copied} | {copied}", sections)


def test_a_malformed_line_is_named_by_file_and_line(tmp_path, sections):
    sec = _a_section(sections)
    good = TrainingQuestion(sec.doc_id, sec.key, sec.heading_path, "is this the part for me",
                            "question", " ".join(sec.text.split()[:5]))
    path = tmp_path / "q.jsonl"
    path.write_bytes((good.to_json() + "\n{not json\n" + good.to_json() + "\n").encode() + b"{\xff}\n{x\n")
    with pytest.raises(QuestionFileError) as err:
        read_questions(path, sections)
    message = str(err.value)
    assert f"{path}:2: not a training question" in message
    assert f"{path}:3: duplicate question" in message
    assert f"{path}:4: not UTF-8 text" in message and f"{path}:5: not a training question" in message


def test_heading_path_must_match_the_section(tmp_path, sections):
    sec = _a_section(sections)
    row = {"doc_id": sec.doc_id, "section": sec.key, "heading_path": ["Somewhere else"],
           "question": "what now", "style": "question", "evidence": " ".join(sec.text.split()[:5])}
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=":1: heading_path"):
        read_questions(path, sections)


def test_training_rows_carry_a_negative_column_when_mined():
    from training.data import Pair, is_validation
    from training.train import TrainConfig, training_rows

    doc = next(f"doc-{i}" for i in range(100) if not is_validation(f"doc-{i}"))
    pairs = [Pair("q1", doc, f"{doc}#1", "passage one", "sentence one"), Pair("q2", doc, f"{doc}#2", "passage two", "")]
    negatives = [(f"{doc}#9", "a confusable passage"), ("", "")]
    columns, docs, keys, negative_keys = training_rows(pairs, TrainConfig(sentence_share=1.0), negatives)
    assert columns["anchor"] == ["q1", "q1"] and columns["negative"] == ["a confusable passage"] * 2
    assert columns["positive"] == ["passage one", "sentence one"] and negative_keys == [f"{doc}#9"] * 2
    plain, _, _, _ = training_rows(pairs, TrainConfig(sentence_share=0.0))
    assert "negative" not in plain and plain["anchor"] == ["q1", "q2"]


def test_a_share_of_training_questions_can_carry_one_slip():
    from training.data import Pair, is_validation
    from training.train import TrainConfig, training_rows

    doc = next(f"doc-{i}" for i in range(100) if not is_validation(f"doc-{i}"))
    question = "what is the treatment for carcinoid tumors"
    pairs = [Pair(question, doc, f"{doc}#{i}", f"passage {i}", "") for i in range(200)]
    clean, _, _, _ = training_rows(pairs, TrainConfig())
    assert clean["anchor"] == [question] * 200
    slipped, _, keys, _ = training_rows(pairs, TrainConfig(typo_share=0.3))
    changed = [a for a in slipped["anchor"] if a != question]
    assert 40 <= len(changed) <= 80 and keys == [p.chunk_id for p in pairs]  # same rows, same order
    for a in changed:  # one word of five letters or more, one edit away
        diff = [(x, y) for x, y in zip(question.split(), a.split()) if x != y]
        assert len(diff) == 1 and len(diff[0][0]) >= 5 and abs(len(diff[0][0]) - len(diff[0][1])) <= 1


def test_a_file_in_another_encoding_is_named_by_file_and_line(tmp_path, sections):
    sec = _a_section(sections)
    good = TrainingQuestion(sec.doc_id, sec.key, sec.heading_path, "is this the part for me",
                            "question", " ".join(sec.text.split()[:5]))
    path = tmp_path / "q.jsonl"
    path.write_bytes((good.to_json() + "\n").encode() + b'{"question": "is this the p\xe0rt for me"}\n')
    with pytest.raises(QuestionFileError, match=rf"{path}:2: not UTF-8 text"):
        read_questions(path, sections)


def test_collect_refuses_a_writers_file_in_another_encoding_and_writes_nothing(tmp_path, capsys):
    from training.__main__ import main

    raw, out = tmp_path / "raw.tsv", tmp_path / "questions.jsonl"
    raw.write_bytes("key\tquestion\tcaf\xe9 question\tquote\n".encode("latin-1"))
    assert main(["collect", str(raw), "--out", str(out)]) == 2
    assert f"{raw}:1: not UTF-8 text" in capsys.readouterr().err
    assert not out.exists()


def test_collect_with_no_usable_line_leaves_the_output_as_it_was(tmp_path, capsys):
    from training.__main__ import main

    raw, out = tmp_path / "raw.tsv", tmp_path / "questions.jsonl"
    raw.write_text("not\ta question\n\n", encoding="utf-8")
    out.write_text("kept\n", encoding="utf-8")
    assert main(["collect", str(raw), "--out", str(out)]) == 2
    assert "no usable question" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "kept\n"


def test_collect_replaces_the_questions_that_are_there_only_with_force(tmp_path, sections, capsys):
    """A bad-input review: two writers' lines replaced the 16,568 committed questions, exit 0."""
    from training.__main__ import main

    sec = _a_section(sections)
    raw, out = tmp_path / "raw.tsv", tmp_path / "questions.jsonl"
    raw.write_text(f"{sec.key}\tquestion\tis this the part for me\t{' '.join(sec.text.split()[:5])}\n",
                   encoding="utf-8")
    out.write_text("kept\n", encoding="utf-8")
    assert main(["collect", str(raw), "--out", str(out)]) == 2
    assert "is there (the committed questions); pass --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "kept\n"
    assert main(["collect", str(raw), "--out", str(out), "--force"]) == 0
    assert "is this the part for me" in out.read_text(encoding="utf-8")


def test_a_command_stopped_by_ctrl_c_says_so_in_one_line(monkeypatch, capsys):
    import training.__main__ as cli

    def interrupted(args):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "_packets", interrupted)
    assert cli.main(["packets", "out"]) == 130
    assert capsys.readouterr().err == "stopped: python -m training packets was interrupted\n"


def test_train_reads_every_question_file_and_names_a_bad_line_in_the_second(tmp_path, sections, capsys):
    """Several --questions files (lay and situation questions) are read one by one, so a bad
    line is named by its own file; nothing is trained or written."""
    from training.__main__ import main

    sec = _a_section(sections)
    good = TrainingQuestion(sec.doc_id, sec.key, sec.heading_path, "is this the part for me",
                            "question", " ".join(sec.text.split()[:5]))
    first, second, out = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "model"
    first.write_text(good.to_json() + "\n", encoding="utf-8")
    second.write_text(good.to_json().replace(sec.key, "no-such-summary/0") + "\n", encoding="utf-8")
    assert main(["train", "--questions", str(first), str(second), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{second}:1:" in err and str(first) not in err
    assert not out.exists()


@pytest.mark.parametrize("name", ["typos.jsonl", "typos_heldout.jsonl", "typos_fresh.jsonl"])
def test_a_typo_set_retypes_validation_questions_and_keeps_their_labels(name):
    """Each line of a typo set is a line of questions.jsonl (validation summaries only) with
    only its question retyped, so both forms are judged by the same section and quote."""
    root = Path(__file__).resolve().parents[2] / "training" / "questions"
    written = {}
    for line in (root / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        q = TrainingQuestion.from_json(line)
        written[(q.section, q.question)] = q
    lines = [json.loads(line) for line in (root / name).read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 300
    for raw in lines:
        original = written[(raw["section"], raw["typed_from"])]
        typed = TrainingQuestion.from_json(json.dumps(raw))
        assert is_validation(typed.doc_id) and typed.question != original.question
        assert replace(typed, question=original.question) == original


def test_the_typo_sets_share_no_question():
    root = Path(__file__).resolve().parents[2] / "training" / "questions"

    def written(name):
        return {json.loads(line)["typed_from"] for line in (root / name).read_text(encoding="utf-8").splitlines()}

    read, held_out, fresh = written("typos.jsonl"), written("typos_heldout.jsonl"), written("typos_fresh.jsonl")
    assert not read & held_out and not read & fresh and not held_out & fresh


def test_the_dose_set_validates_and_asks_only_of_validation_summaries(sections):
    """DOSE_BRIEF.md: eight lines for each of the 25 validation summaries, most typing "dose"
    for "does"; nothing a model or a fit reads may come from it."""
    qs = read_questions(QUESTIONS.with_name("dose_typed.jsonl"), sections)
    docs = {q.doc_id for q in qs}
    assert len(qs) == 200 and len(docs) == 25 and all(map(is_validation, docs))
    assert sum("dose" in q.question.lower().split() for q in qs) > len(qs) / 2


@pytest.mark.parametrize("name", ["survivors_heldout.jsonl", "survivors_fresh.jsonl"])
def test_the_survivors_sets_validate_and_are_read_by_no_fit(sections, name):
    """SURVIVOR_BRIEF.md: a question and a query of the late-effects and rare childhood cancers
    summaries' sections, measured only; no file list a fit reads names them."""
    qs = read_questions(QUESTIONS.with_name(name), sections)
    docs = {q.doc_id for q in qs}
    assert len(qs) >= 200 and docs == {"types-childhood-cancers-late-effects-pdq",
                                       "types-childhood-cancers-patient-rare-childhood-cancers-pdq"}
    assert {q.style for q in qs} == {"question", "query"}
    import training.cli as cli

    read = [v for v in vars(cli).values() if isinstance(v, Path)]
    read += [p for v in vars(cli).values() if isinstance(v, list | tuple) for p in v if isinstance(p, Path)]
    assert QUESTIONS.name in {p.name for p in read} and name not in {p.name for p in read}  # what fits are given


def test_rawcheck_exits_1_on_a_bad_line_and_names_an_unreadable_file_in_one_line(tmp_path, sections, capsys):
    """A bad-input review: it exited 0 on bad lines and gave tracebacks for bytes that are not UTF-8 or no file."""
    from training.rawcheck import main

    sec = _a_section(sections)
    raw = tmp_path / "raw.tsv"
    good = f"{sec.key}\tquestion\tis this the part for me\t{' '.join(sec.text.split()[:5])}\n"
    raw.write_text(good, encoding="utf-8")
    assert main([str(raw)]) == 0
    raw.write_text(good + "only\tthree\tfields\n", encoding="utf-8")
    assert main([str(raw)]) == 1 and f"{raw}:2: expected 4 tab-separated fields" in capsys.readouterr().out
    raw.write_bytes(good.encode() + b"caf\xe9\n")
    assert main([str(raw)]) == 2 and f"{raw}:2: not UTF-8 text" in capsys.readouterr().err
    assert main([str(tmp_path / "none.tsv")]) == 2 and capsys.readouterr().err.startswith("error: ")
