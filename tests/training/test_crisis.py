"""The crisis check's training: its labelled lines, the fit, its cut and the command's guards."""

import json
import re
from argparse import Namespace
from pathlib import Path

import numpy as np
import pytest

from retriever.crisis import CrisisCheck
from training.cli import CRISIS_LINES
from training.crisis import CrisisFileError, averaged, command, fit_crisis, read_crisis
from training.data import is_validation
from training.domain import held_out
from training.questions import TrainingQuestion

LINES = Path("training/questions/crisis.jsonl")
SHORT = Path("training/questions/crisis_short.jsonl")
LANGUAGES = Path("training/questions/crisis_languages.jsonl")
ORDINARY = Path("training/questions/crisis_languages_ordinary.jsonl")
CONTACTS = Path("training/questions/crisis_contacts.jsonl")
PROGNOSIS = Path("training/questions/crisis_prognosis.jsonl")
ABOUT_PAGE = Path("training/questions/crisis_ordinary.jsonl")


def _line(text="i want to end my life", label="crisis", kind="direct"):
    return json.dumps({"text": text, "label": label, "kind": kind})


def test_the_committed_lines_are_valid_and_cover_the_three_labels():
    lines = read_crisis(LINES)
    counts = {label: sum(c.label == label for c in lines) for label in ("crisis", "topic", "not")}
    assert counts["crisis"] >= 500 and counts["topic"] >= 150 and counts["not"] >= 500
    assert sum(held_out(c.text) and c.label == "crisis" for c in lines) >= 50  # enough to pick the cut on


def test_the_committed_short_lines_are_one_to_five_words_of_every_label():
    lines = read_crisis(LINES, SHORT)  # no line of one file repeats the other's
    short = lines[len(read_crisis(LINES)):]
    assert short == read_crisis(SHORT) and all(1 <= len(c.text.split()) <= 5 for c in short)
    assert {c.label for c in short} == {"crisis", "topic", "not"} and all(c.kind.startswith("short_") for c in short)
    assert sum(c.label == "crisis" for c in short) >= 200 and sum(c.label == "not" for c in short) >= 300


def test_the_committed_lines_in_other_languages_hold_each_label_with_more_ordinary_than_crisis_lines():
    lines = read_crisis(LINES, SHORT, LANGUAGES)[len(read_crisis(LINES, SHORT)):]
    assert lines == read_crisis(LANGUAGES)
    # the second round, measured and not fitted by default: valid, ordinary, and no repeat of the others
    assert all(c.label == "not" and c.kind.endswith("_ordinary") for c in read_crisis(*CRISIS_LINES, ORDINARY)[
        len(read_crisis(*CRISIS_LINES)):])
    by_language = {}
    for c in lines:
        language, kind = c.kind.split("_")
        assert kind in (c.label, "ordinary")
        by_language.setdefault(language, []).append(c.label)
    assert {"es", "mixed", "pt", "fr", "tl", "vi", "ht", "it"} <= set(by_language)
    assert all(labels.count("not") >= labels.count("crisis") > 0 for labels in by_language.values())


def test_the_committed_lines_asking_whom_to_call_are_fitted_by_default_and_mostly_ordinary():
    """A new user's trial found "what number do i call" read as a crisis: the earlier files
    asked for a number only about suicide (CRISIS_CONTACTS_BRIEF.md)."""
    assert CRISIS_LINES == [LINES, SHORT, LANGUAGES, CONTACTS, PROGNOSIS, ABOUT_PAGE]
    lines = read_crisis(LINES, SHORT, LANGUAGES, CONTACTS)[len(read_crisis(LINES, SHORT, LANGUAGES)):]
    assert lines == read_crisis(CONTACTS) and all(c.kind.startswith("contact_") for c in lines)
    counts = {label: sum(c.label == label for c in lines) for label in ("crisis", "topic", "not")}
    assert counts["not"] >= 200 and counts["crisis"] >= 40 and counts["topic"] >= 20
    assert all(c.label == "not" for c in lines if c.kind in ("contact_number", "contact_person", "contact_urgent"))


def test_the_committed_lines_about_how_long_someone_has_are_fitted_by_default_and_mostly_ordinary():
    """A new user's trial found "how long does he have to live" read as a crisis: the hard
    negatives about dying were mostly the patient's own (CRISIS_PROGNOSIS_BRIEF.md)."""
    lines = read_crisis(LINES, SHORT, LANGUAGES, CONTACTS, PROGNOSIS)[len(read_crisis(LINES, SHORT, LANGUAGES,
                                                                                      CONTACTS)):]
    assert lines == read_crisis(PROGNOSIS)
    counts = {label: sum(c.label == label for c in lines) for label in ("crisis", "not")}
    assert counts["not"] >= 250 and counts["crisis"] >= 80 and len(lines) == sum(counts.values())
    assert all(c.label == "crisis" for c in lines if c.kind == "crisis_twin")
    assert all(c.label == "not" for c in lines if c.kind != "crisis_twin")


def test_the_committed_lines_about_the_summary_itself_are_fitted_by_default_and_mostly_ordinary():
    """A new user's trial found "who wrote this information" read as a crisis: the words
    reader had learnt "wrote" from goodbye letters (CRISIS_ORDINARY_BRIEF.md)."""
    lines = read_crisis(*CRISIS_LINES)[len(read_crisis(*CRISIS_LINES[:-1])):]
    assert lines == read_crisis(ABOUT_PAGE)
    kinds = {c.kind for c in lines}
    assert kinds == {"about_summary", "shared_words", "short_ordinary", "crisis_twin"}
    assert all((c.label == "crisis") == (c.kind == "crisis_twin") for c in lines)
    assert sum(c.label == "not" for c in lines) >= 200 and sum(c.label == "crisis" for c in lines) >= 60
    assert all(1 <= len(c.text.split()) <= 5 for c in lines if c.kind == "short_ordinary")


def test_no_line_about_the_summary_shares_six_words_in_a_row_with_an_evaluation_line():
    """The evaluation file was written apart from the same brief; lines sharing its examples'
    runs of words were dropped from the training file, and must stay out."""
    def runs(text):
        words = re.sub(r"[^\w\s]", "", text.lower()).split()
        return {tuple(words[i:i + 6]) for i in range(max(len(words) - 5, 1))}

    held = set().union(*(runs(json.loads(line)["text"]) for path in Path("eval/crisis").glob("*.jsonl")
                         for line in path.read_text(encoding="utf-8").splitlines() if line.strip()))
    assert len(held) > 1000 and not [c.text for c in read_crisis(ABOUT_PAGE) if runs(c.text) & held]


def test_a_line_repeating_one_of_an_earlier_file_is_named(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(_line() + "\n", encoding="utf-8")
    second.write_text(_line("is chemo painful", "not") + "\n" + _line("I want to END my life") + "\n", encoding="utf-8")
    with pytest.raises(CrisisFileError, match=r"b.jsonl: 'I want to END my life' repeats a line of .*a.jsonl"):
        read_crisis(first, second)
    with pytest.raises(CrisisFileError, match="a file is named twice; name each once"):
        read_crisis(first, tmp_path / "." / "a.jsonl")


@pytest.mark.parametrize("line, message", [
    ("{not json", "not a JSON object"),
    (_line(label="maybe"), "label must be one of crisis, topic, not"),
    (json.dumps({"text": "i want to die", "label": "crisis"}), "fields 'text', 'label' and 'kind' must each be text"),
    (_line(text="I want to END my life!"), "repeats an earlier line"),
])
def test_a_bad_line_is_named_by_file_and_line(tmp_path, line, message):
    path = tmp_path / "crisis.jsonl"
    path.write_text(_line() + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(CrisisFileError, match=rf"crisis.jsonl:2: .*{re.escape(message)}"):
        read_crisis(path)


class _Words:
    """A stand-in encoder: a line's vector says whether it speaks of ending a life."""

    def encode_query(self, text):
        crisis = any(w in text for w in ("end my life", "kill myself", "want to die"))
        return np.array([1.0, 0.0] if crisis else [0.0, 1.0], np.float32)


def _lines(tmp_path, texts_labels):
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(_line(t, lab) + "\n" for t, lab in texts_labels), encoding="utf-8")
    return read_crisis(path)


def test_fit_writes_a_check_that_flags_the_kept_out_crisis_lines(tmp_path):
    texts = [(f"i want to end my life {i}", "crisis") for i in range(80)] + \
            [(f"i want to kill myself now {i}", "crisis") for i in range(80)] + \
            [(f"will chemo make me tired {i}", "not") for i in range(80)]
    lay = [TrainingQuestion(f"doc-{i}", f"doc-{i}/0", ("T",), f"what is a scan {i}", "question", "e")
           for i in range(400)]
    assert any(is_validation(q.doc_id) for q in lay) and not all(is_validation(q.doc_id) for q in lay)
    record = fit_crisis(_lines(tmp_path, texts), lay, _Words(), tmp_path / CrisisCheck.FOLDER)
    check = CrisisCheck.load(tmp_path, dimensions=2)
    assert check.cut == record["cut"] and record["kept out flagged"]["crisis"] == 1.0
    assert check.words.cut == record["words cut"] and record["fitted_on"]["terms"] == len(check.words.vocabulary)
    assert record["validation summaries' questions flagged"] <= 0.002  # both readers together
    assert check.flags(_Words().encode_query("some days i want to die"))
    assert not check.flags(_Words().encode_query("is the scan painful"))
    assert check.words.flags("i want to kill myself") and not check.words.flags("what is a scan")


def test_a_reader_s_cut_flags_at_most_its_share_of_validation_questions_even_where_most_say_nothing():
    from training.crisis import flagging_cut

    scores = np.linspace(-3.0, 3.0, 5000)
    assert np.mean(scores > flagging_cut(scores)) <= 0.001
    said_nothing = np.r_[np.full(4999, -np.inf), 2.0]  # words it never saw: minus infinity
    assert np.isfinite(flagging_cut(said_nothing)) and not np.any(said_nothing > flagging_cut(said_nothing))


def test_networks_averaged_into_one_give_the_mean_of_their_logits():
    import warnings

    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlps = [MLPClassifier(hidden_layer_sizes=(4,), max_iter=50, random_state=s).fit(X, y) for s in (1, 2, 3)]
    check = averaged(mlps)
    assert check.hidden_weights.shape == (3, 12) and check.out_weights.shape == (12,)
    for x in X[:5]:
        logits = [float(np.log(p / (1 - p))) for p in (m.predict_proba(x[None])[0, 1] for m in mlps)]
        assert check.logit(x.astype(np.float32)) == pytest.approx(np.mean(logits), abs=1e-4)


def test_drug_names_join_the_unflagged_side_and_their_kept_out_fifth_is_scored(tmp_path):
    texts = [(f"i want to end my life {i}", "crisis") for i in range(80)] + \
            [(f"will chemo make me tired {i}", "not") for i in range(80)]
    lay = [TrainingQuestion(f"doc-{i}", f"doc-{i}/0", ("T",), f"what is a scan {i}", "question", "e")
           for i in range(400)]
    names = [f"drugname{i}" for i in range(60)]
    record = fit_crisis(_lines(tmp_path, texts), lay, _Words(), tmp_path / CrisisCheck.FOLDER, names=names)
    kept = sum(held_out(n) for n in names)
    assert 0 < kept < len(names)
    assert record["fitted_on"]["drug names"] == len(names) - kept and record["kept out"]["drug names"] == kept
    assert record["kept out flagged"]["drug names"] == 0.0 and record["kept out flagged"]["crisis"] == 1.0


def test_a_fit_without_kept_out_crisis_lines_is_refused_before_any_work(tmp_path):
    texts = [(t, "crisis") for t in ("i want to end my life", "kill myself")]
    assert not any(held_out(t) for t, _ in texts)
    with pytest.raises(CrisisFileError, match="crisis lines within it"):
        fit_crisis(_lines(tmp_path, texts), [], _Words(), tmp_path / CrisisCheck.FOLDER)
    assert not (tmp_path / CrisisCheck.FOLDER).exists()


def test_the_command_never_replaces_a_shipped_check_without_force(tmp_path, monkeypatch, capsys):
    (tmp_path / CrisisCheck.FOLDER).mkdir()
    (tmp_path / CrisisCheck.FOLDER / CrisisCheck.WEIGHTS_FILE).write_bytes(b"shipped")
    monkeypatch.setattr("retriever.embedding.resolve_model", lambda name: str(tmp_path))
    lines = tmp_path / "lines.jsonl"
    lines.write_text(_line() + "\n", encoding="utf-8")
    args = Namespace(model="pdq-minilm-l6", lines=[lines], questions=[Path("training/questions/audience.jsonl")],
                     force=False)
    assert command(args) == 2
    out, err = capsys.readouterr()
    assert "1 crisis-file lines" in out and "already holds a crisis check; pass --force" in err
    assert (tmp_path / CrisisCheck.FOLDER / CrisisCheck.WEIGHTS_FILE).read_bytes() == b"shipped"
