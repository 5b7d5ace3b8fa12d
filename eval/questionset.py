"""Question sets: the section/evidence format and the MedQuAD-style format.

Section/evidence items (``id, question, kind, sections, evidence``) are judged per passage:
a passage is relevant when its ``section`` is one of the item's sections or its text
contains one of the evidence quotes (whitespace, case and curly quotes folded). An optional
``doc`` (the document's id, file name or path) keeps both to that document: on an index of several
summaries, "Surgery" is a heading of many.

MedQuAD-style items (``question, answer, pdq_corpus_file``) are judged twice: by document
(the passage comes from ``pdq_corpus_file``) and by passage (at least half of the passage's
word trigrams also stand in the gold answer, so the passage says what the answer says).
Their optional ``focus`` (the subject asked about) groups them by whether one summary or
several are about it (`eval.runner.focus_groups`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath

from eval.fileshape import file_shape, line_hint
from ingest.sources import doc_id_for
from retriever.lines import bad_lines, is_text, numbered_lines
from retriever.text import field_meant, fold, straighten_quotes

KINDS_OUT = "out_of_scope"
KINDS = ("patient", "typo", "staff", KINDS_OUT)  # of the section/evidence format
FIELDS = ("id", "question", "kind", "sections", "evidence", "doc")  # of that format; a writer may add others
DOC_NAMES = ("docid", "document", "documentid")  # "doc" as other formats write it (`_doc_named_otherwise`)


class QuestionSetError(ValueError):
    """A malformed question set: the message names the file, line and field.

    ``partial`` holds the set's good lines when some were bad, so that they can still be
    checked against the index in the same run (`eval.indexcheck.index_problems`)."""

    def __init__(self, message: str, partial: QuestionSet | None = None):
        super().__init__(message)
        self.partial = partial


def norm(text: str) -> str:
    """Fold curly quotes, whitespace and case, as quotes are compared."""
    return fold(straighten_quotes(text))


# The format's quotes are 5 to 25 words: "sun" alone would count many passages as answers.
MIN_QUOTE_WORDS = 5


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    kind: str
    sections: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    answer: str = ""
    doc_source: str = ""
    line: int = 0
    focus: str = ""  # MedQuAD's subject of the question ("Prostate Cancer"), when the set gives one
    doc: str = ""  # the document a section/evidence item is about (its id or file name), when given

    @property
    def in_scope(self) -> bool:
        return self.kind != KINDS_OUT


@dataclass
class QuestionSet:
    path: Path
    style: str  # "sections" or "medquad"
    questions: list[Question] = field(default_factory=list)
    skipped: int = 0


# A field's type as a set's writer knows it: JSON's words, not Python's.
JSON_TYPES = {str: "text (a JSON string, in double quotes)", list: "a list (a JSON array, in [ ])"}


def _require(obj: dict, name: str, kind: type, where: str):
    if name not in obj:
        raise QuestionSetError(f"{where}: missing field '{name}'")
    value = obj[name]
    if not isinstance(value, kind):
        raise QuestionSetError(f"{where}: field '{name}' must be {JSON_TYPES.get(kind, kind.__name__)}")
    return value


def _str_list(obj: dict, name: str, where: str) -> tuple[str, ...]:
    value = _require(obj, name, list, where)
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise QuestionSetError(f"{where}: field '{name}' must be a list of non-empty texts (JSON strings)")
    return tuple(value)


def load_questions(path: Path) -> QuestionSet:
    """Read a JSONL question set of either style (decided by its first item).

    Raises:
        QuestionSetError: a line not UTF-8 or not JSON, a missing or mistyped field, a
            duplicate id; every bad line is named (`retriever.lines.bad_lines`).
    """
    if path.is_dir():
        raise QuestionSetError(f"{path}: a folder; give one question file (JSONL) in it")
    if not path.is_file():
        raise QuestionSetError(f"{path}: no such file")
    if shape := file_shape(path):
        raise QuestionSetError(shape)
    qset: QuestionSet | None = None
    ids: dict[str, int] = {}  # id -> the line that first gave it
    problems: list[str] = []
    for n, line in numbered_lines(path, QuestionSetError, problems):
        if not line.strip():
            continue
        try:
            obj = _object(line, f"{path}:{n}")
            if qset is None:
                qset = QuestionSet(path, "medquad" if "answer" in obj and "sections" not in obj else "sections")
            question = _question(obj, f"{path}:{n}", n, qset, ids)
        except QuestionSetError as exc:
            problems.append(str(exc))
            continue
        if question is None:
            qset.skipped += 1
        else:
            qset.questions.append(question)
    partial = qset if qset is not None and qset.questions else None
    if len(problems) == 1:
        raise QuestionSetError(problems[0], partial)
    if problems:
        raise QuestionSetError(f"{path}: {len(problems)} lines are not questions:\n{bad_lines(problems)}", partial)
    if qset is None or not qset.questions:
        raise QuestionSetError(f"{path}: no questions (it is empty or blank); write one JSON object a line, "
                               "as eval/questions/README.md's \"Format\" shows")
    return qset


def _object(line: str, where: str) -> dict:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        hint = line_hint(line, exc.colno)  # said beside JSON's own reason, never instead of it
        reason = exc.msg.removesuffix(" at") + (f"; {hint}" if hint else "")
        raise QuestionSetError(f"{where}: not valid JSON at column {exc.colno} ({reason})") from None
    except RecursionError:
        raise QuestionSetError(f"{where}: JSON nested too deeply") from None
    if not isinstance(obj, dict):
        raise QuestionSetError(f"{where}: expected a JSON object")
    if not is_text(obj):
        raise QuestionSetError(f"{where}: holds an escape of half a character (\\ud800-\\udfff), not text")
    return obj


def _question(obj: dict, where: str, n: int, qset: QuestionSet, ids: dict[str, int]) -> Question | None:
    """One line's question (None: a MedQuAD pair without its page, skipped and counted)."""
    if qset.style == "sections":
        _no_misspelt_field(obj, where)
        qid = _require(obj, "id", str, where)
        if not qid.strip():
            raise QuestionSetError(f"{where}: field 'id' is empty")
    else:  # MedQuAD's own files name their pairs; other such sets need not
        qid = str(obj.get("id", f"line{n}"))
    if qid in ids:
        raise QuestionSetError(f"{where}: duplicate id {qid!r} (first on line {ids[qid]})")
    ids[qid] = n
    text = _require(obj, "question", str, where)
    if not text.strip():
        raise QuestionSetError(f"{where}: field 'question' is empty")
    if qset.style == "medquad":
        source = obj.get("pdq_corpus_file")
        if not source:
            return None
        if not isinstance(source, str):
            raise QuestionSetError(f"{where}: field 'pdq_corpus_file' must be a file name")
        return Question(qid, text, str(obj.get("qtype") or "medquad"), answer=_require(obj, "answer", str, where),
                        doc_source=Path(source).name, line=n, focus=str(obj.get("focus") or "").strip().lower())
    kind = _require(obj, "kind", str, where)
    if kind not in KINDS:
        raise QuestionSetError(f"{where}: field 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    sections = _str_list(obj, "sections", where)
    evidence = _str_list(obj, "evidence", where)
    if short := next((e for e in evidence if len(e.split()) < MIN_QUOTE_WORDS), None):
        raise QuestionSetError(f"{where}: evidence quote {short!r} of item {qid} is under {MIN_QUOTE_WORDS} "
                               f"words; a shorter quote is found in passages that do not answer")
    if kind == KINDS_OUT and (sections or evidence):
        raise QuestionSetError(f"{where}: out_of_scope item {qid} has sections or evidence")
    if kind != KINDS_OUT and not sections and not evidence:
        raise QuestionSetError(f"{where}: in-scope item {qid} has neither sections nor evidence")
    _doc_named_otherwise(obj, where)
    doc = obj.get("doc", "")
    if not isinstance(doc, str) or (doc and not doc.strip()) or (doc and kind == KINDS_OUT):
        raise QuestionSetError(f"{where}: field 'doc' of item {qid} must name the document its sections are in "
                               f"(its id, as GET /api/documents lists it, its file name or path), and only for an "
                               f"in-scope item")
    return Question(qid, text, kind, sections, evidence, line=n, doc=doc.strip())


def _no_misspelt_field(obj: dict, where: str) -> None:
    """A field named almost as one of `FIELDS` ("evidnce", "Sections", "docs": `field_meant`)
    is a slip, not a field of the writer's own: unread, it changed what counted as the answer
    without a word."""
    for name in obj:
        if name not in FIELDS and (meant := field_meant(name, FIELDS, obj)):
            raise QuestionSetError(f"{where}: unknown field {name!r}; did you mean {meant!r}?")


def _doc_named_otherwise(obj: dict, where: str) -> None:
    """The document named as other sets name it ("doc_id", "document"), where this format
    reads "doc": the item was judged against every document without a word. Read once the
    item is one of this format, so that a file of another (a training file's "doc_id") is
    told what it lacks first."""
    named = next((n for n in obj if re.sub(r"[^a-z]", "", n.lower()) in DOC_NAMES), None)
    if named and "doc" not in obj:
        raise QuestionSetError(f"{where}: unknown field {named!r}; the document an answer is in is named by 'doc'")


def doc_matches(doc: str, source: str) -> bool:
    """Whether an item's ``doc`` names the document read from ``source`` (its path in the
    folder ingested): by its id, its file name, or a path ending in that path, as a user
    copies it from a shell (``seeds/x.md`` or ``/home/me/seeds/x.md`` for ``x.md``)."""
    if doc in (doc_id_for(source), source, PurePosixPath(source).name):
        return True
    given, held = PurePath(doc).parts, PurePosixPath(source).parts
    return len(given) >= len(held) and given[-len(held):] == held


def _trigrams(text: str) -> set[tuple[str, ...]]:
    w = re.findall(r"[a-z0-9]+", norm(text))
    return {tuple(w[i:i + 3]) for i in range(len(w) - 2)}


def passage_in_answer(passage: str, answer: str, share: float = 0.5) -> bool:
    """True when at least ``share`` of the passage's word trigrams stand in the answer."""
    p = _trigrams(passage)
    return bool(p) and len(p & _trigrams(answer)) / len(p) >= share


def is_relevant(q: Question, section: str, text: str, source: str, level: str = "passage") -> bool:
    """Relevance of one passage to one question (see the module docstring)."""
    if not q.in_scope:
        return False
    if q.doc_source:
        if Path(source).name != q.doc_source:
            return False
        return level == "document" or passage_in_answer(text, q.answer)
    if q.doc and not doc_matches(q.doc, source):
        return False  # the same heading in another summary ("Surgery") is not this item's
    if section in q.sections:
        return True
    t = norm(text)
    return any(norm(e) in t for e in q.evidence)
