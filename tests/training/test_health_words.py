"""Learning which English words name a health topic (`training.health_words`), on a made-up corpus
and vectors: no model needed."""

import json
from collections import Counter

import numpy as np
import pytest

from retriever.tokenization import stem
from training import health_words as hw
from training.__main__ import main

TOPICS = ["thymus", "bronchus", "cystoscopy", "melanocyte", "endometrium", "pharynx"]  # one summary of 20 each
SHARED = ["chemotherapy", "oncologist"]  # in half of them
EVERYDAY = ["office", "felt", "kitchen", "yourself"]
UNUSED_HEALTH = ["gout", "hernia", "lupus"]  # English words no summary uses
UNUSED_OTHER = """guitar motorway sandwich umbrella jug violin bicycle carpet teapot ladder pillow lantern
    wallet hammock kettle saucer trombone scarf bucket garage""".split()


def _corpus() -> hw.CorpusWords:
    counts = Counter({"the": 1_000_000, **{w: 40 for w in TOPICS}, **{w: 400 for w in SHARED},
                      **{w: 3 for w in EVERYDAY}})
    summaries = Counter({"the": 20, **{w: 1 for w in TOPICS}, **{w: 10 for w in SHARED}, **{w: 5 for w in EVERYDAY}})
    return hw.CorpusWords(counts, summaries, 20)


def _encode(words):
    """Words naming a health topic point one way, cancer care's shared words another, the rest a
    third: what the machine is to find in the model's vectors."""
    health, care = {*TOPICS, *UNUSED_HEALTH}, set(SHARED)
    return np.array([[w in health, w in care, w not in health | care] for w in words], dtype=np.float32)


def test_labels_read_specific_words_as_topics_and_shared_or_everyday_ones_as_not():
    topics, others = hw.labels(_corpus(), UNUSED_OTHER)
    assert topics == sorted(TOPICS)
    assert {*SHARED, *EVERYDAY} <= set(others)  # everyday: used no more often than English uses it
    assert set(UNUSED_OTHER) <= set(others)  # the sample of words the summaries never use
    assert not set(topics) & set(others)


def test_the_learned_list_carries_the_class_to_words_no_summary_uses_and_leaves_shared_words_out(monkeypatch):
    monkeypatch.setattr(hw, "SAMPLE", 8)  # as in English: a few of the words no summary uses are labelled
    english = [*TOPICS, *SHARED, *EVERYDAY, *UNUSED_HEALTH, *UNUSED_OTHER]
    found, record = hw.learn(_corpus(), english, _encode)
    unlabelled = [w for w in UNUSED_HEALTH if w not in hw.labels(_corpus(), english)[1]]
    assert unlabelled and set(unlabelled) <= set(found)
    assert not set(found) & {*UNUSED_OTHER, *SHARED, *EVERYDAY}
    assert record["others"] == len(SHARED) + len(EVERYDAY) + 8
    assert set(TOPICS) <= set(found) and record["topics"] == len(TOPICS)
    assert "thymus" not in hw.learn(_corpus(), english, _encode, frozenset({"thymus"}))[0]  # a title's word
    text = hw.render(found, record)
    assert text.startswith("# Words of English") and text.splitlines()[-1] == found[-1]


def test_a_word_the_hand_rules_read_as_a_topic_is_never_labelled_no_topic():
    """The review of the first fit found "asthma" labelled everyday and "lymphoma" shared vocabulary,
    pulling the boundary away from the conditions the list is for."""
    corpus = _corpus()
    counts = corpus.counts + Counter({"asthma": 3, "lymphoma": 400})
    summaries = corpus.summaries + Counter({"asthma": 5, "lymphoma": 10})
    topics, others = hw.labels(hw.CorpusWords(counts, summaries, 20), [*UNUSED_OTHER, "voriconazole", "womb"])
    assert not {"asthma", "lymphoma", "voriconazole", "womb"} & set(others)
    assert {"guitar", "oncologist"} <= set(others)


def test_corpus_words_reads_the_training_summaries_only(tmp_path):
    (tmp_path / "types-kidney-patient-transitional-cell-treatment-pdq.md").write_text(
        "---\ntitle: V\n---\nvalidationonly words\n", encoding="utf-8")  # a validation summary
    (tmp_path / "types-uterine-patient-endometrial-prevention-pdq.md").write_text(
        "---\ntitle: T\n---\ntrainingonly words\n", encoding="utf-8")
    summaries = hw.training_summaries(tmp_path)
    assert list(summaries) == ["types-uterine-patient-endometrial-prevention-pdq"]
    corpus = hw.corpus_words(summaries)
    assert corpus.n == 1 and corpus.counts["trainingonly"] == 1 and "validationonly" not in corpus.counts


def _questions(path, *asked: tuple[str, str]):
    """A lay-question file: (summary, question) a line."""
    path.write_text("".join(json.dumps({"doc_id": doc, "section": f"{doc}/0", "heading_path": ["T"], "question": q,
                                        "style": "question", "evidence": "e"}) + "\n" for doc, q in asked),
                    encoding="utf-8")
    return path


def test_asked_words_counts_the_summaries_asked_a_word_and_those_that_never_mention_it(tmp_path):
    summaries = {"a": ["the", "cancer", "may", "recur", "anesthesia"], "b": ["cancer", "pain", "relapses"],
                 "c": ["cancer", "recur"], "d": ["bladder"], "e": ["bladder"], "f": ["cancer"]}
    questions = _questions(tmp_path / "q.jsonl", ("a", "can the cancer relapse"), ("a", "will it relapse after"),
                           ("b", "did the cancer relapse"),  # "relapses": another form of the word it mentions
                           ("c", "could the cancer have relapsed"),  # the same stem
                           ("a", "do I need an anaesthetic"),  # "anesthesia" in American spelling
                           ("v", "can it relapse"),  # a summary not passed: a validation one
                           ("d", "bladder pain"), ("e", "my bladder"), ("a", "bladder"), ("f", "bladder"))
    found = hw.asked_words(summaries, [questions])
    assert found.asked[stem("relapse")] == 3 and found.missed[stem("relapse")] == 2  # a and c; b mentions it
    assert found.missed[stem("anaesthetic")] == 0 and found.missed[stem("cancer")] == 0
    assert found.asked[stem("bladder")] == 4 and found.missed[stem("bladder")] == 2
    assert stem("relapse") in found.care() and stem("bladder") in found.care()  # half the summaries asked it
    assert stem("bladder") not in hw.AskedWords(found.asked + Counter({stem("bladder"): 1}), found.missed).care()
    assert stem("anaesthetic") not in found.care()
    assert found.missed[stem("need")] == 1 and stem("need") not in found.care()  # one summary's questions only
    with pytest.raises(hw.HealthWordsError, match="no question about a training summary"):  # another corpus's file
        hw.asked_words(summaries, [_questions(tmp_path / "v.jsonl", ("v", "can it relapse"))])


def test_a_word_patients_ask_of_summaries_never_mentioning_it_is_left_off_the_list(monkeypatch):
    monkeypatch.setattr(hw, "SAMPLE", 8)
    english = [*TOPICS, *SHARED, *EVERYDAY, *UNUSED_HEALTH, *UNUSED_OTHER]
    full, _ = hw.learn(_corpus(), english, _encode)
    found, record = hw.learn(_corpus(), english, _encode, asked=frozenset({stem("hernia"), stem("thymus")}))
    assert {"hernia", "thymus"} <= set(full) and not {"hernia", "thymus"} & set(found)
    assert set(found) == set(full) - {"hernia", "thymus"}  # the machine's labels are left as they were
    assert record["asked"] == 2 and record["written"] == len(found)
    assert "and 2 more left out" in hw.render(found, record)


def test_force_replaces_the_list_and_leaves_no_partial_file(tmp_path, monkeypatch, capsys):
    from retriever import embedding

    class Encoder:
        def encode(self, found, batch_size, progress):
            return _encode(found)

    monkeypatch.setattr(embedding, "load_embedder", lambda model, backend: Encoder())
    monkeypatch.setattr(hw, "training_summaries", lambda corpus: {f"s{i}": ["cancer"] for i in range(20)})
    monkeypatch.setattr(hw, "corpus_words", lambda summaries: _corpus())
    monkeypatch.setattr(hw, "english_words", lambda: [*TOPICS, *SHARED, *EVERYDAY, *UNUSED_HEALTH, *UNUSED_OTHER])
    questions = _questions(tmp_path / "q.jsonl", ("s1", "is it like a hernia"), ("s2", "a hernia too"))
    out = tmp_path / "health_words.txt"
    out.write_text("old\n", encoding="utf-8")
    assert main(["health-words", "--out", str(out), "--questions", str(questions), "--force"]) == 0
    written = [line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert "thymus" in written and "old" not in written and not list(tmp_path.glob("*.partial"))
    assert "gout" in written and "hernia" not in written  # asked of two summaries that never mention it
    assert main(["health-words", "--out", str(tmp_path / "no" / "list.txt")]) == 2
    assert "no folder" in capsys.readouterr().err


def test_a_corpus_without_a_training_summary_is_refused_by_name(tmp_path, capsys):
    assert main(["--corpus", str(tmp_path), "health-words", "--out", str(tmp_path / "out.txt")]) == 2
    assert f"{tmp_path}: no training summary" in capsys.readouterr().err


def test_a_summary_that_cannot_be_read_is_named_by_file(tmp_path, capsys):
    bad = tmp_path / "types-uterine-patient-endometrial-prevention-pdq.md"
    bad.write_text("---\ntitle: [unclosed\n---\ntext\n", encoding="utf-8")
    assert main(["--corpus", str(tmp_path), "health-words", "--out", str(tmp_path / "out.txt")]) == 2
    assert f"{bad}: malformed front matter at line 2 (field 'title')" in capsys.readouterr().err  # as ingest names it


def test_a_malformed_question_line_is_named_by_file_and_line(tmp_path, capsys):
    (tmp_path / "types-uterine-patient-endometrial-prevention-pdq.md").write_text(
        "---\ntitle: T\n---\nwords\n", encoding="utf-8")
    questions = _questions(tmp_path / "q.jsonl", ("types-uterine-patient-endometrial-prevention-pdq", "is it gout"))
    questions.write_text(questions.read_text(encoding="utf-8") + '{"doc_id": 3}\n', encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["--corpus", str(tmp_path), "health-words", "--out", str(out), "--questions", str(questions)]) == 2
    assert f"{questions}:2: not a training question" in capsys.readouterr().err
    assert not out.exists()


def test_an_existing_list_is_kept_without_force(tmp_path, capsys):
    out = tmp_path / "health_words.txt"
    out.write_text("gout\n", encoding="utf-8")
    assert main(["health-words", "--out", str(out)]) == 2
    assert "pass --force" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "gout\n"
