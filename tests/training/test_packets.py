"""The writers' packets: which sections they ask about, and how many of each kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from training.cli import CAUSE_HEADINGS, WORRY_HEADINGS, build_parser
from training.packets import write_packets

CORPUS = Path(__file__).resolve().parents[2] / "training" / "corpus"


def _keys(folder: Path) -> list[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("packet_*.txt")))
    return re.findall(r"^----- KEY (\S+) \| (.*?) \| write (\d+) question", text, re.M)


def test_match_keeps_only_the_sections_whose_headings_it_finds(tmp_path):
    """The worry questions are asked of prognosis, follow-up and coping sections only."""
    quotas = write_packets(CORPUS, tmp_path, 3, each=2, match=re.compile(WORRY_HEADINGS, re.I))
    keys = _keys(tmp_path)
    assert len(keys) > 300 and sum(quotas) == 4 * len(keys)
    assert all(re.search(WORRY_HEADINGS, path, re.I) for _, path, _ in keys)
    assert any("prognosis" in path.lower() for _, path, _ in keys)
    assert not any(key.startswith("types-gi-neuroendocrine") for key, _, _ in keys), "the seed stays unseen"


def test_without_match_every_content_section_is_asked_about(tmp_path):
    write_packets(CORPUS, tmp_path / "all", 2, each=1)
    write_packets(CORPUS, tmp_path / "worry", 2, each=1, match=re.compile(WORRY_HEADINGS, re.I))
    every, worry = _keys(tmp_path / "all"), _keys(tmp_path / "worry")
    assert set(worry) < set(every) and len(every) > 3 * len(worry)


def test_a_bad_pattern_is_named_on_the_command_line(capsys):
    with pytest.raises(SystemExit):
        build_parser("").parse_args(["packets", "out", "--match", "prognos(is"])
    err = capsys.readouterr().err
    assert "argument --match" in err and "not a regular expression: 'prognos(is'" in err


@pytest.mark.parametrize("args, says", [(["--n", "0"], "argument --n: must be 1 or more, not 0"),
                                        (["--each", "-1"], "argument --each: must be 1 or more, not -1"),
                                        (["--n", "two"], "argument --n: not a whole number: 'two'")])
def test_a_count_below_one_is_named_on_the_command_line(capsys, args, says):
    """A bad-input review: --n 0 crashed in min(), --each -1 asked for minus 7,264 questions."""
    with pytest.raises(SystemExit):
        build_parser("").parse_args(["packets", "out", *args])
    assert says in capsys.readouterr().err


def test_worry_and_cause_name_their_questions_patterns():
    for name, pattern in (("worry", WORRY_HEADINGS), ("cause", CAUSE_HEADINGS)):
        args = build_parser("").parse_args(["packets", "out", "--match", name])
        assert args.match.pattern == pattern and args.match.flags & re.IGNORECASE
