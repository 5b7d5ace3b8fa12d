"""`python -m eval.compare`: two eval reports, question by question."""

import dataclasses
import json

import pytest

from eval.__main__ import main as eval_main
from eval.compare import ReportError, changes, compare, main, read_report
from eval.pooled import POOLED
from retriever.settings import RetrievalSettings
from tests.conftest import ROOT

SHORT_SET = ROOT / "eval" / "questions" / "short_questions.jsonl"


def outcome(kind: str = "patient", rank: int | None = 1, refused: bool = False) -> dict:
    return {"kind": kind, "refused": refused, "rank": {"passage": None if refused else rank}, "wording": "w"}


def write(path, sets: dict[str, dict[str, dict]], mode: str = "hybrid"):
    path.write_text(json.dumps({"meta": {}, "sets": {n: {mode: {"outcomes": o}} for n, o in sets.items()}}),
                    encoding="utf-8")
    return path


BEFORE = {"a": {"q1": outcome(rank=1), "q2": outcome(rank=2), "q3": outcome(rank=9), "q4": outcome(refused=True),
                "o1": outcome("out_of_scope", None, refused=True), "o2": outcome("out_of_scope", None)},
          "b": {f"q{i}": outcome(rank=3) for i in range(6)}}
AFTER = {"a": {"q1": outcome(rank=2), "q2": outcome(rank=1), "q3": outcome(rank=1), "q4": outcome(rank=4),
               "o1": outcome("out_of_scope", None), "o2": outcome("out_of_scope", None)},
         "b": {f"q{i}": outcome(rank=1) for i in range(6)}}


def test_each_figure_names_the_questions_it_won_and_lost():
    c = changes(BEFORE["a"], AFTER["a"], "passage")
    assert (c["Hit@1"].n, c["Hit@1"].before, c["Hit@1"].after) == (4, 1, 2)
    assert (c["Hit@1"].won, c["Hit@1"].lost) == (("q2", "q3"), ("q1",))
    assert (c["Hit@5"].won, c["Hit@5"].lost) == (("q3", "q4"), ())
    assert (c["refused"].won, c["refused"].lost) == ((), ("q4",))  # no longer refused
    assert (c["abstained"].n, c["abstained"].won, c["abstained"].lost) == (2, (), ("o1",))


def test_the_sign_test_counts_only_the_questions_that_changed():
    rows, alone = compare(BEFORE, AFTER, "passage")
    assert rows["b"]["Hit@1"].p == pytest.approx(2 / 2 ** 6)  # 6 won, none lost: 2 * 0.5^6
    assert rows["a"]["Hit@1"].p == 1.0  # 2 won, 1 lost
    assert rows["a"]["abstained"].p == 1.0 and rows["b"]["refused"].p == 1.0  # nothing changed
    pool = rows[POOLED]["Hit@1"]
    assert (pool.n, pool.before, pool.after, len(pool.won), len(pool.lost)) == (10, 1, 8, 8, 1)
    assert pool.p == pytest.approx(20 / 2 ** 9)  # 2 * P(X <= 1), X ~ Bin(9, 1/2)
    assert alone == []


def test_sets_in_one_report_only_are_named_and_left_out(tmp_path, capsys):
    before = write(tmp_path / "before.json", BEFORE)
    after = write(tmp_path / "after.json", {"a": AFTER["a"], "c": AFTER["b"]})
    assert main([str(before), str(after), "--list"]) == 0
    out = capsys.readouterr().out
    assert "not compared (in one report only): b, c" in out and POOLED not in out  # one set in common: no pool
    assert "a Hit@1: + q2 q3; - q1" in out and "a refused: + (none); - q4" in out


def test_a_lay_report_is_one_set_named_for_its_file(tmp_path):
    path = tmp_path / "lay.json"
    path.write_text(json.dumps({"questions": "training/questions/situation.jsonl", "in_scope": {},
                                "outcomes": BEFORE["b"]}), encoding="utf-8")
    assert read_report(path, "hybrid") == {"situation": BEFORE["b"]}
    with pytest.raises(ReportError, match="was not scored in mode 'dense'"):
        read_report(path, "dense")


def test_a_one_set_report_is_named_as_its_row(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"meta": {"questions": "eval/questions/fresh_questions.jsonl"},
                                "modes": {"hybrid": {"outcomes": BEFORE["a"]}}}), encoding="utf-8")
    assert read_report(path, "hybrid") == {"fresh": BEFORE["a"]}


@pytest.mark.parametrize("content, message", [
    ("not json", "not a report of python -m eval --json"),
    (json.dumps({"in_scope": {"all": {}}}), "set 'bad' has no per-question outcomes"),  # eval.lay's, before them
    (json.dumps({"sets": {"a": {"hybrid": {"metrics": {}}}}}), "set 'a' has no per-question outcomes"),
    (json.dumps({"sets": {"a": {"dense": {"outcomes": {}}}}}), "set 'a' was not scored in mode 'hybrid'"),
    (json.dumps([1, 2]), "not a report of python -m eval --json"),
])
def test_a_report_that_cannot_be_compared_is_named(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    assert main([str(bad), str(write(tmp_path / "good.json", BEFORE))]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(bad) in err and message in err


def test_runs_of_different_questions_or_levels_are_refused():
    with pytest.raises(ReportError, match=r"set 'a': the two runs hold different questions \(q9\)"):
        compare(BEFORE, {**AFTER, "a": {**AFTER["a"], "q9": outcome()}}, "passage")
    reworded = {**AFTER["a"], "q2": {**AFTER["a"]["q2"], "wording": "0123456789ab"}}
    with pytest.raises(ReportError, match=r"set 'a': question q2 changed between the runs \(its wording or kind\)"):
        compare(BEFORE, {**AFTER, "a": reworded}, "passage")
    unrecorded = {q: {k: v for k, v in o.items() if k != "wording"} for q, o in BEFORE["a"].items()}
    assert compare({"a": unrecorded}, AFTER, "passage")[0]["a"]["Hit@1"].won  # a report from before wordings
    retyped = {q: {**o, "kind": "staff"} for q, o in AFTER["b"].items()}
    with pytest.raises(ReportError, match=r"set 'b': question q0 changed .* kind, and 5 more\)"):
        compare(BEFORE, {**AFTER, "b": retyped}, "passage")
    relabelled = {**AFTER["a"], "q3": {**AFTER["a"]["q3"], "labels": "0123456789ab"}}
    labelled = {**BEFORE, "a": {**BEFORE["a"], "q3": {**BEFORE["a"]["q3"], "labels": "ba9876543210"}}}
    with pytest.raises(ReportError, match=r"set 'a': the answer of question q3 changed between the runs"):
        compare(labelled, {**AFTER, "a": relabelled}, "passage")  # an evaluator's trial: counted as Hit@1 won
    assert compare(BEFORE, {**AFTER, "a": relabelled}, "passage")[0]["a"]["Hit@1"].won  # one report from before labels
    with pytest.raises(ReportError, match=r"set 'a': no 'document' level \(this set has passage\)"):
        compare(BEFORE, AFTER, "document")
    with pytest.raises(ReportError, match="share no set"):
        compare({"x": BEFORE["a"]}, {"y": AFTER["a"]}, "passage")


def test_an_eval_report_records_outcomes_that_agree_with_its_figures(seed_index, tmp_path, capsys):
    path = tmp_path / "short.json"
    assert eval_main([str(SHORT_SET), "--index", str(seed_index), "--json", str(path)]) == 0
    capsys.readouterr()
    report = json.loads(path.read_text(encoding="utf-8"))["modes"]["hybrid"]
    answerable = [o for o in report["outcomes"].values() if o["kind"] != "out_of_scope"]
    assert len(answerable) == report["counts"]["in_scope"]
    assert sum(o["rank"]["passage"] == 1 for o in answerable) / len(answerable) == \
        pytest.approx(report["metrics"]["in_scope"]["Hit@1"])
    assert sum(o["refused"] for o in answerable) / len(answerable) == \
        pytest.approx(report["abstention"]["in_scope_abstained"])
    assert all(o["rank"]["passage"] is None for o in answerable if o["refused"])
    assert len({o["wording"] for o in report["outcomes"].values()}) == len(report["outcomes"])
    assert main([str(path), str(path)]) == 0  # a run against itself: every figure even
    hit1 = report["metrics"]["in_scope"]["Hit@1"]
    assert f"{hit1:.3f}->{hit1:.3f} +0/-0 even" in capsys.readouterr().out


def with_meta(path, sets, **meta):
    """A several-set report as `write` makes it, scored with ``meta`` (k, index, model...)."""
    write(path, sets)
    raw = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**raw, "meta": meta}), encoding="utf-8")
    return path


RUN = {"k": 10, "index": "index", "index_created": "2024-01-01", "chunks": 57, "model": "pdq-minilm-l6",
       "encoder": "onnx/model_qint8_avx512_vnni.onnx"}


def test_runs_scored_with_different_k_are_refused_naming_both(tmp_path, capsys):
    """At --k 1 a report has no Hit@5: compared with a k=10 run, every question found at
    ranks 2 to 5 was counted a Hit@5 loss."""
    before = with_meta(tmp_path / "k10.json", BEFORE, **RUN)
    after = with_meta(tmp_path / "k1.json", AFTER, **{**RUN, "k": 1})
    assert main([str(before), str(after)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {before} was scored with --k 10 and {after} with --k 1")


def test_runs_scored_at_k_five_and_ten_are_compared(tmp_path, capsys):
    """Every figure compared looks at five passages at most, so both runs have them all."""
    before = with_meta(tmp_path / "k10.json", BEFORE, **RUN)
    after = with_meta(tmp_path / "k5.json", AFTER, **{**RUN, "k": 5})
    assert main([str(before), str(after)]) == 0
    assert "Hit@5" in capsys.readouterr().out


def test_runs_at_a_k_under_five_have_no_hit5_to_win_or_lose(tmp_path, capsys):
    before = with_meta(tmp_path / "a.json", BEFORE, **{**RUN, "k": 1})
    after = with_meta(tmp_path / "b.json", AFTER, **{**RUN, "k": 1})
    assert main([str(before), str(after), "--list"]) == 0
    out = capsys.readouterr().out
    assert "Hit@5:" not in out and "a Hit@1: + q2 q3; - q1" in out
    rows, _ = compare(BEFORE, AFTER, "passage", k=1)
    assert rows["a"]["Hit@5"].n == 0 and not rows["a"]["Hit@5"].lost and rows["a"]["Hit@1"].n == 4


def test_runs_on_another_index_or_model_are_compared_under_a_note(tmp_path, capsys):
    before = with_meta(tmp_path / "a.json", BEFORE, **RUN)
    after = with_meta(tmp_path / "b.json", AFTER, **{**RUN, "model": "other-model", "index": "/tmp/other",
                                                     "index_created": "2024-02-02", "chunks": 60})
    assert main([str(before), str(after)]) == 0
    note = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("note:"))
    assert "index index -> /tmp/other" in note and "chunks 57 -> 60" in note and "model pdq-minilm-l6 -> other-model" \
        in note and "encoder" not in note
    same = with_meta(tmp_path / "c.json", AFTER, **{**RUN, "index": "./index"})  # the same index, named otherwise
    assert main([str(before), str(same)]) == 0
    assert "note:" not in capsys.readouterr().out


def test_a_missing_report_a_mode_it_lacks_and_sets_in_common_are_said_plainly(tmp_path, capsys):
    good = write(tmp_path / "good.json", BEFORE)
    assert main([str(tmp_path / "gone.json"), str(good)]) == 2
    assert f"error: {tmp_path / 'gone.json'}: no such file" in capsys.readouterr().err
    assert main([str(good), str(good), "--mode", "bm25"]) == 2
    assert "set 'a' was not scored in mode 'bm25' (the report has hybrid)" in capsys.readouterr().err
    with pytest.raises(ReportError, match=r"matched by their file's name: the first has x, y; the second has z\)"):
        compare({"x": BEFORE["a"], "y": BEFORE["b"]}, {"z": AFTER["a"]}, "passage")


def test_runs_with_other_checks_or_search_settings_are_compared_under_a_note(tmp_path, capsys):
    """An evaluator's trial: a run with ``PDQ_ANSWER_CHECK=false`` was compared with no note, and
    one with ``PDQ_LEXICON=false`` recorded nothing of it."""
    before = with_meta(tmp_path / "a.json", BEFORE, **RUN, answer_check="046fabb3915f", crisis_check="c1",
                       passing_check="p1", settings={"lexicon": True, "answer_check": True, "rrf_k": 10})
    after = with_meta(tmp_path / "b.json", AFTER, **RUN, answer_check=None, crisis_check=None, passing_check="p2",
                      settings={"lexicon": False, "answer_check": False, "rrf_k": 10})
    assert main([str(before), str(after)]) == 0
    note = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("note:"))
    assert ("answer_check 046fabb3915f -> off; crisis_check c1 -> off; passing_check p1 -> p2; lexicon True -> "
            "False:") in note
    older = with_meta(tmp_path / "c.json", AFTER, **RUN)  # written before settings were recorded
    assert main([str(before), str(older)]) == 0
    assert "search settings recorded by one report only" in capsys.readouterr().out


def test_an_eval_report_records_the_settings_it_changed(seed_index, tmp_path, capsys, monkeypatch):
    out = tmp_path / "r.json"
    monkeypatch.setenv("PDQ_RRF_K", "30")
    assert eval_main([str(SHORT_SET), "--index", str(seed_index), "--json", str(out)]) == 0
    meta = json.loads(out.read_text())["meta"]
    assert meta["settings"]["rrf_k"] == 30 and meta["settings"]["lexicon"] is True
    assert set(meta["settings"]) == {f.name for f in dataclasses.fields(RetrievalSettings)}  # every one
    outcomes = json.loads(out.read_text())["modes"]["hybrid"]["outcomes"]
    assert all(len(o["labels"]) == 12 for o in outcomes.values())
