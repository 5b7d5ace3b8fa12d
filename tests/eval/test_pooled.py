import math

from eval.__main__ import main as eval_main
from eval.pooled import POOLED, merged, row, rows, set_names, table
from eval.runner import ModeReport
from tests.conftest import ROOT

PROJECT_SET = ROOT / "eval" / "questions" / "seed_questions.jsonl"


def report(outcomes: dict[str, tuple[str, bool, str | None]], k: int = 10) -> ModeReport:
    """A set's report from ``qid -> (kind, refused, first passage)``; each in-scope question's
    relevant passage is ``gold-<qid>``."""
    r = ModeReport(mode="hybrid", k=k)
    for qid, (kind, refused, first) in outcomes.items():
        r.kinds[qid], r.refused[qid] = kind, refused
        r.run[qid] = {} if refused else {first: 2.0, "other": 1.0}
        if kind != "out_of_scope":
            r.qrels[qid] = {f"gold-{qid}": 1}
    return r


SMALL = report({"a": ("patient", False, "gold-a"), "b": ("staff", False, "x"),
                "c": ("out_of_scope", True, None)})
LARGE = report({"a": ("patient", False, "x"), "b": ("patient", True, None), "c": ("typo", False, "gold-c"),
                "d": ("patient", False, "gold-d"), "e": ("out_of_scope", False, "x"),
                "f": ("out_of_scope", True, None)})


def test_one_set_row_counts_its_own_questions():
    r = row("small", SMALL)
    assert (r.in_scope, r.hit1, r.patient, r.patient_hit1, r.refused, r.out_of_scope, r.abstained) == \
        (2, 0.5, 1, 1.0, 0.0, 1, 1.0)


def test_the_pool_weighs_each_question_once_not_each_set():
    """Two sets' Hit@1 of 0.5 (1 of 2) and 0.5 (2 of 4) pool to 3 of 6; a mean of figures of
    sets of different sizes would be wrong whenever they differ (refused: 0 and 1/4 -> 1/6)."""
    pool = row(POOLED, merged({"small": SMALL, "large": LARGE}))
    assert (pool.in_scope, pool.hit1, pool.refused) == (6, 0.5, 1 / 6)
    assert (pool.patient, pool.patient_hit1) == (4, 0.5)
    assert (pool.out_of_scope, pool.abstained) == (3, 2 / 3)


def test_sets_sharing_question_ids_stay_apart_in_the_pool():
    both = merged({"one": SMALL, "two": SMALL})
    assert len(both.kinds) == 6 and "one/a" in both.kinds and "two/a" in both.kinds


def test_a_pool_without_out_of_scope_items_has_no_abstention_figure():
    r = row(POOLED, merged({"x": report({"a": ("staff", False, "gold-a")})}))
    assert r.out_of_scope == 0 and math.isnan(r.abstained) and r.to_dict()["abstained"] is None


def test_the_table_ends_with_the_pool_and_what_one_question_weighs():
    text = table("hybrid", rows({"small": SMALL, "large": LARGE}))
    lines = text.splitlines()
    assert lines[0] == "hybrid" and lines[-2].startswith("pooled")
    assert "by 0.5000 in the smallest set (small) and by 0.1667 pooled" in lines[-1]


def test_a_set_without_in_scope_items_does_not_hide_what_a_question_weighs():
    only_out = report({"x": ("out_of_scope", True, None)})
    text = table("hybrid", rows({"off": only_out, "small": SMALL}))
    assert "by 0.5000 in the smallest set (small)" in text


def test_figures_cut_off_by_a_small_k_are_said_to_be_left_out():
    text = table("hybrid", rows({"a": report({"a": ("patient", False, "gold-a")}, k=3)}), k=3)
    assert "--k 3: figures cut off past 3 passages" in text
    assert "--k" not in table("hybrid", rows({"a": SMALL}))


def test_a_file_called_pooled_does_not_take_the_pool_s_name(tmp_path):
    paths = [tmp_path / "pooled_questions.jsonl", tmp_path / "fresh_questions.jsonl"]
    assert set_names(paths) == [str(p) for p in paths]
    assert set_names([tmp_path / "a_questions.jsonl", tmp_path / "b.jsonl"]) == ["a", "b"]


def test_a_set_named_twice_is_refused_before_anything_loads(tmp_path, capsys):
    """It was scored once and announced twice: "2 sets (110 questions)" over one set's rows."""
    link = tmp_path / "link.jsonl"
    link.symlink_to(PROJECT_SET)
    for again in (PROJECT_SET.parent / ".." / "questions" / PROJECT_SET.name, link):
        assert eval_main([str(PROJECT_SET), str(again)]) == 2
        assert f"{PROJECT_SET} and {again} name one file twice" in capsys.readouterr().err
    assert eval_main([str(PROJECT_SET), str(PROJECT_SET)]) == 2
    assert capsys.readouterr().err == f"error: {PROJECT_SET} is named twice; each set is scored once\n"
