"""``python -m eval.bench cross-encoder``: would a cross-encoder reranker earn its cost?

A cross-encoder reads the question and a passage together, so it can weigh words against
each other where the embedding model compares two fixed vectors. None is shipped for this
domain, so this benchmark trains one here, with sentence-transformers' own
`CrossEncoderTrainer`, starting from the shipped embedding model's weights: each sampled
training summary's question is searched over a corpus index as the product searches it,
and its passage against the best-ranked wrong candidates are its pairs. It then reorders
the top candidates of validation summaries' questions (never trained or tuned on) and
reports passage@1 beside the shipped order, and what scoring them costs against
embedding the question. A run is a measurement, not a build step: nothing it writes ships.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retriever import fusion


@dataclass(frozen=True)
class Candidates:
    """One question's top candidates in the shipped order, and which of them answer it."""

    question: str      # as embedded: short forms written out, misspellings corrected
    chunks: tuple[int, ...]
    answers: tuple[bool, ...]
    answer: int        # a chunk that answers it, among the candidates or not


def pipeline_candidates(retriever, questions, k: int) -> list[Candidates]:
    """The first ``k`` passages a hybrid search orders for each question, abstention aside."""
    from eval.lay import relevant_ids

    chunk_of = {c.id: i for i, c in enumerate(retriever.chunks)}
    out = []
    for q in questions:
        sig = retriever.signals(q.question, k=k)
        scores = fusion.include(retriever.rerank(sig, retriever.fuse(sig, "hybrid"), "hybrid"), sig.phrase.ids)
        order = retriever.order(retriever.lift(sig.query.plan, scores), k)  # as `Retriever.search` orders
        rel = relevant_ids(q, retriever)
        answers = tuple(retriever.chunks[i].id in rel for i in order)
        answer = next((i for i, a in zip(order, answers) if a), chunk_of[min(rel)])
        out.append(Candidates(sig.query.plan.dense_text, tuple(order), answers, answer))
    return out


def training_pairs(cands: list[Candidates], texts: list[str], negatives: int,
                   rng: random.Random) -> dict[str, list]:
    """(question, passage, label) columns: each question's answer, its best-ranked wrong
    candidates but one, and one more wrong candidate drawn from the rest."""
    cols: dict[str, list] = {"query": [], "passage": [], "label": []}
    for c in cands:
        wrong = [i for i, a in zip(c.chunks, c.answers) if not a]
        picked = wrong[:negatives - 1] + (rng.sample(wrong[negatives - 1:], 1) if wrong[negatives - 1:] else [])
        for chunk, label in [(c.answer, 1.0)] + [(i, 0.0) for i in picked]:
            cols["query"].append(c.question)
            cols["passage"].append(texts[chunk])
            cols["label"].append(label)
    return cols


def first_is_answer(cands: list[Candidates], scores: list[np.ndarray] | None = None) -> float:
    """Share of questions whose first passage answers them: in the shipped order, or in
    the order of ``scores`` (one per candidate) when given."""
    if not cands:
        return 0.0
    firsts = [c.answers[int(np.argmax(s))] if scores is not None else c.answers[0]
              for c, s in zip(cands, scores or [None] * len(cands)) if c.answers]
    return sum(firsts) / len(cands)


def train(pairs: dict[str, list], init: str, max_length: int, seed: int):
    import torch
    from datasets import Dataset
    from sentence_transformers.cross_encoder import CrossEncoder, CrossEncoderTrainer, CrossEncoderTrainingArguments
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss

    model = CrossEncoder(init, num_labels=1, max_length=max_length, model_kwargs={"dtype": torch.float32})
    positives = sum(pairs["label"])
    loss = BinaryCrossEntropyLoss(model, pos_weight=torch.tensor((len(pairs["label"]) - positives) / positives))
    args = CrossEncoderTrainingArguments(
        output_dir="/tmp/pdq-cross-encoder-bench", num_train_epochs=1, per_device_train_batch_size=32,
        learning_rate=5e-5, warmup_steps=0.1, save_strategy="no", report_to="none", seed=seed)
    CrossEncoderTrainer(model=model, args=args, train_dataset=Dataset.from_dict(pairs), loss=loss).train()
    return model


def run(args: argparse.Namespace) -> int:
    from retriever.search import Retriever
    from retriever.text import embedding_text
    from training.data import split
    from training.questions import load_questions

    retriever = Retriever.load(args.index)
    texts = [embedding_text(c.heading_path, c.text, c.title) for c in retriever.chunks]
    rng = random.Random(args.seed)
    train_qs, val_qs = split(load_questions(Path(args.questions)), {c.doc_id for c in retriever.chunks})
    train_qs = rng.sample(train_qs, min(args.train, len(train_qs)))
    val_qs = rng.sample(val_qs, min(args.validate, len(val_qs)))
    started = time.perf_counter()
    model = train(training_pairs(pipeline_candidates(retriever, train_qs, args.depth), texts, args.negatives, rng),
                  args.init, args.max_length, args.seed)
    trained = time.perf_counter() - started
    held = pipeline_candidates(retriever, val_qs, args.depth)
    scores, times, embeds = [], [], []
    for c in held:
        t0 = time.perf_counter()
        scores.append(model.predict([(c.question, texts[i]) for i in c.chunks], batch_size=32))
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        retriever.embedder.encode_query(c.question)
        embeds.append(time.perf_counter() - t0)
    print(f"# Cross-encoder reranker\n\n```\n{args.command_line}\n```\n")
    print(f"Trained on {len(train_qs)} training summaries' questions in {trained:.0f} s; "
          f"{len(held)} validation summaries' questions, their first {args.depth} candidates.\n")
    print("| order | passage@1 | ms a question (p50) |\n|---|---:|---:|")
    print(f"| shipped (fused, learned ranker) | {first_is_answer(held):.3f} | - |")
    print(f"| cross-encoder | {first_is_answer(held, scores):.3f} | {1000 * float(np.median(times)):.1f} |")
    print(f"\nEmbedding the question: {1000 * float(np.median(embeds)):.1f} ms (p50).")
    return 0


def add_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "cross-encoder", help="train a cross-encoder here and measure it as a reranker (a long run)",
        description="Fine-tune a cross-encoder from the embedding model on training summaries' "
        "questions searched over CORPUS_INDEX, then reorder validation summaries' candidates with it.")
    p.add_argument("--index", default="corpus-index", help="corpus index folder (default: corpus-index)")
    p.add_argument("--questions", default="training/questions/questions.jsonl", help="lay questions (JSONL)")
    p.add_argument("--init", default="models/pdq-minilm-l6", help="weights to start from")
    p.add_argument("--train", type=int, default=4500, help="training questions sampled (default: 4500)")
    p.add_argument("--validate", type=int, default=400, help="validation questions sampled (default: 400)")
    p.add_argument("--depth", type=int, default=10, help="candidates reordered per question (default: 10)")
    p.add_argument("--negatives", type=int, default=4, help="wrong passages per question (default: 4)")
    p.add_argument("--max-length", type=int, default=160, help="question + passage tokens (default: 160)")
    p.add_argument("--seed", type=int, default=13)
    p.set_defaults(func=run)
