import pytest

from ingest.chunking import chunk_document, dedupe_blocks, mark_shared, split_section
from ingest.loading import parse_document
from ingest.parsing import Section, parse_sections
from retriever.text import embedding_text
from tests.conftest import SEED_DOC


def words(text: str) -> int:
    return len(text.split())


@pytest.fixture(scope="module")
def seed_doc():
    return parse_document(SEED_DOC.read_bytes(), SEED_DOC.name)


def test_every_chunk_fits_the_bound_with_its_prefix(seed_doc):
    chunks = chunk_document(seed_doc, words, 60)
    assert all(words(embedding_text(c.heading_path, c.text, c.title)) <= 60 for c in chunks)
    assert len(chunks) > 60  # many sections had to split at this small bound


def test_split_parts_keep_their_heading_path():
    sec = Section(["Doc", "Big"], "Big", ["para one is here.", "- a\n- b\n- c\n- d", "para three."])
    parts = split_section(sec, words, 6)
    assert len(parts) > 1
    assert "\n\n".join(parts).replace("\n\n", "\n").count("- ") == 4
    for p in parts:
        assert words(embedding_text(sec.heading_path, p)) <= 6 or len(p.split()) == 1


def test_oversized_paragraph_splits_at_sentences_then_words():
    sec = Section(["H"], "H", ["One two three. Four five six. Seven " + "x " * 30])
    parts = split_section(sec, words, 8)
    assert parts[0] == "One two three. Four five six."
    assert " ".join(parts).split() == sec.blocks[0].split()


def test_clinical_trial_paragraph_indexed_once(seed_doc):
    chunks = chunk_document(seed_doc, words, 250)
    assert sum("clinical trial search to find NCI-supported" in c.text for c in chunks) == 1
    assert seed_doc.body.count("to find NCI-supported cancer clinical trials") == 7


def test_dedupe_keeps_first_long_block_and_short_repeats():
    long = "A long paragraph " * 10
    secs = dedupe_blocks([Section(["a"], "a", [long, "Surgery."]), Section(["b"], "b", [long, "Surgery."])])
    assert secs[0].blocks == [long, "Surgery."]
    assert secs[1].blocks == ["Surgery."]


def test_a_repeated_list_stays_under_the_lead_in_that_introduces_it():
    """Stage II's treatments are stage I's list word for word; dropping it would leave
    "Treatment of stage II ... may include:" with nothing after it."""
    treatments = "- Surgery to remove the adrenal gland and nearby lymph nodes.\n- A clinical trial of a new treatment."
    trials = "Use our clinical trial search to find NCI-supported cancer clinical trials that are accepting patients."
    secs = dedupe_blocks([
        Section(["I"], "I", ["Treatment of stage I may include:", trials, treatments]),
        Section(["II"], "II", ["Treatment of stage II may include:", trials, treatments]),
    ])
    assert secs[1].blocks == ["Treatment of stage II may include:", treatments]  # the paragraph still goes
    lead_in = "In stage III, the tumor has spread into tissues in the abdomen. Stage III is divided into:"
    twice = dedupe_blocks([Section(["A"], "A", [lead_in, treatments]), Section(["B"], "B", [lead_in, treatments])])
    assert [s.blocks for s in twice] == [[lead_in, treatments]]  # repeated with its lead-in: indexed once
    doc = parse_document((
        "---\ntitle: T\n---\n# T\n\n## I\n\nTreatment of stage I may include:\n\n" + treatments + "\n\n"
        "## II\n\nTreatment of stage II may include:\n\n" + treatments + "\n").encode(), "d.md")
    assert not any(c.text.rstrip().endswith(":") for c in chunk_document(doc, words, 250))


def test_key_points_are_flagged_as_outline(seed_doc):
    chunks = chunk_document(seed_doc, words, 250)
    outline = [c for c in chunks if c.outline]
    assert outline and all(c.section == "Key Points" for c in outline)


def test_chunk_fields(seed_doc):
    c = chunk_document(seed_doc, words, 250)[0]
    assert c.id == f"{seed_doc.doc_id}#0000"
    assert c.title == "Gastrointestinal Neuroendocrine Tumors Treatment - NCI"
    assert c.url.startswith("https://www.cancer.gov/")
    assert "gi neuroendocrine tumors" in c.cancer_types


def test_mark_shared_flags_text_in_several_documents(seed_doc):
    a = chunk_document(seed_doc, words, 250)
    other = parse_document(SEED_DOC.read_bytes(), "copy.md")
    b = chunk_document(other, words, 250)
    marked = mark_shared(a + b)
    assert all(c.shared for c in marked)
    assert not any(c.shared for c in mark_shared(a))


def test_embedding_text_drops_the_shared_top_heading():
    assert embedding_text(["Doc", "Sec", "Sub"], "body") == "Sec > Sub\nbody"
    assert embedding_text(["Doc"], "body") == "Doc\nbody"
    assert embedding_text([], "body", title="T") == "T\nbody"


def test_embedding_text_leads_with_the_summary_title_without_its_publisher():
    title = "Melanoma Treatment - NCI"
    assert embedding_text(["Melanoma Treatment (PDQ®)", "Stages", "Stage II"], "body", title) == \
        "Melanoma Treatment > Stages > Stage II\nbody"
    assert embedding_text(["Melanoma Treatment (PDQ®)"], "body", title) == "Melanoma Treatment\nbody"


def test_parse_sections_of_seed_has_no_empty_blocks():
    secs = parse_sections(parse_document(SEED_DOC.read_bytes(), "x.md").body)
    assert all(b.strip() for s in secs for b in s.blocks)


def test_a_lead_in_stays_with_its_list_when_the_list_must_move():
    sec = Section(["Doc", "S"], "S", ["one two three four five six seven.",
                                      "Signs may include:", "- pain\n- cramps\n- diarrhea"])
    parts = split_section(sec, words, 12)
    assert not any(p.rstrip().endswith(":") for p in parts)
    assert any(p.startswith("Signs may include:\n\n- pain") for p in parts)


def test_a_lead_in_glued_to_an_oversized_list_keeps_its_first_item():
    sec = Section(["Doc", "S"], "S", ["Signs may include:", "- " + "\n- ".join(f"item {i} here" for i in range(8))])
    parts = split_section(sec, words, 10)
    assert len(parts) > 1 and not any(p.rstrip().endswith(":") for p in parts)
    assert parts[0].startswith("Signs may include:\n\n- item 0 here")
    assert "".join(parts).count("item") == 8  # nothing lost


def test_a_seed_passage_ends_on_a_lead_in_only_where_sub_sections_continue_it(seed_doc):
    # At the served bound. "Check with your doctor if you have:" introduces the sub-sections
    # Duodenum, Jejunum and ileum, ...: the next passages' breadcrumbs say where it continues.
    # (Far smaller bounds can still cut a long lead-in paragraph from its list.)
    chunks = chunk_document(seed_doc, words, 256)
    for c, nxt in zip(chunks, chunks[1:] + [None]):
        if c.text.rstrip().endswith(":"):
            assert nxt is not None and nxt.heading_path[:len(c.heading_path)] == c.heading_path, c.text
            assert len(nxt.heading_path) > len(c.heading_path)
