"""Fit the learned ranker (`retriever.ranker`) on training summaries' questions.

Each training question is searched over a corpus index built with the shipped model, and
again within its own summary (as over a one-summary index, or with the summary picked);
so is each training summary's section heading that names the summary. Each search's fused
candidates become one ranking group, labelled 1 for the passage the question's quote pins
(for a heading, its section's passages) and 0 for the rest. Candidates from summaries
without training questions (the validation summaries, and the seed's two GI
neuroendocrine summaries) are dropped from the groups, so those stay unseen: the
validation summaries, with the seed's question sets, decide whether the ranker ships.
LightGBM's lambdarank objective optimises the order at the top of each group; the fitted
trees are saved as ONNX (onnxmltools), which the retriever runs with onnxruntime. The
translation table that two of its signals read is fitted first, on the same summaries'
lay questions (`training.translation`), and saved beside the trees.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from eval.lay import relevant_ids, score
from retriever.ranker import (
    FEATURES,
    FOLDER,
    MODEL_FILE,
    RECORD_FILE,
    TRANSLATION_FILE,
    LearnedRanker,
    RankerError,
    signal_features,
)
from retriever.search import Filters, Retriever
from retriever.store import sha256_file, write_json
from retriever.translation import MIN_PROBABILITY, PASSAGE_SHARE, SELF_SHARE, IndexTranslation, TranslationTable
from training.data import split
from training.nearmiss import named_summaries
from training.questions import TrainingQuestion
from training.translation import FOLDS, ROUNDS, fit_table, fold_of, fold_tables, question_pairs

PARAMS = {
    "objective": "lambdarank", "n_estimators": 100, "learning_rate": 0.1, "num_leaves": 15,
    "min_child_samples": 50, "subsample": 0.8, "subsample_freq": 1, "colsample_bytree": 0.8,
    "lambdarank_truncation_level": 10, "random_state": 13, "deterministic": True,
    "force_row_wise": True, "n_jobs": 2, "verbose": -1,
}
# Signals whose direction is known: more fused score, a better-named document, more of the
# question's terms help; boilerplate and a childhood passage for an adult's question don't.
MONOTONE = {"fused": 1, "document_title": 1, "coverage": 1, "demoted": -1, "childhood_for_adult": -1,
            "childhood_for_named_adult": -1, "adult_for_named_child": -1}


Search = tuple[str, set[str], "Filters | None", str]  # text, the ids of its answers, a filter, its summary


def heading_searches(retriever: Retriever, docs: set[str]) -> list[Search]:
    """Each training summary's section headings that name the summary ("Stages of Adult
    Acute Lymphoblastic Leukemia"), as searches whose answers are that section's passages.

    They are the precise, name-the-disease queries that staff type and that the lay
    questions rarely are: without them the ranker learns to trust the question's wording
    over the summary it names.
    """
    titles = {c.doc_id: c.title for c in retriever.chunks}
    sections: dict[tuple[str, str], set[str]] = {}
    for c in retriever.chunks:
        if len(c.heading_path) > 1 and c.doc_id in docs:
            sections.setdefault((c.doc_id, c.heading_path[1]), set()).add(c.id)
    return [(heading, ids, None, doc) for (doc, heading), ids in sections.items()
            if doc in named_summaries(heading, titles)]


def question_searches(questions: list[TrainingQuestion], retriever: Retriever) -> list[Search]:
    """Each question over the whole index and within its own summary."""
    return [(q.question, relevant_ids(q, retriever), f, q.doc_id) for q in questions
            for f in (None, Filters(doc_ids=(q.doc_id,)))]


def ranking_groups(searches: list[Search], retriever: Retriever, docs: set[str],
                   tables: dict[int, IndexTranslation]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Feature rows, labels and group sizes of the searches that have an answer among the
    candidates; only candidates of the training summaries ``docs`` are kept. A search reads
    the translation table of its summary's fold (`training.translation`)."""
    xs, ys, groups = [], [], []
    for text, rel, filters, doc in tqdm(searches, desc="ranking groups", unit="search"):
        sig = retriever.signals(text, filters=filters)
        ids, X = signal_features(retriever, sig, retriever.fuse(sig, "hybrid"), tables[fold_of(doc)])
        keep = [j for j, i in enumerate(ids) if retriever.chunks[i].doc_id in docs]
        y = np.array([retriever.chunks[ids[j]].id in rel for j in keep], dtype=np.int32)
        if y.any():
            xs.append(X[keep])
            ys.append(y)
            groups.append(len(keep))
    if not groups:
        return np.zeros((0, len(FEATURES)), dtype=np.float32), np.zeros(0, dtype=np.int32), []
    return np.vstack(xs), np.concatenate(ys), groups


def fit_ranker(questions: list[TrainingQuestion], retriever: Retriever, model_dir: Path,
               audience: list[TrainingQuestion] | None = None, lay: list[TrainingQuestion] | None = None) -> dict:
    """Fit, save into ``model_dir``/ranker and return the record (with validation figures).

    ``audience`` questions (AUDIENCE_BRIEF.md) name who the patient is; they are searched
    over the whole index only, where an adult's and a child's summary compete. The
    translation table is fitted on the training summaries' ``lay`` questions (all of
    ``questions`` and ``audience`` when not given).
    """
    import lightgbm

    known = {c.doc_id for c in retriever.chunks}
    plain = retriever.with_settings(replace(retriever.settings, ranker=False))
    train, valid = split(questions, known)
    named, named_valid = split(audience or [], known)
    start = time.time()
    docs = {q.doc_id for q in train}  # not the validation summaries, nor the seed's (no questions)
    pairs = question_pairs(split(lay if lay is not None else questions + (audience or []), known)[0], plain)
    if not pairs:
        raise _nothing_to_fit(plain)
    keyword = plain.bm25.keyword
    table = fit_table(pairs, keyword)
    folds = {k: t.for_index(keyword) for k, t in fold_tables(pairs, keyword).items()}
    searches = (question_searches(train, plain) + heading_searches(plain, docs)
                + [(q.question, relevant_ids(q, plain), None, q.doc_id) for q in named])
    X, y, groups = ranking_groups(searches, plain, docs, folds)
    if not groups:
        raise _nothing_to_fit(plain)
    monotone = [MONOTONE.get(f, 0) for f in FEATURES]
    model = lightgbm.LGBMRanker(**PARAMS, monotone_constraints=monotone).fit(X, y, group=groups)
    folder = model_dir / FOLDER
    sha256 = save_onnx(model.booster_, folder, X[::max(1, len(X) // 5000)])
    record = {
        "features": list(FEATURES), "sha256": sha256, "params": PARAMS, "monotone": MONOTONE, "questions": len(train),
        "translation_sha256": save_table(table, folder), "translation_pairs": len(pairs),
        "translation": {"rounds": ROUNDS, "folds": FOLDS, "self_share": SELF_SHARE,
                        "passage_share": PASSAGE_SHARE, "min_probability": MIN_PROBABILITY},
        "audience_questions": len(named),
        "groups": len(groups), "rows": int(len(y)), "seconds": round(time.time() - start),
        "gain": dict(zip(FEATURES, (round(float(g)) for g in model.booster_.feature_importance("gain")))),
    }
    _write(folder, record)
    ranked = plain.with_reranker(LearnedRanker.load(model_dir, plain))
    ranked = ranked.with_settings(replace(plain.settings, ranker=True))
    record["validation"] = {"fused": score(valid, plain)["all"], "ranked": score(valid, ranked)["all"]}
    if named_valid:
        record["validation"]["audience_ranked"] = score(named_valid, ranked)["all"]
    _write(folder, record)
    return record


def _nothing_to_fit(retriever: Retriever) -> RankerError:
    return RankerError(f"{retriever.index_dir}: no training question has its passage among the candidates; "
                       "fit the ranker on a corpus index (python -m ingest training/corpus --index corpus-index)")


def save_onnx(booster, folder: Path, rows: np.ndarray) -> str:
    """Write ``booster`` as ``folder``/ranker.onnx and return the file's sha256.

    Raises:
        RankerError: the ONNX model does not give LightGBM's scores on ``rows`` (feature
            rows it was fitted on): a converter that mistranslated a tree.
    """
    import onnxruntime as ort
    from onnxmltools import convert_lightgbm
    from onnxmltools.convert.common.data_types import FloatTensorType

    # opset 15 is the converter's ceiling here; the file declares only what its operators need
    # (opset 8, ai.onnx.ml 1), which any onnxruntime of the last years runs
    onx = convert_lightgbm(booster, initial_types=[("features", FloatTensorType([None, len(FEATURES)]))],
                           target_opset=15, zipmap=False)
    onx.graph.name = "pdq_ranker"  # the converter names the graph with a random uuid: same trees, same bytes
    # ... and lists its opsets in an order that follows Python's hash seed (2 processes in 20)
    opsets = sorted((o.domain, o.version) for o in onx.opset_import)
    del onx.opset_import[:]
    for domain, version in opsets:
        onx.opset_import.add(domain=domain, version=version)
    model = onx.SerializeToString()
    probe = np.ascontiguousarray(rows, dtype=np.float32)
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    gap = float(np.abs(session.run(None, {"features": probe})[0].ravel() - booster.predict(probe)).max())
    if gap > 1e-4:
        raise RankerError(f"the ONNX ranker's scores differ from LightGBM's by {gap:.2g}; "
                          "check the onnxmltools version (constraints.txt)")
    folder.mkdir(parents=True, exist_ok=True)
    return _publish(folder / MODEL_FILE, lambda partial: partial.write_bytes(model))


def save_table(table: TranslationTable, folder: Path) -> str:
    """Write ``table`` as ``folder``/translation.npz and return the file's sha256."""
    return _publish(folder / TRANSLATION_FILE, table.save)


def _write(folder: Path, record: dict) -> None:
    _publish(folder / RECORD_FILE, lambda partial: write_json(partial, record))


def _publish(path: Path, write: Callable[[Path], object]) -> str:
    """``write`` to a partial file beside ``path``, then put it in place: a reader never sees
    half a file. The sha256 of what was written."""
    partial = path.with_name(path.name + ".partial")
    write(partial)
    sha256 = sha256_file(partial)
    os.replace(partial, path)
    return sha256
