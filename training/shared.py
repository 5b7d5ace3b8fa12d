"""Questions about the sections every summary shares, under "About This PDQ Summary".

The lay questions cover each summary's own content only (`training.sections` skips the
shared tail), so the model never learnt that "is there someone I can call" is answered by
Clinical Trial Information (it gives the Cancer Information Service's number) or "is this
page telling me which treatment to pick" by Purpose of This Summary. Helpers wrote
questions for those seven sections once (`questions/BOILERPLATE_BRIEF.md`); each is
attached to one training summary's copy of its section, chosen by a hash of the question,
so that the same file gives the same pairs and the questions spread over the batches as
the lay questions do. `python -m training train --shared` uses them; the shipped model
does not (measured: docs/model.md, "Questions about the shared sections").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from retriever.lines import numbered_lines
from retriever.models import Chunk
from training.data import is_validation
from training.questions import STYLES, QuestionFileError, TrainingQuestion, copied_run, squash

PARENT = "About This PDQ Summary"
HEADINGS = ("About PDQ", "Purpose of This Summary", "Reviewers and Updates", "Clinical Trial Information",
            "Permission to Use This Summary", "Disclaimer", "Contact Us")
KEYS = ("heading", "question", "style", "evidence")


@dataclass(frozen=True)
class SharedQuestion:
    heading: str
    question: str
    style: str
    evidence: str
    line: int


def read_shared(path: Path) -> list[SharedQuestion]:
    """Every line of ``path``, checked for its keys, heading and style, and against
    duplicates; a bad line is named as ``file:line: what``."""
    out, seen = [], {}
    for n, raw in numbered_lines(path, QuestionFileError):
        if not raw.strip():
            continue
        try:
            d = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise QuestionFileError(f"{path}:{n}: not JSON ({exc.msg})") from exc
        if not isinstance(d, dict) or sorted(d) != sorted(KEYS) or not all(isinstance(d[k], str) and d[k].strip()
                                                                           for k in KEYS):
            raise QuestionFileError(f"{path}:{n}: needs exactly the text fields {', '.join(KEYS)}")
        if d["heading"] not in HEADINGS:
            raise QuestionFileError(f"{path}:{n}: heading {d['heading']!r} is not one of {', '.join(HEADINGS)}")
        if d["style"] not in STYLES:
            raise QuestionFileError(f"{path}:{n}: style {d['style']!r} is not one of {', '.join(STYLES)}")
        key = squash(d["question"])
        if key in seen:
            raise QuestionFileError(f"{path}:{n}: repeats the question of line {seen[key]}")
        seen[key] = n
        out.append(SharedQuestion(d["heading"], d["question"], d["style"], d["evidence"], n))
    return out


def attach(questions: list[SharedQuestion], chunks: dict[str, list[Chunk]], path: Path) -> list[TrainingQuestion]:
    """Each question pinned to one training summary's copy of its section that holds its
    evidence: the first such summary from a place picked by a hash of the question."""
    docs = sorted(d for d in chunks if not is_validation(d))
    if questions and not docs:
        raise QuestionFileError(f"{path}: the corpus holds no training summary to attach its questions to")
    out = []
    for q in questions:
        start = int(hashlib.sha256(q.question.encode()).hexdigest(), 16) % len(docs)
        found = next((c for d in docs[start:] + docs[:start] for c in chunks[d]
                      if c.section == q.heading and PARENT in c.heading_path
                      and squash(q.evidence) in squash(c.text)),
                     None)
        if found is None:
            raise QuestionFileError(f"{path}:{q.line}: no training summary's {q.heading!r} section "
                                    f"has the evidence {q.evidence!r}")
        run = copied_run(q.question, found.text)
        if run:
            raise QuestionFileError(f"{path}:{q.line}: copies 8 or more words of its section: {run!r}")
        out.append(TrainingQuestion(found.doc_id, f"{found.doc_id}/{q.heading}", tuple(found.heading_path),
                                    q.question, q.style, q.evidence))
    return out
