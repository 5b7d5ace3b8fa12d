"""Run a retriever over a question set and score it."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass, field

from eval.metrics import ir_metrics, latency, per_question_rr, share
from eval.questionset import Question, QuestionSet, is_relevant, norm
from retriever.models import Chunk, SearchResult
from retriever.search import Retriever
from retriever.text import strip_list_marker

OVERALL = "in_scope"
FOCUS_ONE, FOCUS_SEVERAL = "focus_one_summary", "focus_several_summaries"


@dataclass
class ModeReport:
    mode: str
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)  # group -> metric -> value
    abstention: dict[str, float] = field(default_factory=dict)
    latency: dict[str, float] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # Each question's outcome, so that several sets can be scored as one (`eval.pooled`):
    # its kind, whether it was refused, the passages returned and, in scope, the relevant
    # ones at the set's finest level (passage).
    k: int = 10
    kinds: dict[str, str] = field(default_factory=dict)
    refused: dict[str, bool] = field(default_factory=dict)
    run: dict[str, dict[str, float]] = field(default_factory=dict)
    qrels: dict[str, dict[str, int]] = field(default_factory=dict)
    # Each question's outcome as `python -m eval.compare` reads it from ``--json``: kind,
    # refused, and the rank of its first relevant passage at each level (None: not retrieved).
    outcomes: dict[str, dict] = field(default_factory=dict)


def wording(question: str) -> str:
    """A short hash of a question's text: `eval.compare` tells an edited question from a
    changed result without the report holding the text."""
    return hashlib.sha1(question.encode()).hexdigest()[:12]


def labels(q: Question) -> str:
    """A short hash of what counts as a question's answer and how it is grouped (its sections,
    evidence, document, MedQuAD answer, source and focus): `eval.compare` refuses runs whose
    labels were edited between them, which it would count as passages won and lost (an
    evaluator's trial)."""
    labelled = ["\t".join(q.sections), "\t".join(q.evidence), q.doc, q.doc_source]
    return wording("\n".join(labelled + [f for f in (q.answer, q.focus) if f]))  # as before both were read


def first_relevant(run: dict[str, float], relevant: dict[str, int], k: int) -> int | None:
    """Rank of the first relevant passage of one question's run (scored ``k + 1 - rank``), or None."""
    ranks = [k + 1 - int(score) for chunk, score in run.items() if relevant.get(chunk)]
    return min(ranks) if ranks else None


def label(chunk: Chunk, words: int = 8) -> str:
    """A returned passage as a miss lists it: its section and opening words, which tell apart
    two passages of one section ("Chemotherapy" twice)."""
    opening = strip_list_marker(chunk.text.lstrip()).split()
    return f"{chunk.section} | {' '.join(opening[:words])}" + (" ..." if len(opening) > words else "")


def focus_groups(questions: list[Question]) -> dict[str, list[Question]]:
    """MedQuAD questions split by whether their subject is asked of one summary or of several.

    MedQuAD asks its templates of each page: "Who is at risk for Prostate Cancer?" of the
    prevention, screening and treatment summaries alike, and its gold is the page it came
    from. Where several summaries answer the same question, putting the gold one first is
    partly chance, so the two groups are reported apart. Questions without a focus: none.
    """
    sources: dict[str, set[str]] = defaultdict(set)
    for q in questions:
        if q.focus and q.in_scope:
            sources[q.focus].add(q.doc_source)
    out: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        if q.focus and q.in_scope:
            out[FOCUS_SEVERAL if len(sources[q.focus]) > 1 else FOCUS_ONE].append(q)
    return dict(out)


def document_ceiling(questions: list[Question]) -> tuple[int, int]:
    """How many in-scope MedQuAD questions any ranking can put right first, and of how many.

    MedQuAD repeats a question word for word with another page as its gold ("Who is at risk
    for Skin Cancer?" of the prevention and the screening summary): whichever summary comes
    first, the other question is a miss. Per wording, only its commonest gold can be first.
    """
    golds: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        if q.in_scope and q.doc_source:
            golds[norm(q.question)].append(q.doc_source)
    best = sum(max(map(sources.count, sources)) for sources in golds.values())
    return best, sum(map(len, golds.values()))


def _qrels(qset: QuestionSet, retriever: Retriever, level: str) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for q in qset.questions:
        if not q.in_scope:
            continue
        rel = {c.id: 1 for c in retriever.chunks if is_relevant(q, c.section, c.text, c.source, level)}
        qrels[q.id] = rel or {"__unreachable__": 1}
    return qrels


def evaluate(qset: QuestionSet, retriever: Retriever, mode: str, k: int = 10,
             failures: int = 0) -> ModeReport:
    """Search every question once in ``mode`` and compute all metrics.

    For MedQuAD-style sets the metrics are reported twice: by document and by passage.
    """
    levels = ["document", "passage"] if qset.style == "medquad" else ["passage"]
    qrels = {lvl: _qrels(qset, retriever, lvl) for lvl in levels}
    run: dict[str, dict[str, float]] = {}
    results: dict[str, SearchResult] = {}
    times: list[float] = []
    if qset.questions:  # untimed: the first search's lazy loads are no question's latency
        retriever.search(qset.questions[0].question, k=k, mode=mode)
    for q in qset.questions:
        t0 = time.perf_counter()
        res = results[q.id] = retriever.search(q.question, k=k, mode=mode)
        times.append((time.perf_counter() - t0) * 1000)
        run[q.id] = {h.chunk.id: float(k + 1 - h.rank) for h in res.hits}
    abstained = {q: res.abstained for q, res in results.items()}

    report = ModeReport(mode=mode, latency=latency(times), k=k, kinds={q.id: q.kind for q in qset.questions},
                        refused=abstained, run=run, qrels=qrels[levels[-1]])
    groups: dict[str, list[Question]] = defaultdict(list)
    for q in qset.questions:
        if q.in_scope:
            groups[OVERALL].append(q)
            groups[q.kind].append(q)
    for name, qs in focus_groups(qset.questions).items():
        groups[name] = qs
    for lvl in levels:
        for group, qs in groups.items():
            name = group if len(levels) == 1 else f"{group}/{lvl}"
            sub = {q.id: qrels[lvl][q.id] for q in qs}
            report.metrics[name] = ir_metrics(sub, run, k)
            report.counts[name] = len(qs)
    inscope = [q for q in qset.questions if q.in_scope]
    outscope = [q for q in qset.questions if not q.in_scope]
    report.abstention = {"out_of_scope_abstained": share([abstained[q.id] for q in outscope]),
                         "in_scope_abstained": share([abstained[q.id] for q in inscope])}
    report.counts["out_of_scope"] = len(outscope)
    report.outcomes = {q.id: {"kind": q.kind, "refused": abstained[q.id], "wording": wording(q.question),
                              "labels": labels(q),
                              "rank": {lvl: first_relevant(run[q.id], qrels[lvl][q.id], k) if q.in_scope else None
                                       for lvl in levels}}
                       for q in qset.questions}
    if failures:
        report.failures = misses(qset, results, run, qrels[levels[-1]], failures, retriever.threshold)
    return report


def refusal(res: SearchResult, relevant: dict[str, int], threshold: float) -> dict:
    """Why an answerable question was refused, and how near it came: its confidence against
    the threshold, what vetoed it, and the rank of its first relevant passage among those
    the search held back (None: not among them), which tells a near miss from a far one."""
    ev = res.evidence
    vetoes = [why for why, on in (("a figure no passage gives", ev and ev.figure_missing),
                                  ("a provider no passage names", ev and ev.provider_missing),
                                  ("not about cancer (domain check)", ev and ev.everyday),
                                  ("an animal's health (animal check)", ev and ev.animal),
                                  ("no word of it found", ev and ev.nothing_found)) if on]
    vetoes += [f"topic missing: {t}" for t in (ev.topics_missing if ev else ())]
    return {"confidence": round(res.confidence, 3), "threshold": round(threshold, 3), "held_back": len(res.withheld),
            "held_back_rank": next((n for n, h in enumerate(res.withheld, 1) if relevant.get(h.chunk.id)), None),
            "vetoes": vetoes}


def misses(qset: QuestionSet, results: dict[str, SearchResult], run: dict[str, dict[str, float]],
           qrels: dict[str, dict[str, int]], n: int, threshold: float) -> list[dict]:
    """The ``n`` answerable questions ranked worst (a refused one with `refusal`, its top
    passages those held back), then up to ``n`` out-of-scope ones answered."""
    inscope = [q for q in qset.questions if q.in_scope]
    rr = per_question_rr({q.id: qrels[q.id] for q in inscope}, run)
    # Each passage's file where the passages come from several: two summaries have sections of one name.
    several = len({h.chunk.source for res in results.values() for h in [*res.hits, *res.withheld]}) > 1

    def named(chunk: Chunk) -> str:
        return label(chunk) + (f" [{chunk.source}]" if several else "")
    out = []
    for q in sorted(inscope, key=lambda q: (rr.get(q.id, 0.0), q.id))[:n]:
        if rr.get(q.id, 0.0) >= 1.0:
            break
        res = results[q.id]
        shown = (res.withheld if res.abstained else res.hits)[:3]
        out.append({"id": q.id, "question": q.question, "rr": rr.get(q.id, 0.0),
                    "gold": list(q.sections) or [q.doc_source], "abstained": res.abstained,
                    "top": [named(h.chunk) for h in shown]}
                   | ({"refusal": refusal(res, qrels[q.id], threshold)} if res.abstained else {}))
    for q in qset.questions:
        if not q.in_scope and not results[q.id].abstained and len(out) < 2 * n:
            out.append({"id": q.id, "question": q.question, "rr": None, "gold": ["(out of scope: should abstain)"],
                        "abstained": False, "top": [named(h.chunk) for h in results[q.id].hits[:3]]})
    return out
