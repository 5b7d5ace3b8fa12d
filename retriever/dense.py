"""FAISS indexes over normalised embeddings: exact (flat) while small, HNSW when large."""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np


def choose_kind(setting: str, n_vectors: int, hnsw_min_chunks: int) -> str:
    """Resolve ``auto`` to ``flat`` or ``hnsw`` by corpus size."""
    if setting == "auto":
        return "hnsw" if n_vectors >= hnsw_min_chunks else "flat"
    return setting


def build_dense(vectors: np.ndarray, kind: str, hnsw_m: int = 32) -> faiss.Index:
    dim = vectors.shape[1]
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
    else:
        raise ValueError(f"unknown faiss_index {kind!r}: use flat, hnsw or auto")
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def save_dense(index: faiss.Index, path: Path) -> None:
    """Write through Python's file API, so a full disk raises OSError like every other file."""
    data = faiss.serialize_index(index)
    with open(path, "wb") as f:
        f.write(data.tobytes())
        f.flush()
        os.fsync(f.fileno())


def load_dense(path: Path, ef_search: int = 128) -> faiss.Index:
    """Read an index, memory-mapping a flat one's vectors (workers then share the page cache;
    an unlinked old version stays readable while mapped)."""
    index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    hnsw = getattr(faiss.downcast_index(index), "hnsw", None)
    if hnsw is not None:
        hnsw.efSearch = ef_search
    return index
