"""A section/evidence set checked against the index it is about to be scored on.

An item whose section is no heading of the index, whose quote no passage holds, or whose
quote also stands under a section it does not list would be scored, and its figures would
not mean what they say: a quote elsewhere makes that section's passages count as the
answer (`eval.questionset.is_relevant`). So every such item is named, with what the index
does hold (the nearest headings, the documents), and the run is refused.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rapidfuzz import fuzz, process

from eval.questionset import Question, QuestionSet, QuestionSetError, doc_matches, norm
from retriever.lines import bad_lines
from retriever.search import Retriever

# Documents an unknown ``doc`` lists in full; past this, only the nearest names.
LISTED_DOCS = 10


def _key(heading: str) -> str:
    """A heading as a person may type it: case, leading '#'s and a final period aside."""
    return heading.strip().lstrip("#").strip().rstrip(".").casefold()


def nearest(name: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The ``choices`` closest to ``name`` (one, when only case, '#'s or a final period differ).

    Word sets are compared (rapidfuzz's token_set_ratio), so a heading typed in part
    ("treatment of rectum tumors") finds the whole one."""
    by_key: dict[str, str] = {}
    for choice in choices:
        by_key.setdefault(_key(choice), choice)
    if _key(name) in by_key:
        return [by_key[_key(name)]]
    found = process.extract(_key(name), list(by_key), scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=60)
    return [by_key[key] for key, score, _ in found if score >= found[0][1] - 15]  # the close ones, not the rest


def _did_you_mean(names: list[str]) -> str:
    return f"; did you mean {' or '.join(map(repr, names))}?" if names else ""


def _unknown_doc(q: Question, qset: QuestionSet, retriever: Retriever, where: Path | str) -> str:
    ids = sorted({c.doc_id for c in retriever.chunks})
    listed = (f"its documents: {', '.join(ids)}" if len(ids) <= LISTED_DOCS
              else f"nearest: {', '.join(nearest(q.doc, ids)) or 'none close'}; GET /api/documents lists all")
    return (f"{qset.path}:{q.line}: unknown doc {q.doc!r} in item {q.id} (no document of {where} has that id, "
            f"file name or path; {listed})")


def _held(quote: str, rows: list[int], texts: list[str], retriever: Retriever) -> tuple[set[str], set[str]]:
    """The sections of ``rows`` whose passages hold ``quote``, and those whose heading does
    (a heading stands in its section of the summary, not in the passages under it)."""
    quote = norm(quote)
    in_passages = {retriever.chunks[i].section for i in rows if quote in texts[i]}
    in_headings = {s for s in {retriever.chunks[i].section for i in rows} if quote in norm(s)}
    return in_passages, in_headings


def _quote_problems(q: Question, qset: QuestionSet, held: dict[str, tuple[set[str], set[str]]], of: str
                    ) -> list[str]:
    """A quote no passage holds, and one that stands under none of the item's sections
    (``held``: each quote's `_held`): its label is wrong, and the quote alone makes another
    section's passage count as the answer."""
    problems = []
    for e, (in_passages, in_headings) in held.items():
        if not in_passages:
            problems.append(f"{qset.path}:{q.line}: evidence quote {e!r} of item {q.id} is in no passage of {of} "
                            f"(compared with whitespace, case and quotes folded; copy quotes from the summary as "
                            f"indexed)")
        elif q.sections and not (in_passages | in_headings) & set(q.sections):
            problems.append(f"{qset.path}:{q.line}: evidence quote {e!r} of item {q.id} stands under "
                            f"{', '.join(map(repr, sorted(in_passages)))}, not under its sections "
                            f"({', '.join(map(repr, q.sections))}): fix 'sections' or the quote")
    return problems


_TEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _texts(retriever: Retriever) -> list[str]:
    """Every passage's text as quotes are compared (`norm`), made once per retriever: the
    check and the note read them for every set scored, 0.17 s a time over the corpus."""
    if retriever not in _TEXTS:
        _TEXTS[retriever] = [norm(c.text) for c in retriever.chunks]
    return _TEXTS[retriever]


def _rows(qset: QuestionSet, retriever: Retriever) -> dict[str, list[int]]:
    """The passages each item's ``doc`` names ("" for items without one: every passage)."""
    rows = {doc: [i for i, c in enumerate(retriever.chunks) if doc_matches(doc, c.source)]
            for doc in {q.doc for q in qset.questions if q.doc}}
    return rows | {"": list(range(len(retriever.chunks)))}


def _unknown_section(qset: QuestionSet, q: Question, section: str, chunks: list, any_of: str) -> str:
    """Why ``section`` judges no passage: a heading whose text all stands under the headings
    below it ("Treatment Option Overview"), or no heading at all (with the nearest ones)."""
    below = list(dict.fromkeys(c.section for c in chunks if section in c.heading_path[:-1]))
    if below:
        shown = ", ".join(map(repr, below[:4])) + (", ..." if len(below) > 4 else "")
        return (f"{qset.path}:{q.line}: section {section!r} in item {q.id} is a heading with no text of its own; "
                f"name the section(s) under it that answer the item: {shown}")
    return (f"{qset.path}:{q.line}: unknown section {section!r} in item {q.id} (not a heading of {any_of})"
            f"{_did_you_mean(nearest(section, {c.section for c in chunks}))}")


def index_problems(qset: QuestionSet, retriever: Retriever, index_name: Path | str | None = None) -> list[str]:
    """Every item of ``qset`` that names a section, quote or document the index does not
    hold, or a quote under none of its sections, one ``file:line: why`` each.

    ``index_name`` is the index as the user named it (default: the folder it resolved to).
    """
    where = index_name or retriever.index_dir
    if qset.style == "medquad":
        sources = {c.source.rsplit("/", 1)[-1] for c in retriever.chunks}
        wanted = {q.doc_source for q in qset.questions}
        return [] if wanted & sources else [f"{qset.path}: none of its documents ({len(wanted)}) are in the "
                                            f"index {where}; ingest the matching corpus"]
    texts = _texts(retriever)
    by_doc, problems = _rows(qset, retriever), []
    for q in qset.questions:
        if not (rows := by_doc[q.doc]):
            problems.append(_unknown_doc(q, qset, retriever, where))
            continue
        sections = {retriever.chunks[i].section for i in rows}
        of, any_of = (f"document {q.doc} in {where}",) * 2 if q.doc else (where, f"any document in {where}")
        problems += [_unknown_section(qset, q, s, [retriever.chunks[i] for i in rows], any_of)
                     for s in q.sections if s not in sections]
        held = {e: _held(e, rows, texts, retriever) for e in q.evidence}
        problems += _quote_problems(q, qset, held, of)
    return problems


def stray_quotes_note(qset: QuestionSet, retriever: Retriever) -> str:
    """A note ("" when none applies) for quotes that stand under one of their item's sections
    and under another too (a "Key Points" list repeating a line): a passage there counts as
    the answer as well, which the format does not mean (each quote under its sections only)."""
    if qset.style != "sections":
        return ""
    texts, by_doc = _texts(retriever), _rows(qset, retriever)
    stray = [(q, e, extra) for q in qset.questions if q.sections for e in q.evidence
             if (extra := sorted(_held(e, by_doc.get(q.doc, []), texts, retriever)[0] - set(q.sections)))]
    if not stray:
        return ""
    q, e, extra = stray[0]
    return (f"note: {len(stray)} evidence quote(s) of {qset.path} also stand under a section their item does not "
            f"list, so a passage there counts as the answer too (as {e!r} of item {q.id}, line {q.line}, under "
            f"{', '.join(map(repr, extra))}); quote words found only under the item's sections\n")


def shared_sections_note(qset: QuestionSet, retriever: Retriever) -> str:
    """A note ("" when none applies) for items without ``doc`` naming a heading that several
    documents of the index have: a passage of any of them counts as the answer."""
    docs_of: dict[str, set[str]] = defaultdict(set)
    for c in retriever.chunks:
        docs_of[c.section].add(c.doc_id)
    loose = [q for q in qset.questions if q.in_scope and not q.doc and any(len(docs_of[s]) > 1 for s in q.sections)]
    if not loose:
        return ""
    shared = next(s for s in loose[0].sections if len(docs_of[s]) > 1)
    return (f"note: {len(loose)} item(s) of {qset.path} name a section that several documents of the index have "
            f"(as {shared!r}, item {loose[0].id}), so a passage of any of them counts; give such an item \"doc\" "
            f"(its document's id) to judge it against its own\n")


def _repeats(q: Question, parents: dict[tuple[str, str], set[tuple[str, ...]]]) -> set[str]:
    """The item's sections that its document (any, without ``doc``) repeats under other headings."""
    return {s for (source, s), where in parents.items()
            if s in q.sections and len(where) > 1 and (not q.doc or doc_matches(q.doc, source))}


def _above(path: tuple[str, ...] | list[str], section: str) -> tuple[str, ...]:
    """The headings above ``section`` in a passage's path: a bold label under it ("Duodenum")
    is no other place the section stands (an evaluator's trial was told to drop the sections
    of an item naming the seed's "Some GI neuroendocrine tumors have no signs…")."""
    at = max((i for i, h in enumerate(path) if h == section), default=len(path) - 1)
    return tuple(path[:at])


def repeated_heading_note(qset: QuestionSet, retriever: Retriever) -> str:
    """A note ("" when none applies) for items naming a heading that one document repeats over
    different parts ("Key Points" heads each part of a PDQ summary): a passage under any of them
    counts, whatever the item's quotes say (`questionset.is_relevant` reads either)."""
    parents: dict[tuple[str, str], set[tuple[str, ...]]] = defaultdict(set)
    for c in retriever.chunks:
        parents[(c.source, c.section)].add(_above(c.heading_path, c.section))
    loose = [q for q in qset.questions if q.in_scope and _repeats(q, parents)]
    if not loose:
        return ""
    named = sorted(_repeats(loose[0], parents))[0]
    return (f"note: {len(loose)} item(s) of {qset.path} name a heading that a document repeats under other "
            f"headings (as {named!r}, item {loose[0].id}), so a passage under any of them counts; judge such an "
            f"item by an evidence quote alone (\"sections\": [])\n")


def index_message(qset: QuestionSet, retriever: Retriever, index_name: Path | str | None = None) -> str:
    """`index_problems` as one message ("" when there are none): one problem as it is, more
    under a count, the first `bad_lines` shows, then how many more."""
    problems = index_problems(qset, retriever, index_name)
    if len(problems) < 2:
        return "".join(problems)
    items = len({p.split(": ", 1)[0] for p in problems})  # "file:line": an item may miss a section and a quote
    counted = f"{items} items" if items == len(problems) else f"{items} item(s) ({len(problems)} problems)"
    return (f"{qset.path}: {counted} do not match the index {index_name or retriever.index_dir}:\n"
            f"{bad_lines(problems)}")


def check_against_index(qset: QuestionSet, retriever: Retriever, index_name: Path | str | None = None) -> None:
    """Fail early, naming every item the index cannot judge (`index_problems`)."""
    if message := index_message(qset, retriever, index_name):
        raise QuestionSetError(message)
