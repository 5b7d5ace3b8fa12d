import json
from pathlib import Path

import pytest

from eval.questionset import QuestionSetError, is_relevant, load_questions, norm, passage_in_answer
from tests.conftest import ROOT, SEED_DOC, headings_and_text, section_texts

SETS = ROOT / "eval" / "questions"


ALL_KINDS = {"patient", "typo", "staff", "out_of_scope"}


@pytest.mark.parametrize("name, size, out_of_scope, kinds", [
    ("seed_questions.jsonl", 100, 20, ALL_KINDS),
    ("heldout_questions.jsonl", 60, 20, ALL_KINDS),
    ("short_questions.jsonl", 50, 15, {"patient", "staff", "out_of_scope"}),
    ("fresh_questions.jsonl", 90, 20, ALL_KINDS),
    ("fresh2_questions.jsonl", 80, 19, ALL_KINDS),
    ("fresh3_questions.jsonl", 80, 18, ALL_KINDS),
    ("fresh4_questions.jsonl", 70, 15, ALL_KINDS),
    ("fresh5_questions.jsonl", 65, 13, ALL_KINDS),
    ("fresh6_questions.jsonl", 65, 20, ALL_KINDS),
    ("fresh7_questions.jsonl", 75, 20, ALL_KINDS),
    ("fresh8_questions.jsonl", 75, 20, ALL_KINDS),
    ("fresh9_questions.jsonl", 69, 18, {"patient", "typo", "out_of_scope"}),  # its staff items repeated
    ("fresh10_questions.jsonl", 78, 21, ALL_KINDS),
    ("fresh11_questions.jsonl", 65, 13, ALL_KINDS),
    ("fresh12_questions.jsonl", 68, 13, ALL_KINDS),
    ("fresh13_questions.jsonl", 73, 17, ALL_KINDS),
    ("fresh14_questions.jsonl", 76, 19, ALL_KINDS),
    ("fresh15_questions.jsonl", 69, 13, ALL_KINDS),
    ("fresh16_questions.jsonl", 82, 20, ALL_KINDS),  # FRESH16_BRIEF.md: English as a second language
    ("passing_questions.jsonl", 73, 25, {"patient", "typo", "out_of_scope"}),  # PASSING_BRIEF.md
    ("passing2_questions.jsonl", 71, 25, {"patient", "typo", "out_of_scope"}),
    ("everyday_questions.jsonl", 120, 120, {"out_of_scope"}),
    ("everyday2_questions.jsonl", 100, 100, {"out_of_scope"}),
    ("everyday3_questions.jsonl", 75, 40, {"patient", "typo", "out_of_scope"}),  # EVERYDAY3_BRIEF.md
    ("boxes_questions.jsonl", 135, 21, {"patient", "typo", "out_of_scope"}),  # BOXES_BRIEF.md
    ("smalltalk_questions.jsonl", 91, 50, {"patient", "typo", "out_of_scope"}),  # SMALLTALK_BRIEF.md
])
def test_project_sets_are_valid_against_the_seed(name, size, out_of_scope, kinds):
    qset = load_questions(SETS / name)
    headings, text = headings_and_text(SEED_DOC)
    found = [q.kind for q in qset.questions]
    assert len(found) >= size and found.count("out_of_scope") >= out_of_scope
    assert set(found) == kinds
    for q in qset.questions:
        assert bool(q.evidence) == (q.kind != "out_of_scope"), f"{q.id}: evidence is for in-scope items, 1-2 quotes"
        for s in q.sections:
            assert s in headings, f"{q.id}: {s!r} is not a markdown heading of the seed"
        for e in q.evidence:
            assert norm(e) in text, f"{q.id}: evidence not in the seed: {e!r}"
            assert 5 <= len(e.split()) <= 25, q.id


@pytest.mark.parametrize("name", sorted(p.name for p in SETS.glob("*_questions.jsonl")))
def test_every_quote_stands_under_its_own_sections_only(name):
    """A quote also found under another section would make that section's passages relevant
    too (`is_relevant` reads quotes as well as sections)."""
    texts = section_texts(SEED_DOC)
    for q in load_questions(SETS / name).questions:
        for e in map(norm, q.evidence):
            assert any(e in texts.get(s, "") for s in q.sections), f"{q.id}: {e!r} is under none of its sections"
            others = [s for s, text in texts.items() if s not in q.sections and e in text]
            assert not others, f"{q.id}: {e!r} also stands under {others}"


@pytest.mark.parametrize("line, message", [
    ("{not json", r"\.jsonl:1: not valid JSON"),
    ('{"id": "a", "kind": "patient", "sections": ["S"], "evidence": []}', "missing field 'question'"),
    ('{"id": "a", "question": "q", "kind": "patient", "sections": "S", "evidence": []}',
     r"'sections' must be a list \(a JSON array"),
    ('{"id": "a", "question": "q", "kind": "out_of_scope", "sections": ["S"], "evidence": []}', "has sections"),
    ('{"id": "a", "question": "q", "kind": "patient", "sections": [], "evidence": []}', "neither sections"),
    ('{"question": "q", "kind": "patient", "sections": ["S"], "evidence": []}', ":1: missing field 'id'"),
    ('{"id": " ", "question": "q", "kind": "patient", "sections": ["S"], "evidence": []}', "field 'id' is empty"),
    ('{"id": 7, "question": "q", "kind": "patient", "sections": ["S"], "evidence": []}',
     r"field 'id' must be text \(a JSON string"),
    ('{"id": "a", "question": "q", "kind": "doctor", "sections": ["S"], "evidence": []}',
     "field 'kind' must be one of patient, typo, staff, out_of_scope, not 'doctor'"),
    ('{"id": "a", "question": "q", "kind": "out-of-scope", "sections": [], "evidence": []}',
     "must be one of .*, not 'out-of-scope'"),
    ('{"id": "a", "question": "q", "kind": "patient", "sections": ["S"], "evidence": [], "doc": 3}',
     "field 'doc' of item a must name the document its sections are in"),
    ('{"id": "a", "question": "q", "kind": "out_of_scope", "sections": [], "evidence": [], "doc": "d"}',
     "and only for an in-scope item"),
    ('{"id": "a", "question": "q\x00", "kind": "patient", "sections": ["S"], "evidence": []}',
     r"not valid JSON at column 27 \(Invalid control character\)"),
    # a misspelt field was skipped unread: the item was scored on its sections alone
    ('{"id": "a", "question": "q", "kind": "patient", "sections": ["S"], "evidnce": ["five words of a quote"]}',
     r"set.jsonl:1: unknown field 'evidnce'; did you mean 'evidence'\?"),
    ('{"id": "a", "question": "q", "kind": "patient", "Sections": ["S"], "evidence": []}',
     "unknown field 'Sections'; did you mean 'sections'"),
    ('{"id": "a", "question": "q", "kind": "patient", "sections": ["S"], "evidence": [], "docs": "x.md"}',
     "unknown field 'docs'; did you mean 'doc'"),
    ('{"id": "a", "question": "q", "kind": "patient", "sections": ["S"], "evidence": [], "Doc": "x.md"}',
     "unknown field 'Doc'; did you mean 'doc'"),
    ('{"id": "a", "question": "q", "kind": "patient", "sections": ["S"], "evidence": [], "doc_id": "x.md"}',
     "unknown field 'doc_id'; the document an answer is in is named by 'doc'"),
    # a file of another format is told what it lacks first
    ('{"doc_id": "x", "question": "q", "heading_path": ["S"]}', ":1: missing field 'id'"),
])
def test_malformed_sets_name_line_and_field(tmp_path: Path, line, message):
    path = tmp_path / "set.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(QuestionSetError, match=message):
        load_questions(path)


def test_a_writer_s_own_fields_are_kept_out_of_the_way(tmp_path):
    """Fields unlike the format's own (a note, a source) are the writer's, and read by nobody."""
    item = {"id": "a", "question": "q", "kind": "patient", "sections": ["S"], "evidence": [],
            "notes": "from the clinic's leaflet", "source": "x", "uid": "d", "doc_title": "t", "question_es": "q",
            "evidence_note": "n"}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(item) + "\n")
    assert [q.id for q in load_questions(path).questions] == ["a"]


def test_every_bad_line_is_named_in_one_run(tmp_path):
    good = {"id": "ok", "question": "q", "kind": "out_of_scope", "sections": [], "evidence": []}
    lines = [json.dumps(good), '{"id": "b", "question": "q",', json.dumps({**good, "id": "c", "kind": "x"}),
             json.dumps({**good, "id": "d"}), json.dumps({**good, "id": "e", "question": 3})]
    path = tmp_path / "set.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "f\xff"}\n')  # and one not UTF-8
    with pytest.raises(QuestionSetError) as err:
        load_questions(path)
    message = str(err.value)
    assert message.startswith(f"{path}: 4 lines are not questions:")
    assert [line.split(": ")[0] for line in message.splitlines()[1:]] == [f"{path}:{n}" for n in (2, 3, 5, 6)]
    assert message.endswith("6: not UTF-8 text (bad byte at column 10); save the file as UTF-8")


def test_past_twenty_bad_lines_the_rest_are_counted(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text("not json\n" * 25)
    with pytest.raises(QuestionSetError, match=r"25 lines are not questions:(\n.*:\d+: .*){20}\n\.\.\. and 5 more$"):
        load_questions(path)


def test_duplicate_ids_are_refused(tmp_path):
    item = {"id": "a", "question": "q", "kind": "out_of_scope", "sections": [], "evidence": []}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps(item) + "\n" + json.dumps(item) + "\n")
    with pytest.raises(QuestionSetError, match=r"2: duplicate id 'a' \(first on line 1\)"):
        load_questions(path)


def test_medquad_style_set_and_relevance(tmp_path):
    rows = [{"id": "m1", "question": "What is X?", "answer": "X is a rare tumor that grows slowly in the gut.",
             "pdq_corpus_file": "x-treatment-pdq.md"},
            {"id": "m2", "question": "Other?", "answer": "n/a", "pdq_corpus_file": None}]
    path = tmp_path / "mq.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    qset = load_questions(path)
    assert qset.style == "medquad" and qset.skipped == 1
    q = qset.questions[0]
    assert is_relevant(q, "S", "unrelated words entirely here", "x-treatment-pdq.md", level="document")
    assert not is_relevant(q, "S", "unrelated words entirely here", "x-treatment-pdq.md", level="passage")
    assert is_relevant(q, "S", "X is a rare tumor that grows slowly.", "x-treatment-pdq.md", level="passage")
    assert not is_relevant(q, "S", "X is a rare tumor that grows slowly.", "other.md", level="passage")


def test_medquad_questions_are_grouped_by_how_many_summaries_their_focus_is_asked_of(tmp_path):
    """MedQuAD asks "Who is at risk for Prostate Cancer?" of the prevention and the screening
    summary alike; such questions are reported apart from those only one summary is about."""
    from eval.runner import FOCUS_ONE, FOCUS_SEVERAL, focus_groups
    rows = [{"id": "p1", "question": "Who is at risk?", "answer": "a", "focus": "Prostate Cancer",
             "pdq_corpus_file": "prostate-prevention-pdq.md"},
            {"id": "p2", "question": "Who is at risk?", "answer": "a", "focus": "prostate cancer ",
             "pdq_corpus_file": "prostate-screening-pdq.md"},
            {"id": "w1", "question": "What is it?", "answer": "a", "focus": "Wilms Tumor",
             "pdq_corpus_file": "wilms-pdq.md"},
            {"id": "w2", "question": "How to treat it?", "answer": "a", "focus": "Wilms Tumor",
             "pdq_corpus_file": "wilms-pdq.md"},
            {"id": "n1", "question": "No focus?", "answer": "a", "pdq_corpus_file": "x-pdq.md"}]
    path = tmp_path / "mq.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    groups = focus_groups(load_questions(path).questions)
    assert {name: [q.id for q in qs] for name, qs in groups.items()} == {
        FOCUS_SEVERAL: ["p1", "p2"], FOCUS_ONE: ["w1", "w2"]}


def test_document_ceiling_counts_one_gold_per_wording(tmp_path):
    """The same wording with two golds: only one of them can be first, whatever the ranking."""
    from eval.runner import document_ceiling
    rows = [{"question": "Who is at risk for Skin Cancer?", "answer": "a", "pdq_corpus_file": "skin-prevention.md"},
            {"question": "who is at risk for  skin cancer?", "answer": "a", "pdq_corpus_file": "skin-screening.md"},
            {"question": "Who is at risk for Skin Cancer?", "answer": "a", "pdq_corpus_file": "skin-screening.md"},
            {"question": "What is Wilms tumor?", "answer": "a", "pdq_corpus_file": "wilms.md"},
            {"question": "What is Wilms tumor?", "answer": "a", "pdq_corpus_file": "wilms.md"}]
    path = tmp_path / "mq.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    assert document_ceiling(load_questions(path).questions) == (4, 5)


def test_section_or_evidence_relevance_folds_case_space_and_quotes():
    q = load_questions(SETS / "seed_questions.jsonl").questions[0]
    assert is_relevant(q, q.sections[0], "", "")
    assert is_relevant(q, "Other", "prefix " + q.evidence[0].upper().replace(" ", "  \n") + " suffix", "")
    assert not is_relevant(q, "Other", "nothing", "")
    assert passage_in_answer("it\u2019s a b c d", "It's a b c d e")


def test_an_item_s_doc_keeps_its_sections_and_quotes_to_that_document():
    """On an index of several summaries, "Surgery" is a heading of many: ``doc`` (the id or
    the file name) says whose."""
    from eval.questionset import Question
    quote = "the tumor is removed in an operation"
    q = Question("a", "what surgery", "patient", sections=("Surgery",), evidence=(quote,), doc="anal-treatment")
    assert is_relevant(q, "Surgery", "", "anal-treatment.md") and is_relevant(q, "Other", quote, "anal-treatment.md")
    assert not is_relevant(q, "Surgery", quote, "gi-treatment.md")
    assert is_relevant(Question("b", "q", "patient", sections=("Surgery",), doc="sub/a.md"), "Surgery", "", "sub/a.md")
    assert is_relevant(Question("c", "q", "patient", sections=("Surgery",)), "Surgery", "", "gi-treatment.md")


EARLIER_SETS = ("seed_questions.jsonl", "heldout_questions.jsonl", "short_questions.jsonl",
                "fresh_questions.jsonl", "fresh2_questions.jsonl", "fresh3_questions.jsonl",
                "fresh4_questions.jsonl", "fresh5_questions.jsonl", "fresh6_questions.jsonl",
                "fresh7_questions.jsonl", "fresh8_questions.jsonl", "fresh9_questions.jsonl",
                "fresh10_questions.jsonl", "fresh11_questions.jsonl", "fresh12_questions.jsonl",
                "fresh13_questions.jsonl", "fresh14_questions.jsonl", "fresh15_questions.jsonl",
                "fresh16_questions.jsonl")


@pytest.mark.parametrize("name", ["fresh2_questions.jsonl", "fresh3_questions.jsonl", "fresh4_questions.jsonl",
                                  "fresh5_questions.jsonl", "fresh6_questions.jsonl", "fresh7_questions.jsonl",
                                  "fresh8_questions.jsonl", "fresh9_questions.jsonl",
                                  "fresh10_questions.jsonl", "fresh11_questions.jsonl",
                                  "fresh12_questions.jsonl", "fresh13_questions.jsonl",
                                  "fresh14_questions.jsonl", "fresh15_questions.jsonl", "fresh16_questions.jsonl"])
def test_a_later_fresh_set_repeats_no_question_of_the_earlier_sets(name):
    def norm_q(text):
        return "".join(ch for ch in text.lower() if ch.isalnum() or ch == " ").strip()

    earlier = EARLIER_SETS[:EARLIER_SETS.index(name)]
    others = {norm_q(q.question) for e in earlier for q in load_questions(SETS / e).questions}
    repeated = [q.id for q in load_questions(SETS / name).questions if norm_q(q.question) in others]
    assert repeated == []


def test_a_set_saved_in_another_encoding_names_its_line(tmp_path):
    path = tmp_path / "set.jsonl"
    good = {"id": "a", "question": "q", "kind": "out_of_scope", "sections": [], "evidence": []}
    path.write_bytes((json.dumps(good) + "\n").encode() + '{"id": "b", "question": "café"}\n'.encode("latin-1"))
    with pytest.raises(QuestionSetError, match=r"set\.jsonl:2: not UTF-8 text"):
        load_questions(path)


def test_a_line_nested_too_deeply_is_named(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text("[" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"set\.jsonl:1: JSON nested too deeply"):
        load_questions(path)


def test_a_medquad_item_naming_no_file_is_refused(tmp_path):
    path = tmp_path / "set.jsonl"
    item = {"question": "What is (are) Skin Cancer ?", "answer": "Skin cancer is ...", "pdq_corpus_file": 7}
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"set\.jsonl:1: field 'pdq_corpus_file' must be a file name"):
        load_questions(path)


def test_an_escape_of_half_a_character_is_named(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "a", "question": "pain \\ud800 relief", "kind": "patient", "sections": ["S"]}\n',
                    encoding="utf-8")
    with pytest.raises(QuestionSetError, match=r"set\.jsonl:1: holds an escape of half a character"):
        load_questions(path)


def test_a_folder_given_as_the_question_set_is_named_as_one(tmp_path):
    with pytest.raises(QuestionSetError, match="a folder; give one question file"):
        load_questions(tmp_path)


def test_an_evidence_quote_under_five_words_is_refused(tmp_path):
    """"sun" alone is in passages that do not answer: it would count them as right."""
    path = tmp_path / "short.jsonl"
    path.write_text(json.dumps({"id": "s1", "question": "does sun cause it", "kind": "patient",
                                "sections": [], "evidence": ["sun"]}) + "\n")
    with pytest.raises(QuestionSetError, match=r"short.jsonl:1: evidence quote 'sun' of item s1 is under 5 words"):
        load_questions(path)
