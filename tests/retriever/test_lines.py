"""Line-per-record files: numbered lines, and a bad byte named by file, line and column."""

import pytest

from retriever.lines import LineError, numbered_lines


def test_lines_are_numbered_from_one_without_their_newlines(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\r\n\n{"b": "x\xe2\x80\xa8y"}\n')  # BOM, CRLF, U+2028 inside
    assert list(numbered_lines(path)) == [(1, '{"a": 1}'), (2, ""), (3, '{"b": "x\u2028y"}')]


def test_a_line_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes(b'{"a": 1}\n{"q": "caf\xe9"}\n')
    lines = numbered_lines(path)
    assert next(lines) == (1, '{"a": 1}')
    with pytest.raises(LineError, match=rf"{path}:2: not UTF-8 text \(bad byte at column 11\)"):
        next(lines)


def test_old_mac_line_endings_end_lines_too(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes(b'{"a": 1}\r{"b": 2}\r')
    assert list(numbered_lines(path)) == [(1, '{"a": 1}'), (2, '{"b": 2}')]


def test_the_column_of_a_bad_byte_counts_characters(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes("ab\u00e9".encode() + b"\xff\n")
    with pytest.raises(LineError, match=r":1: not UTF-8 text \(bad byte at column 4\)"):
        list(numbered_lines(path))
