"""`eval.indexcheck`: a set checked against the index before it is scored."""

import json

import pytest

from eval.__main__ import main as eval_main
from eval.indexcheck import nearest
from eval.questionset import doc_matches
from tests.conftest import SEEDS

SEED_FILE = next(SEEDS.glob("*.md"))
# In the seed under two sections: "There are different types of treatment ..." and "Clinical Trial Information".
TWICE = "Some clinical trials are open only to patients who have not started treatment."
ITEM = {"id": "x", "question": "can I join a trial after starting treatment", "kind": "patient"}


def run(tmp_path, seed_index, capsys, **fields) -> tuple[int, str, str]:
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({**ITEM, "sections": [], "evidence": [], **fields}) + "\n", encoding="utf-8")
    code = eval_main([str(path), "--index", str(seed_index)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.model
def test_a_quote_under_none_of_its_item_s_sections_is_refused_naming_where_it_stands(seed_index, tmp_path, capsys):
    """Labelled "Chemotherapy", a quote of another section scored Hit@1 1.0: the quote alone
    made that section's passage the answer."""
    code, _, err = run(tmp_path, seed_index, capsys, sections=["Chemotherapy"], evidence=[TWICE])
    assert code == 2 and err.count("\n") == 1
    assert f"set.jsonl:1: evidence quote {TWICE!r} of item x stands under 'Clinical Trial Information', " \
           "'There are different types of treatment" in err and "not under its sections ('Chemotherapy')" in err


@pytest.mark.model
def test_a_quote_also_under_another_section_is_scored_under_a_note(seed_index, tmp_path, capsys):
    code, out, _ = run(tmp_path, seed_index, capsys, sections=["Clinical Trial Information"], evidence=[TWICE])
    assert code == 0
    assert "note: 1 evidence quote(s) of" in out and "under 'There are different types of treatment" in out


@pytest.mark.model
def test_an_unknown_section_suggests_the_nearest_headings(seed_index, tmp_path, capsys):
    code, _, err = run(tmp_path, seed_index, capsys, sections=["## chemotherapy."])
    assert code == 2 and "unknown section '## chemotherapy.' in item x" in err and "did you mean 'Chemotherapy'?" in err
    _, _, err = run(tmp_path, seed_index, capsys, sections=["Chemotheraphy"])
    assert "did you mean 'Chemotherapy'" in err


@pytest.mark.model
def test_doc_may_be_a_path_ending_in_the_document_s_own(seed_index, tmp_path, capsys):
    """Only the bare file name worked; the format says "its path"."""
    for doc in (f"seeds/{SEED_FILE.name}", str(SEED_FILE.resolve()), SEED_FILE.stem):
        code, _, err = run(tmp_path, seed_index, capsys, sections=["Clinical Trial Information"], doc=doc)
        assert code == 0, err
    code, _, err = run(tmp_path, seed_index, capsys, sections=["Surgery"], doc="gi-neuroendocrine.md")
    assert code == 2 and f"its documents: {SEED_FILE.stem})" in err


def test_nearest_reads_headings_as_typed():
    headings = ["Chemotherapy", "Radiation therapy", "Targeted therapy", "Key Points"]
    assert nearest("# chemotherapy.", headings) == ["Chemotherapy"]
    assert nearest("Radiation therapies", headings)[0] == "Radiation therapy"
    assert nearest("zzzz", headings) == []


def test_doc_matches_by_id_file_name_or_path_ending():
    assert doc_matches("a", "a.md") and doc_matches("a.md", "a.md") and doc_matches("/home/me/seeds/a.md", "a.md")
    assert doc_matches("corpus/sub/a.md", "sub/a.md") and doc_matches("sub--a", "sub/a.md")
    assert not doc_matches("other/a.md", "sub/a.md") and not doc_matches("ba.md", "a.md")


@pytest.mark.model
def test_a_heading_with_no_text_of_its_own_names_the_headings_under_it(seed_index, tmp_path, capsys):
    """It is a heading, so "not a heading" misled an evaluator: its passages stand under its sub-headings."""
    code, _, err = run(tmp_path, seed_index, capsys, sections=["Treatment Option Overview"])
    assert code == 2 and "section 'Treatment Option Overview' in item x is a heading with no text of its own" in err
    assert "name the section(s) under it that answer the item: 'Key Points'" in err and "unknown section" not in err


@pytest.mark.model
def test_a_heading_the_document_repeats_is_scored_under_a_note(seed_index, tmp_path, capsys):
    """"Key Points" heads each part of the summary: any of its passages counted, unremarked."""
    code, out, _ = run(tmp_path, seed_index, capsys, sections=["Key Points"])
    assert code == 0
    assert "note: 1 item(s) of" in out and "name a heading that a document repeats under other headings" in out
    assert "(as 'Key Points', item x)" in out
    assert 'judge such an item by an evidence quote alone ("sections": [])' in out
    _, out, _ = run(tmp_path, seed_index, capsys, sections=["Chemotherapy"])
    assert "repeats" not in out


@pytest.mark.model
def test_a_section_with_bold_labels_under_it_is_not_a_repeated_heading(seed_index, tmp_path, capsys):
    """An evaluator's trial: the seed's passages under "Duodenum", "Colon" … (bold labels
    within one section) were read as the section standing under other headings, and the run
    advised dropping a correct item's sections."""
    section = "Some GI neuroendocrine tumors have no signs or symptoms in the early stages."
    code, out, _ = run(tmp_path, seed_index, capsys, sections=[section])
    assert code == 0 and "repeats" not in out
