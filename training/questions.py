"""Training questions: the committed JSONL, its validation, and the writers' raw TSV.

Each line pins one question to one content section (``section`` key and ``heading_path``)
and to the passage inside it (``evidence``, a verbatim quote of that section). Every
problem is reported as ``file:line: what``, so a writer can fix the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from retriever.lines import bad_lines, is_text, numbered_lines
from training.sections import ContentSection

STYLES = ("question", "query")
MAX_COPIED_WORDS = 8
_word = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


class QuestionFileError(ValueError):
    """A training-question file that cannot be used, naming file and line."""


@dataclass(frozen=True)
class TrainingQuestion:
    doc_id: str
    section: str
    heading_path: tuple[str, ...]
    question: str
    style: str
    evidence: str

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "heading_path": list(self.heading_path)},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> TrainingQuestion:
        """One JSONL line; ValueError naming the field that is missing or not text."""
        try:
            raw = json.loads(line)
        except RecursionError:
            raise ValueError("nested too deeply to be a question") from None
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object")
        if not is_text(raw):
            raise ValueError("holds an escape of half a character (\\ud800-\\udfff), not text")
        for name in ("doc_id", "section", "question", "style", "evidence"):
            if not isinstance(raw.get(name), str):
                raise ValueError(f"field {name!r} is missing or not text")
        path = raw.get("heading_path")
        if not isinstance(path, list) or not all(isinstance(h, str) for h in path):
            raise ValueError("field 'heading_path' is missing or not a list of headings")
        return cls(raw["doc_id"], raw["section"], tuple(path), raw["question"], raw["style"], raw["evidence"])


def words(text: str) -> list[str]:
    return _word.findall(text.lower())


def squash(text: str) -> str:
    """Text reduced to its words, for quote matching that ignores markup and spacing."""
    return " ".join(words(text))


def copied_run(question: str, source: str, n: int = MAX_COPIED_WORDS) -> str | None:
    """The first run of ``n`` consecutive question words that also stands in ``source``."""
    q = words(question)
    src = f" {squash(source)} "
    for i in range(len(q) - n + 1):
        run = " ".join(q[i:i + n])
        if f" {run} " in src:
            return run
    return None


def problem(q: TrainingQuestion, sections: dict[str, ContentSection]) -> str | None:
    """Why ``q`` cannot be used, or None."""
    sec = sections.get(q.section)
    if sec is None:
        return f"unknown section {q.section!r}"
    if tuple(q.heading_path) != sec.heading_path:
        return f"heading_path does not match section {q.section!r}"
    if q.style not in STYLES:
        return f"style {q.style!r} is not one of {', '.join(STYLES)}"
    n = len(words(q.question))
    if q.style == "query" and not 1 <= n <= 8:
        return f"a query has 1-8 words, this has {n}"
    if q.style == "question" and n < 3:
        return "a full question has at least 3 words"
    if len(words(q.evidence)) < 3 or squash(q.evidence) not in squash(sec.text):
        return "evidence is not a verbatim quote of its section"
    run = copied_run(q.question, sec.text)
    if run:
        return f"question copies {MAX_COPIED_WORDS}+ words of its section: {run!r}"
    return None


def read_questions(path: Path, sections: dict[str, ContentSection]) -> list[TrainingQuestion]:
    """Read and validate a JSONL file; raise naming every bad line (first 20)."""
    out: list[TrainingQuestion] = []
    errors: list[str] = []
    seen: set[tuple[str, str]] = set()
    for lineno, line in numbered_lines(path, QuestionFileError, errors):
        if not line.strip():
            continue
        try:
            q = TrainingQuestion.from_json(line)
        except ValueError as exc:
            errors.append(f"{path}:{lineno}: not a training question ({exc})")
            continue
        why = problem(q, sections)
        key = (q.doc_id, squash(q.question))
        if why is None and key in seen:
            why = "duplicate question for this summary"
        if why:
            errors.append(f"{path}:{lineno}: {why}")
            continue
        seen.add(key)
        out.append(q)
    if errors:
        raise QuestionFileError(bad_lines(errors))
    return out


def load_questions(path: Path) -> list[TrainingQuestion]:
    """Every question of a training-format file, not checked against the corpus (`read_questions`
    does that; here the index decides which count); lines that are not one raise
    `QuestionFileError` naming each."""
    out: list[TrainingQuestion] = []
    problems: list[str] = []
    for n, line in numbered_lines(path, QuestionFileError, problems):
        if not line.strip():
            continue
        try:
            out.append(TrainingQuestion.from_json(line))
        except ValueError as exc:
            problems.append(f"{path}:{n}: not a training question ({exc})")
    if problems:
        raise QuestionFileError(bad_lines(problems))
    if not out:
        raise QuestionFileError(f"{path}: no questions")
    return out


def from_raw_line(line: str, sections: dict[str, ContentSection]) -> TrainingQuestion:
    """One writer's line, ``key<TAB>style<TAB>question<TAB>evidence`` (or `` | `` between)."""
    sep = "\t" if "\t" in line else " | "
    parts = [p.strip() for p in line.rstrip("\n").split(sep)]
    if len(parts) != 4:
        raise ValueError(f"expected 4 tab-separated fields, found {len(parts)}")
    key, style, question, evidence = parts
    sec = sections.get(key)
    if sec is None:
        raise ValueError(f"unknown section key {key!r}")
    q = TrainingQuestion(sec.doc_id, key, sec.heading_path, question, style, evidence)
    why = problem(q, sections)
    if why:
        raise ValueError(why)
    return q


def read_raw(path: Path, sections: dict[str, ContentSection]
             ) -> Iterator[tuple[int, TrainingQuestion | None, str]]:
    """Each non-blank writer's line of ``path``: its number, its question or None, and why not."""
    for lineno, line in numbered_lines(path, QuestionFileError):
        if not line.strip():
            continue
        try:
            yield lineno, from_raw_line(line, sections), ""
        except ValueError as exc:
            yield lineno, None, str(exc)
