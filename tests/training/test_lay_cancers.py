"""The everyday cancer names' mining (`training/lay_cancers.py`)."""

from __future__ import annotations

from retriever.cancer_names import LAY_CANCERS
from training import lay_cancers
from training.cli import CORPUS, TRANSLATION_QUESTIONS
from training.lay_cancers import Asked, lay_cancer_names, read_asked, render_lay_cancers
from training.words import pdq_cancer_names, read_corpus

ORAL = "Lip and Oral Cavity Cancer Treatment"


def _asked(question: str, title: str, n: int, cancer_type: bool = True) -> list[Asked]:
    return [Asked(question, title, cancer_type)] * n


def test_the_shipped_names_are_the_training_questions_own():
    read = read_corpus(CORPUS)
    asked = read_asked(TRANSLATION_QUESTIONS, read)
    assert LAY_CANCERS.read_text(encoding="utf-8") == render_lay_cancers(asked, frozenset(pdq_cancer_names(read))), \
        "retriever/pdq_lay_cancers.txt is stale: run python -m training words --force"


def test_a_word_asked_before_cancer_of_summaries_sharing_a_title_word_names_their_cancer():
    asked = (_asked("how is mouth cancer treated", ORAL, 14) + _asked("mouth cancer?", "Oral Cancer Prevention", 2)
             + _asked("is the cancer back", "Colon Cancer Treatment", 8) + _asked("is the cancer back", ORAL, 8))
    # "the cancer", asked of two cancers' summaries, would need two title words and 30 questions
    assert lay_cancer_names(asked) == {"mouth": (("oral",), ("cavity", "lip"))}  # the rest: its summaries' other words


def test_a_name_is_asked_often_enough_for_each_title_word_it_needs():
    spread = _asked("early cancer signs", "Anal Cancer Treatment", 8) + _asked("early cancer signs", "Vulvar Cancer", 8)
    assert lay_cancer_names(spread) == {}  # two steps of title words need 30 questions
    assert lay_cancer_names(spread * 2) == {"early": (("anal", "vulvar"), ())}
    assert lay_cancer_names(_asked("mouth cancer", ORAL, lay_cancers.MIN_ASKED - 1)) == {}


def test_title_words_the_questions_cannot_tell_apart_are_all_kept():
    asked = _asked("asbestos cancer risk", "Malignant Mesothelioma Treatment", 20)
    assert lay_cancer_names(asked) == {"asbestos": (("malignant", "mesothelioma"), ())}


def test_a_name_s_other_cancer_type_summaries_are_about_it_too():
    """They are no part of the decision, but a search filtered to the laryngeal summary must not
    refuse "throat cancer" for want of its title word; a coping summary is about every cancer."""
    asked = (_asked("throat cancer signs", "Oropharyngeal Cancer Treatment", 30)
             + _asked("throat cancer signs", "Laryngeal Cancer Treatment", 1)
             + _asked("throat cancer signs", "Acupuncture", 1, cancer_type=False))
    assert lay_cancer_names(asked) == {"throat": (("oropharyngeal",), ("laryngeal",))}


def test_nine_in_ten_is_a_share_in_whole_numbers():
    """18 of 20 is nine in ten; in floating point, 2 left of 20 was more than a tenth of 20."""
    asked = _asked("mouth cancer", ORAL, 18) + _asked("mouth cancer", "Colon Cancer Treatment", 2)
    assert lay_cancer_names(asked) == {"mouth": (("cavity", "lip", "oral"), ("colon",))}
    colon = _asked("mouth cancer", "Colon Cancer Treatment", 3)
    assert lay_cancer_names(asked[:17] + colon) == {}  # 17 of 20: a second step, which needs 30 questions


def test_title_words_of_many_titles_or_common_in_english_are_no_name_s():
    many = [_asked("sarcoma cancer", f"Sarcoma Type {i}", 2)[0] for i in range(lay_cancers.MOST_TITLES + 1)]
    assert lay_cancer_names(many * 2) == {}  # "sarcoma" in eleven titles, "type" generic, the digits no words
    assert lay_cancer_names(_asked("primary cancer", "Carcinoma of Unknown Primary", 20)) == {
        "primary": (("carcinoma",), ())}  # "primary" (Zipf 4.9) and "unknown" are none of its words
    spread = [Asked("lump cancer", f"{w} Cancer", True) for w in ("Anal", "Penile", "Vulvar", "Urethral", "Biliary")]
    assert lay_cancer_names(spread * 20) == {}  # five title words needed, four at most


def test_a_bad_line_of_a_lay_file_is_named_and_the_lists_kept(tmp_path, capsys):
    import json

    from training.__main__ import main

    good = {"doc_id": "t", "section": "t#1", "heading_path": ["Title", "Section"], "question": "mouth cancer",
            "style": "question", "evidence": "it does not hurt"}
    path = tmp_path / "lay.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "style": None}) + "\n", encoding="utf-8")
    kept = tmp_path / "lay_cancers.txt"
    kept.write_text("kept\n", encoding="utf-8")
    flags = ("out", "subjects-out", "boilerplate-out", "cross-references-out", "acronyms-out", "cancer-words-out",
             "cancer-names-out", "verbs-out", "plurals-out", "drug-names-out")
    argv = ["words", "--force", "--lay", str(path), "--lay-cancers-out", str(kept)]
    argv += [a for i, flag in enumerate(flags) for a in (f"--{flag}", str(tmp_path / f"list{i}.txt"))]
    assert main(argv) == 2
    assert f"{path}:2: not a training question (field 'style'" in capsys.readouterr().err
    assert kept.read_text(encoding="utf-8") == "kept\n" and not (tmp_path / "list0.txt").exists()


def test_lay_files_that_teach_no_name_are_refused_and_the_lists_kept(tmp_path, capsys):
    import json

    from training.__main__ import main

    line = {"doc_id": "elsewhere", "section": "elsewhere#1", "heading_path": ["Title", "Section"],
            "question": "mouth cancer", "style": "question", "evidence": "it does not hurt"}
    path = tmp_path / "lay.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")  # about no summary of the corpus
    flags = ("out", "subjects-out", "boilerplate-out", "cross-references-out", "acronyms-out", "cancer-words-out",
             "cancer-names-out", "verbs-out", "plurals-out", "drug-names-out", "lay-cancers-out")
    argv = ["words", "--force", "--lay", str(path)]
    argv += [a for i, flag in enumerate(flags) for a in (f"--{flag}", str(tmp_path / f"list{i}.txt"))]
    assert main(argv) == 2
    assert "no everyday cancer names learned from 0 lay questions" in capsys.readouterr().err
    assert not list(tmp_path.glob("list*.txt"))


def test_a_word_typed_mostly_after_another_is_the_tail_of_a_longer_name():
    voice = _asked("voice box cancer", "Laryngeal Cancer Treatment", 20)
    assert lay_cancer_names(voice) == {}
    assert lay_cancer_names(voice + _asked("box cancer", "Laryngeal Cancer Treatment", 10)) == {
        "box": (("laryngeal",), ())}  # a third typed alone


def test_known_names_and_words_asked_of_coping_summaries_are_no_lay_names():
    asked = _asked("colon cancer diet", "Colon Cancer Treatment", 20) + _asked(
        "depression cancer help", "Depression (PDQ)", 20, cancer_type=False)
    assert lay_cancer_names(asked, frozenset({"colon"})) == {}
