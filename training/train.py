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

from eval.bench.typos import mistype
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
    hard_negatives: bool = False  # a mined hard negative per row (training.negatives)
    loss: str = "infonce"         # a key of LOSSES
    guide: str = ""               # a guide model's folder: GISTEmbedLoss (`guided_loss`)
    typo_share: float = 0.0       # share of questions trained with one slip (`eval.bench.typos`)


#: ``MultipleNegativesRankingLoss`` arguments for each ``--loss``. ``gte`` is the improved
#: contrastive loss of Li et al. 2023 (one softmax over question->passage, question->question,
#: passage->question and passage->passage), which the library recommends for (question,
#: passage) pairs. ``hardness`` weights each in-batch negative by how close it already is
#: (Lan et al. 2025), so the sibling section and the twin summary's section count most.
#: ``symmetric`` adds passage->question with its own softmax (Günther et al. 2024).
#: The three measured and not shipped (docs/model.md, "Measured and not shipped").
LOSSES = {
    "infonce": {"directions": ("query_to_doc",)},
    "gte": {"directions": ("query_to_doc", "query_to_query", "doc_to_query", "doc_to_doc")},
    "hardness": {"directions": ("query_to_doc",), "hardness_mode": "in_batch_negatives",
                 "hardness_strength": 5.0},
    "symmetric": {"directions": ("query_to_doc", "doc_to_query"), "partition_mode": "per_direction"},
}


def guided_loss(model, cfg: TrainConfig):
    """``GISTEmbedLoss`` (Solatorio 2024): a stronger guide model drops each in-batch negative
    that it finds closer to the question than the question's own passage. Batches drawn from
    one summary hold sibling sections that often answer the question too; the plain loss
    pushes those away. Question->passage only, at the same scale, as the shipped loss."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import GISTEmbedLoss

    guide = SentenceTransformer(cfg.guide, device="cpu")
    guide.max_seq_length = cfg.max_tokens
    return GISTEmbedLoss(model, guide, temperature=1.0 / cfg.scale,
                         contrast_anchors=False, contrast_positives=False)


def neighbours(model, doc_labels: dict[str, str]) -> dict[str, list[str]]:
    """Every summary's others, most similar first, by the model's cosine of their labels."""
    ids = sorted(doc_labels)
    vecs = model.encode([doc_labels[d] for d in ids], normalize_embeddings=True,
                        convert_to_numpy=True, show_progress_bar=False)
    sims = vecs @ vecs.T
    return {d: [ids[j] for j in np.argsort(-sims[i]) if j != i] for i, d in enumerate(ids)}


def training_rows(pairs: list[Pair], cfg: TrainConfig, negatives: list[tuple[str, str]] | None = None
                  ) -> tuple[dict[str, list[str]], list[str], list[str], list[str]]:
    """Columns (anchor, positive[, negative]) and each row's summary, passage and negative
    passage (chunk ids), training docs only."""
    rng = random.Random(cfg.seed)
    typo_rng = random.Random(cfg.seed + 1)  # its own draws: the batches stay those of the same seed
    columns: dict[str, list[str]] = {"anchor": [], "positive": []}
    if negatives is not None:
        columns["negative"] = []
    docs, keys, negative_keys = [], [], []

    def add(p: Pair, positive: str, negative: tuple[str, str]) -> None:
        slipped = cfg.typo_share and typo_rng.random() < cfg.typo_share
        columns["anchor"].append(mistype(p.question, 1, typo_rng) if slipped else p.question)
        columns["positive"].append(positive)
        if negatives is not None:
            columns["negative"].append(negative[1])
        docs.append(p.doc_id)
        keys.append(p.chunk_id)
        negative_keys.append(negative[0])

    for i, p in enumerate(pairs):
        if is_validation(p.doc_id) or (negatives is not None and not negatives[i][0]):
            continue
        negative = negatives[i] if negatives is not None else ("", "")
        add(p, p.passage, negative)
        if p.sentence and rng.random() < cfg.sentence_share:
            add(p, p.sentence, negative)
    return columns, docs, keys, negative_keys


def fine_tune(base: str, pairs: list[Pair], doc_labels: dict[str, str], out: Path,
              cfg: TrainConfig = TrainConfig(), base_name: str = "", chunks=None) -> dict:
    """Train from ``base`` (a local folder) and save to ``out`` (fp16 safetensors); return
    the run's record."""
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    from training.sampler import RelatedSummariesBatchSampler

    torch.manual_seed(cfg.seed)
    model = SentenceTransformer(base, device="cpu")
    full_length = model.max_seq_length
    related = neighbours(model, doc_labels)
    negatives = None
    if cfg.hard_negatives:
        from training.negatives import mine_negatives

        model.max_seq_length = cfg.max_tokens
        negatives = mine_negatives(model, pairs, chunks)
    columns, docs, keys, negative_keys = training_rows(pairs, cfg, negatives)
    dataset = Dataset.from_dict(columns)

    def sampler(ds, **kwargs):
        return RelatedSummariesBatchSampler(ds, doc_of_row=docs, positive_of_row=keys, neighbours=related,
                                            negative_of_row=negative_keys if negatives else None, **kwargs)

    model.max_seq_length = cfg.max_tokens
    args = SentenceTransformerTrainingArguments(
        output_dir=str(out.parent / f".{out.name}.work"), num_train_epochs=cfg.epochs,
        per_device_train_batch_size=cfg.batch_size, learning_rate=cfg.learning_rate,
        warmup_steps=cfg.warmup_ratio, batch_sampler=sampler, seed=cfg.seed,
        save_strategy="no", report_to="none", logging_steps=50, use_cpu=True,
        dataloader_drop_last=True)
    loss = (guided_loss(model, cfg) if cfg.guide
            else MultipleNegativesRankingLoss(model, scale=cfg.scale, **LOSSES[cfg.loss]))
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
