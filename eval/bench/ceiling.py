"""How far re-weighting the retriever's own rankings can go on a question set.

Before tuning fusion weights again, it is worth knowing whether any weighting of the
signals the retriever already has could put the right passage first. This benchmark
describes every candidate of every question by those signals (dense cosine, best-sentence
cosine, BM25 score, each ranking's reciprocal rank, the boilerplate flag) and fits a
linear scorer over them with a listwise softmax loss:

- **fit on the set itself**: the weights that suit these very questions best. This is an
  optimistic ceiling: if it stays below a target, no re-weighting reaches the target and
  the retriever needs a new signal (a reranker, a better model), not more tuning;
- **cross-validated**: fit on the other folds, scored on the held fold; the honest estimate
  of what learned weights would give on new questions.

Both are compared with the shipped order (the learned ranker's, when the model ships one)
on the same candidates, abstention off. Only
section/evidence question sets are supported (one document, passage relevance).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from eval.questionset import Question, QuestionSet, QuestionSetError, is_relevant
from retriever.search import Retriever

FEATURES = ("dense cosine", "sentence cosine", "bm25 / best bm25", "dense 1/(k+rank)",
            "sentence 1/(k+rank)", "bm25 1/(k+rank)", "boilerplate")
# Never reached by a real confidence (best cosine minus penalties lies above -2).
NO_ABSTENTION = -10.0


@dataclass
class Candidates:
    """One question's candidate passages: features, relevance and the shipped order."""

    ids: list[int]
    features: np.ndarray  # (len(ids), len(FEATURES))
    relevant: np.ndarray  # bool, aligned with ids
    shipped_first_relevant: bool


def _reciprocal(ranking: list[int], rrf_k: int) -> dict[int, float]:
    return {idx: 1.0 / (rrf_k + rank) for rank, idx in enumerate(ranking, 1)}


def question_candidates(retriever: Retriever, q: Question) -> Candidates:
    """Features of every passage any ranking proposes for ``q``, in the shipped order's terms.

    ``retriever`` should not abstain (`run_ceiling` passes one that never does), so the
    shipped order is judged on every question.
    """
    sig = retriever.signals(q.question, k=10)
    ids = list(dict.fromkeys(sig.dense.ids + sig.bm25.ids + sig.sentence.ids))
    rrf_k = retriever.settings.rrf_k
    sentence = dict(zip(sig.sentence.ids, sig.sentence.scores.tolist()))
    bm25 = dict(zip(sig.bm25.ids, sig.bm25.scores.tolist()))
    top_bm25 = max(bm25.values(), default=0.0) or 1.0
    rr = [_reciprocal(r.ids, rrf_k) for r in (sig.dense, sig.sentence, sig.bm25)]
    chunks = [retriever.chunks[i] for i in ids]
    rows = [[float(retriever.vectors[i] @ sig.query.vector), sentence.get(i, -1.0),
             bm25.get(i, 0.0) / top_bm25, rr[0].get(i, 0.0), rr[1].get(i, 0.0), rr[2].get(i, 0.0),
             float(c.shared or c.outline)] for i, c in zip(ids, chunks)]
    relevant = np.array([is_relevant(q, c.section, c.text, c.source) for c in chunks], dtype=bool)
    shipped = retriever.search(q.question, k=1)
    first = shipped.hits[0].chunk if shipped.hits else None
    return Candidates(ids=ids, features=np.asarray(rows, dtype=np.float64), relevant=relevant,
                      shipped_first_relevant=bool(first and is_relevant(q, first.section, first.text, first.source)))


def listwise_loss(w: np.ndarray, lists: list[Candidates], l2: float) -> tuple[float, np.ndarray]:
    """Mean of -log(softmax probability on the relevant candidates), plus ``l2``·|w|²; and its gradient."""
    loss, grad = 0.0, np.zeros_like(w)
    for c in lists:
        s = c.features @ w
        p = np.exp(s - s.max())
        p /= p.sum()
        p_rel = p[c.relevant].sum()
        loss -= np.log(p_rel)
        grad -= (p[c.relevant] @ c.features[c.relevant]) / p_rel - p @ c.features
    n = max(len(lists), 1)
    return loss / n + l2 * float(w @ w), grad / n + 2 * l2 * w


def fit(lists: list[Candidates], l2: float = 1e-3) -> np.ndarray:
    """Weights minimising `listwise_loss` (L-BFGS from zero)."""
    usable = [c for c in lists if c.relevant.any()]
    w0 = np.zeros(len(FEATURES))
    if not usable:
        return w0
    return minimize(listwise_loss, w0, args=(usable, l2), jac=True, method="L-BFGS-B").x


def first_is_relevant(c: Candidates, w: np.ndarray) -> bool:
    """Whether scoring by ``w`` puts a relevant passage first."""
    if not c.ids:
        return False
    return bool(c.relevant[int(np.argmax(c.features @ w))])


def hit_at_1(lists: list[Candidates], w: np.ndarray) -> float:
    return sum(first_is_relevant(c, w) for c in lists) / max(len(lists), 1)


def search_weights(lists: list[Candidates], start: np.ndarray, trials: int = 3000,
                   seed: int = 0) -> tuple[np.ndarray, float]:
    """The weighting with the best Hit@1 on ``lists`` found by a random local search.

    Hit@1 is flat almost everywhere, so gradients can't optimise it; this samples
    directions around ``start`` (Hit@1 ignores scale), halving the step when a round of
    samples finds nothing better.
    """
    rng = np.random.default_rng(seed)
    best = start / (np.linalg.norm(start) or 1.0)
    best_hit = hit_at_1(lists, best)
    step = 1.0
    for t in range(trials):
        w = best + step * rng.normal(size=best.shape) / np.sqrt(best.size)
        w /= np.linalg.norm(w) or 1.0
        hit = hit_at_1(lists, w)
        if hit > best_hit:
            best, best_hit = w, hit
        elif t % 200 == 199:
            step /= 2
    return best, best_hit


def run_ceiling(qset: QuestionSet, retriever: Retriever, folds: int = 5, l2: float = 1e-3,
                seed: int = 0) -> dict:
    """Hit@1 of the shipped order, of weights fit on the set, and of cross-validated weights.

    Raises:
        QuestionSetError: a MedQuAD-style set, or one with no in-scope question.
    """
    if qset.style == "medquad":
        raise QuestionSetError(f"{qset.path}: the ceiling needs a sections/evidence set, not MedQuAD style")
    questions = [q for q in qset.questions if q.in_scope]
    if not questions:
        raise QuestionSetError(f"{qset.path}: no in-scope questions")
    answering = retriever.with_settings(replace(retriever.settings, abstain_threshold=NO_ABSTENTION))
    lists = [question_candidates(answering, q) for q in questions]
    w_all = fit(lists, l2)
    st = retriever.settings
    # the shipped RRF weights as a linear model (demotion as a small penalty), the fitted
    # weights, and one random start
    starts = [np.array([0, 0, 0, st.dense_weight, st.sentence_weight, st.bm25_weight, -0.02]), w_all,
              np.random.default_rng(seed).normal(size=len(FEATURES))]
    order = np.random.default_rng(seed).permutation(len(lists))
    held_hits = 0
    for f in range(folds):
        held = set(order[f::folds].tolist())
        w = fit([c for j, c in enumerate(lists) if j not in held], l2)
        held_hits += sum(first_is_relevant(lists[j], w) for j in held)
    n = len(lists)
    return {
        "questions": n,
        "shipped": sum(c.shipped_first_relevant for c in lists) / n,
        "fit_on_set": hit_at_1(lists, w_all),
        "best_on_set": max(search_weights(lists, start, seed=seed)[1] for start in starts),
        "cross_validated": held_hits / n,
        "reachable": sum(bool(c.relevant.any()) for c in lists) / n,
        "weights": dict(zip(FEATURES, np.round(w_all, 3).tolist())),
        "folds": folds,
    }


def run(args: argparse.Namespace) -> int:
    from eval.questionset import load_questions
    from retriever.store import IndexLoadError

    if args.folds < 2:
        print(f"error: --folds must be at least 2, got {args.folds}", file=sys.stderr)
        return 2
    try:
        result = run_ceiling(load_questions(Path(args.questions)), Retriever.load(args.index), folds=args.folds)
    except (QuestionSetError, IndexLoadError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"`{args.command_line}` ({result['questions']} in-scope questions, abstention off)\n")
    print("| Hit@1 | |\n|---|---:|")
    for key, label in (("shipped", "shipped fusion"),
                       ("cross_validated", f"weights fit on other folds ({args.folds}-fold)"),
                       ("fit_on_set", "weights fit on the set (listwise loss)"),
                       ("best_on_set", "best weighting found for the set (optimistic ceiling)"),
                       ("reachable", "a relevant passage among the candidates")):
        print(f"| {label} | {result[key]:.3f} |")
    print("\nfitted weights: " + ", ".join(f"{f} {result['weights'][f]:+.2f}" for f in FEATURES))
    return 0


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "ceiling",
        help="how far re-weighting the retriever's own rankings could go on a question set",
        description="Describe every candidate passage by the retriever's signals, fit linear weights "
        "over them and report Hit@1 of the shipped fusion, of cross-validated weights and of the "
        "best weights for the set itself (an optimistic ceiling: below a target means tuning "
        "cannot reach it).",
    )
    p.add_argument("questions", help="sections/evidence question set (JSONL)")
    p.add_argument("--index", default="index", help="index folder (default: index)")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: 5)")
    p.set_defaults(func=run)
