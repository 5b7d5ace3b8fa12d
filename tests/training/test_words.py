"""The speller's list of the corpus's own words (`retriever/pdq_words.txt`) and abstention's lists
of the subjects the corpus's titles name (`retriever/pdq_subjects.txt`) and of the sentences every
summary carries (`retriever/pdq_boilerplate.txt`)."""

from __future__ import annotations

from collections import Counter

import pytest

from retriever.boilerplate import BOILERPLATE
from retriever.cancer_names import CANCER_NAMES, pdq_cancer_names
from retriever.dose_typed import PDQ_VERBS, verbs
from retriever.drug_names import DRUG_NAMES, drug_names
from retriever.health_topics import CANCER_WORDS, SUBJECTS, cancer_words, pdq_subjects
from retriever.spelling import PDQ_WORDS, Speller, everyday_slips
from retriever.tokenization import PLURALS, zipf
from training.__main__ import main
from training.cli import CORPUS
from training.drug_names import other_names, passage_counts, render_drug_names, synonym_names
from training.plurals import render_plurals
from training.words import (
    cancer_titles,
    corpus_counts,
    pdq_boilerplate,
    pdq_words,
    read_corpus,
    render,
    render_boilerplate,
    render_cancer_names,
    render_cancer_words,
    render_subjects,
    render_verbs,
    summaries,
    training_questions,
)


def test_the_shipped_list_is_the_corpus_s_own():
    assert PDQ_WORDS.read_text(encoding="utf-8") == render(corpus_counts(summaries(CORPUS))), \
        "retriever/pdq_words.txt is stale: run python -m training words --force"


def test_the_shipped_plurals_are_lemminflect_s_irregular_ones():
    assert PLURALS.read_text(encoding="utf-8") == render_plurals(), \
        "retriever/english_plurals.txt is stale: run python -m training words --force"
    pairs = set(render_plurals().splitlines())
    assert {"tooth\tteeth", "foot\tfeet", "child\tchildren", "life\tlives"} <= pairs
    assert not {"tumor\ttumors", "colon\tcola", "die\tdice"} & pairs  # stems join one; the others read another noun


def test_the_shipped_subjects_are_the_corpus_titles_own():
    titles = [title for title, _ in summaries(CORPUS)]
    assert SUBJECTS.read_text(encoding="utf-8") == render_subjects(titles), \
        "retriever/pdq_subjects.txt is stale: run python -m training words --force"
    assert {"esophageal", "adrenocortical", "gallbladder", "neuroendocrine", "sezary"} <= pdq_subjects()
    # generic title words, and words of everyday English that patients use of any summary
    assert not {"cancer", "treatment", "childhood", "pain", "skin", "regimen", "cardiac", "plasma", "dietary",
                "colorectal"} & pdq_subjects()


def test_the_shipped_cancer_names_are_the_corpus_s_own():
    assert CANCER_NAMES.read_text(encoding="utf-8") == render_cancer_names(read_corpus(CORPUS)), \
        "retriever/pdq_cancer_names.txt is stale: run python -m training words --force"
    assert {"skin", "bone", "brain", "liver", "colon", "rectal", "pancreatic", "peritoneal"} <= pdq_cancer_names()
    # the end of a longer name ("Small Intestine", "Renal Cell", "Oral Cavity") and "Rare Cancers" name none
    assert not {"intestine", "cell", "cavity", "gland", "neck", "rare", "childhood"} & pdq_cancer_names()
    # types the corpus never writes before "cancer": "is thymoma cancer" asks about one (a review's)
    assert not {"thymoma", "myeloma", "pituitary", "pheochromocytoma", "cardiac", "langerhans"} & pdq_cancer_names()


def test_the_shipped_cancer_words_name_cancer_type_summaries():
    docs = summaries(CORPUS)
    assert CANCER_WORDS.read_text(encoding="utf-8") == render_cancer_words(cancer_titles(read_corpus(CORPUS)), docs), \
        "retriever/pdq_cancer_words.txt is stale: run python -m training words --force"
    assert {"pancreatic", "anal", "renal", "penile", "hairy", "adrenocortical"} <= cancer_words()
    # said of any cancer (more than a quarter of the summaries), everyday English, or no cancer type's title
    assert not {"malignant", "metastatic", "gland", "carcinoma", "heart", "complications", "distress",
                "cancer", "tumor"} & cancer_words()


def test_the_shipped_boilerplate_is_what_nine_in_ten_summaries_carry():
    bodies = [text for _, text in summaries(CORPUS)]
    assert BOILERPLATE.read_text(encoding="utf-8") == render_boilerplate(bodies), \
        "retriever/pdq_boilerplate.txt is stale: run python -m training words --force"
    carried = pdq_boilerplate(bodies[:3] + ["# Title\n\nPDQ is a registered trademark. Only here.\n"])
    assert "pdq is a registered trademark." in carried and "only here." not in carried


def test_it_holds_rare_terms_one_slip_from_everyday_words_and_not_the_corpus_s_own_slips():
    counts = corpus_counts(summaries(CORPUS))
    listed = pdq_words(counts)
    assert {"desmoid", "protocel"} <= set(listed)
    assert all(zipf(w) < 1 and everyday_slips(w) for w in listed)
    assert counts["thryoid"] == 1 and "thryoid" not in listed  # the corpus's slip beside "thyroid"
    assert Speller(Counter({"tumor": 3})).correct("thryoid") == "thyroid"
    assert Speller(Counter({"tumor": 3})).correct("desmoid") is None


def test_one_file_for_two_lists_is_refused(tmp_path, capsys):
    out = tmp_path / "words.txt"
    assert main(["words", "--out", str(out), "--subjects-out", str(tmp_path / "s.txt"),
                 "--boilerplate-out", str(out), "--acronyms-out", str(tmp_path / "a.txt")]) == 2
    assert "must name 11 files" in capsys.readouterr().err and not out.exists()


def test_a_folder_without_summaries_is_named_and_the_list_kept(tmp_path, capsys):
    out = tmp_path / "words.txt"
    out.write_text("kept\n", encoding="utf-8")
    subjects = tmp_path / "subjects.txt"
    subjects.write_text("kept too\n", encoding="utf-8")
    assert main(["--corpus", str(tmp_path), "words", "--force", "--out", str(out), "--subjects-out", str(subjects),
                 "--boilerplate-out", str(tmp_path / "boilerplate.txt"),
                 "--acronyms-out", str(tmp_path / "acronyms.txt")]) == 2
    assert f"{tmp_path}: no PDQ summaries" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "kept\n" and subjects.read_text(encoding="utf-8") == "kept too\n"


def test_lists_that_are_there_are_replaced_only_with_force(tmp_path, capsys):
    """A bad-input review: a run over five summaries rewrote nine committed lists, exit 0."""
    outs = {flag: tmp_path / f"list{i}.txt" for i, flag in enumerate(
        ("--out", "--subjects-out", "--boilerplate-out", "--cross-references-out", "--acronyms-out",
         "--cancer-words-out", "--cancer-names-out", "--verbs-out", "--plurals-out", "--drug-names-out",
         "--lay-cancers-out"))}
    outs["--verbs-out"].write_text("kept\n", encoding="utf-8")
    assert main(["words", *[a for flag, path in outs.items() for a in (flag, str(path))]]) == 2
    assert f"{outs['--verbs-out']} is there (committed lists); pass --force" in capsys.readouterr().err
    assert outs["--verbs-out"].read_text(encoding="utf-8") == "kept\n" and not outs["--out"].exists()


def test_the_shipped_verbs_are_the_corpus_and_training_questions_bare_verbs():
    bodies = [text for _, text in summaries(CORPUS)]
    asked = training_questions(CORPUS.parent / "questions" / "questions.jsonl")
    assert PDQ_VERBS.read_text(encoding="utf-8") == render_verbs(bodies, asked), \
        "retriever/pdq_verbs.txt is stale: run python -m training words --force"
    assert {"hurt", "matter", "spread", "help", "work", "mean", "have"} <= verbs()
    # named after an article more than twice as often as used after a modal, or adverbs between them
    assert not {"scan", "test", "chemo", "trial", "treatment", "often", "never", "the", "it"} & verbs()


def test_verbs_read_training_summaries_questions_and_name_a_bad_line(tmp_path, capsys):
    import json

    good = {"doc_id": "t", "section": "t#1", "heading_path": ["Title", "Section"], "question": "does it hurt",
            "style": "question", "evidence": "it does not hurt"}
    held_out = {**good, "doc_id": "d", "question": "is it bad"}  # "d" falls in the validation split
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(held_out) + "\n", encoding="utf-8")
    assert training_questions(path) == ["does it hurt"]

    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "question": None}) + "\n", encoding="utf-8")
    verbs_out = tmp_path / "verbs.txt"
    verbs_out.write_text("kept\n", encoding="utf-8")
    outs = [f"--{name}" for name in ("out", "subjects-out", "boilerplate-out", "acronyms-out", "cancer-words-out")]
    argv = ["words", "--force", "--questions", str(path), "--verbs-out", str(verbs_out)]
    for i, flag in enumerate(outs):
        argv += [flag, str(tmp_path / f"list{i}.txt")]
    assert main(argv) == 2
    assert f"{path}:2: not a training question (field 'question'" in capsys.readouterr().err
    assert verbs_out.read_text(encoding="utf-8") == "kept\n" and not (tmp_path / "list0.txt").exists()


def test_the_shipped_drug_names_are_the_dictionary_s_for_the_corpus_s_drugs():
    docs = summaries(CORPUS)
    assert DRUG_NAMES.read_text(encoding="utf-8") == render_drug_names(docs), \
        "retriever/pdq_drug_names.txt is stale: run python -m training words --force"
    written = passage_counts(docs)  # every drug named is in the passages, word for word
    assert all(written[w] for drug in drug_names().values() for w in drug.split())
    counts = Counter({"sunitinib": 4, "octreotide": 3, "gleevec": 2, "imatinib": 2, "zoledronic": 2, "acid": 5,
                      "hydroxyurea": 3, "sodium": 9, "cancer": 9})
    dictionary = {"sutent": {"sunitinib"}, "sandostatin": {"octreotide"}, "zometa": {"zoledronic acid"},
                  "glivec": {"imatinib mesylate"}, "gleevec": {"imatinib"}, "armour": {"octreotide"},
                  "mixtab": {"sunitinib", "imatinib"}, "tylenol": {"acetaminophen"}, "atarax": {"hydroxyzine"},
                  "tiral": {"sunitinib"}, "pred": {"octreotide"}, "xyrem": {"sodium oxybate"}}
    medicines = {"sunitinib", "octreotide", "imatinib", "zoledronic acid", "imatinib mesylate", "acetaminophen",
                 "hydroxyzine", "sodium oxybate"}
    assert other_names(counts, dictionary, medicines) == {"glivec": "imatinib", "sandostatin": "octreotide",
                                                          "sutent": "sunitinib", "zometa": "zoledronic acid"}
    # "gleevec": the summaries write it; "armour": an English word; "mixtab": two drugs; "tylenol"
    # and "atarax": drugs the corpus never names ("hydroxyurea" is no hydroxyzine); "tiral": a slip of "trial";
    # "pred": four letters; "xyrem": "sodium" is no medicine of its own, and "oxybate" unwritten


@pytest.mark.parametrize("synonym, names", [
    ("Sutent", ["sutent"]), ("Somatuline Depot", ["somatuline"]), ("Sandostatin LAR", ["sandostatin"]),
    ("conjugated estrogens", []), ("somatuline depot injection", []),
])
def test_a_brand_s_first_word_is_a_name_where_the_second_names_its_formulation(synonym, names):
    """A patient's "somatuline" (the brand of lanreotide, which the seed names) was refused: the
    dictionary holds only "Somatuline Depot", and a two-word synonym's first word is no name in
    general ("conjugated" of an estrogen)."""
    assert synonym_names(synonym) == names
    assert drug_names()["somatuline"] == "lanreotide"
