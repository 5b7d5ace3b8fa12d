"""Fine-tune the embedding model on the training questions, with sentence-transformers.

``MultipleNegativesRankingLoss`` over (question, passage) pairs, where each batch holds two
related summaries (`training.sampler`): the other sections of a question's own summary and
the same kind of section of the nearest summary are its negatives. Related summaries are
mined with the starting model (cosine of their titles and headings). Sentence positives
(the sentence holding the evidence) are added, because the index embeds sentences too.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.data import Pair, is_validation

#: Training passages are cut at this many tokens. Full-length (256) passages train at
#: 2.3 pairs/s on 2 CPUs, 128-token ones at 5.8; the breadcrumb and the passage's start
#: carry most of what a question matches.
TRAIN_MAX_TOKENS = 128


@dataclass(frozen=True)
class TrainConfig:
    epochs: float = 1.0
    batch_size: int = 32
    learning_rate: float = 3e-5
    warmup_ratio: float = 0.1
    scale: float = 20.0
    max_tokens: int = TRAIN_MAX_TOKENS
    sentence_share: float = 0.2   # share of questions also paired with their sentence
    seed: int = 13


def neighbours(model, doc_labels: dict[str, str]) -> dict[str, list[str]]:
    """Every summary's others, most similar first, by the model's cosine of their labels."""
    ids = sorted(doc_labels)
    vecs = model.encode([doc_labels[d] for d in ids], normalize_embeddings=True,
                        convert_to_numpy=True, show_progress_bar=False)
    sims = vecs @ vecs.T
    return {d: [ids[j] for j in np.argsort(-sims[i]) if j != i] for i, d in enumerate(ids)}


def training_rows(pairs: list[Pair], cfg: TrainConfig) -> tuple[dict[str, list[str]], list[str], list[str]]:
    """Columns (anchor, positive) and each row's summary and passage, training docs only."""
    rng = random.Random(cfg.seed)
    anchors, positives, docs, keys = [], [], [], []
    for p in pairs:
        if is_validation(p.doc_id):
            continue
        anchors.append(p.question)
        positives.append(p.passage)
        docs.append(p.doc_id)
        keys.append(p.chunk_id)
        if p.sentence and rng.random() < cfg.sentence_share:
            anchors.append(p.question)
            positives.append(p.sentence)
            docs.append(p.doc_id)
            keys.append(p.chunk_id)
    return {"anchor": anchors, "positive": positives}, docs, keys


def fine_tune(base: str, pairs: list[Pair], doc_labels: dict[str, str], out: Path,
              cfg: TrainConfig = TrainConfig(), base_name: str = "") -> dict:
    """Train from ``base`` (a local folder) and save to ``out`` (fp16 safetensors); return
    the run's record."""
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
        losses,
    )

    from training.sampler import RelatedSummariesBatchSampler

    torch.manual_seed(cfg.seed)
    model = SentenceTransformer(base, device="cpu")
    full_length = model.max_seq_length
    related = neighbours(model, doc_labels)
    columns, docs, keys = training_rows(pairs, cfg)
    dataset = Dataset.from_dict(columns)

    def sampler(ds, **kwargs):
        return RelatedSummariesBatchSampler(ds, doc_of_row=docs, positive_of_row=keys,
                                            neighbours=related, **kwargs)

    model.max_seq_length = cfg.max_tokens
    args = SentenceTransformerTrainingArguments(
        output_dir=str(out.parent / f".{out.name}.work"), num_train_epochs=cfg.epochs,
        per_device_train_batch_size=cfg.batch_size, learning_rate=cfg.learning_rate,
        warmup_steps=cfg.warmup_ratio, batch_sampler=sampler, seed=cfg.seed,
        save_strategy="no", report_to="none", logging_steps=50, use_cpu=True,
        dataloader_drop_last=True)
    loss = losses.MultipleNegativesRankingLoss(model, scale=cfg.scale)
    t0 = time.perf_counter()
    SentenceTransformerTrainer(model=model, args=args, train_dataset=dataset, loss=loss).train()
    seconds = time.perf_counter() - t0
    model.max_seq_length = full_length
    model.half()
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out), safe_serialization=True)
    record = {"base": base_name or base, "rows": len(docs), "summaries": len(set(docs)),
              "seconds": round(seconds), "config": cfg.__dict__}
    (out / "training_run.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record
