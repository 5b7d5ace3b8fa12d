"""The "dose" reading benchmark: what counts as read right, and its command line."""

from eval.bench.dose import noun_read_right, score, slip_read_right


def test_a_noun_line_is_right_when_no_dose_reads_as_the_slip():
    assert noun_read_right("what dose of octreotide is usual")
    assert not noun_read_right("how dose an MRI work")


def test_a_slip_line_needs_each_slip_read_and_each_marked_dose_left():
    assert slip_read_right("how dose an MRI work")
    assert slip_read_right("dose the MRI use radiation like an xray {dose}")
    assert not slip_read_right("what dose of octreotide is usual")  # the plain dose is no slip


def test_the_score_counts_lines_and_the_questions_the_planner_rewrites():
    s = score(["octreotide dose", "how dose it work"], ["dose it hurt", "dose it hurt and what {dose} of it"])
    assert s == {"nouns": 2, "nouns_right": 1, "nouns_rewritten": 1,
                 "slips": 2, "slips_right": 2, "slips_rewritten": 1}  # a question with a real dose stays as typed


def test_the_command_reports_each_pair_and_names_a_folder_without_one(tmp_path, capsys):
    from eval.bench.__main__ import main

    (tmp_path / "x_nouns.txt").write_text("octreotide dose\n", encoding="utf-8")
    (tmp_path / "x_slips.txt").write_text("how dose it work\n", encoding="utf-8")
    assert main(["dose", str(tmp_path)]) == 0
    assert "| x | 1 / 1 | 0 | 1 / 1 | 1 |" in capsys.readouterr().out
    assert main(["dose", str(tmp_path / "none")]) == 2
    assert "no NAME_nouns.txt with its NAME_slips.txt" in capsys.readouterr().err
