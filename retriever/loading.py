"""Open an index folder for searching: every file read, checked against the manifest and
against the model that will embed the questions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from retriever import store
from retriever.dense import load_dense
from retriever.embedding import Embedder, resolve_model
from retriever.folders import not_an_index
from retriever.keyword import KeywordIndex
from retriever.models import Chunk
from retriever.passage_words import PassageWords, PassageWordsError


@dataclass(frozen=True)
class IndexData:
    """The files of one index, loaded; rows of every array line up with ``chunks``."""

    folder: Path
    manifest: store.Manifest
    chunks: list[Chunk]
    vectors: np.ndarray
    dense: faiss.Index
    keyword: KeywordIndex
    sentences: store.SentenceTable
    words: PassageWords


def read_index(index_dir: Path, model: str, ef_search: int) -> IndexData:
    """Read and verify every file of ``index_dir``, built with ``model``.

    Raises:
        IndexLoadError: another model, or a missing, corrupted or inconsistent file, named
            in the message with the path the operator gave (not the version folder behind
            the link).
    """
    if index_dir.is_symlink() and not index_dir.exists():  # `cp -r` copies the link, not its version
        raise store.IndexLoadError(index_dir, f"a link to {os.readlink(index_dir)}, which does not exist (its "
                                              "version folder was removed or moved; an index copied with cp -r "
                                              "copies the link alone: copy it with cp -rL, which follows the link)")
    if (other := not_an_index(index_dir)) is not None:
        raise other
    folder = index_dir.resolve()  # once: an ingest may swap the link while this reads
    try:
        manifest = store.Manifest.read(folder)
    except store.IndexLoadError as exc:
        raise store.IndexLoadError(index_dir, exc.problem) from None
    if not same_model(manifest.model, model):
        raise store.IndexLoadError(index_dir, f"it was built with model {manifest.model!r} "
                                              f"but the service is set to {model!r}",
                                   f"to read it as it is, set PDQ_MODEL={manifest.model}; to use {model!r}, "
                                   f"rebuild it: python -m ingest SOURCE_FOLDER --index {index_dir}")
    try:
        store.verify_files(folder, manifest)
        chunks = _read(store.CHUNKS, lambda: store.read_chunks(folder))
        # memory-mapped: workers on one machine share the page cache instead of each a copy
        vectors = _read(store.EMBEDDINGS, lambda: np.load(folder / store.EMBEDDINGS, mmap_mode="r"))
        dense = _read(store.DENSE, lambda: load_dense(folder / store.DENSE, ef_search))
        keyword = _read(store.BM25_DIR, lambda: KeywordIndex.load(folder / store.BM25_DIR, len(chunks)))
        sentences = _read(store.SENTENCES, lambda: store.SentenceTable.load(folder / store.SENTENCES).for_search())
        words = _read(store.PASSAGE_WORDS, lambda: _passage_words(folder, manifest, len(chunks)))
    except store.IndexLoadError as exc:
        raise store.IndexLoadError(index_dir, exc.problem) from None
    if not (len(chunks) == vectors.shape[0] == dense.ntotal == manifest.chunks_count):
        raise store.IndexLoadError(index_dir, "chunks, embeddings and FAISS index disagree in size")
    return IndexData(folder, manifest, chunks, vectors, dense, keyword, sentences, words)


def _passage_words(folder: Path, manifest: store.Manifest, n_chunks: int) -> PassageWords:
    if store.PASSAGE_WORDS not in manifest.files:  # an index made before ingest stored them
        raise store.IndexLoadError(folder, f"it has no {store.PASSAGE_WORDS} (made by an earlier version; "
                                           "a rebuild reuses the vectors)")
    try:
        return PassageWords.load(folder / store.PASSAGE_WORDS, n_chunks)
    except PassageWordsError as exc:  # anything else is an unreadable file (`_read`)
        raise store.IndexLoadError(folder, f"file {store.PASSAGE_WORDS}: {exc}") from None


def same_model(built_with: str, model: str) -> bool:
    """Whether two names name one model: the shipped name and its folder's path (as the README
    writes it, or absolute) are one model, so an index built under one serves under the other.
    Other weights in the same folder are still refused, by `check_weights`."""
    if built_with == model:
        return True
    a, b = Path(resolve_model(built_with)), Path(resolve_model(model))
    return a.is_dir() and b.is_dir() and a.resolve() == b.resolve()


def check_weights(index_dir: Path, manifest: store.Manifest, model: str, embedder: Embedder) -> None:
    """Refuse an index embedded with other weights of the model, by another backend or run
    another way (its vectors differ slightly: README, "Encoder backends"), or of another
    dimension."""
    built_with = manifest.model_sha256
    if built_with and embedder.weights_sha256 and built_with != embedder.weights_sha256:
        raise store.IndexLoadError(index_dir, f"it was built with other weights of model "
                                              f"{model!r} (sha256 {built_with[:12]}, "
                                              f"now {embedder.weights_sha256[:12]})")
    # An index from before backends were recorded was embedded by torch.
    if manifest.backend != embedder.backend or (manifest.encoder_sha256
                                                and manifest.encoder_sha256 != embedder.file_sha256):
        raise store.IndexLoadError(index_dir, f"it was embedded by the {manifest.backend} backend "
                                              f"({manifest.encoder_file or 'model.safetensors'}) but the "
                                              f"model runs on {embedder.backend} ({embedder.file}); to serve "
                                              f"it as it is, set PDQ_BACKEND={manifest.backend}")
    if manifest.runs != embedder.runs:  # int8 in batches: vectors moved with their batch-mates
        raise store.IndexLoadError(index_dir, f"its vectors were run as {manifest.runs!r} but the "
                                              f"{embedder.backend} encoder now runs {embedder.runs!r}, as it "
                                              f"runs questions (README, \"Encoder backends\")")
    if embedder.dimension != manifest.dimension:
        raise store.IndexLoadError(index_dir, f"dimension {manifest.dimension} differs from "
                                              f"the model's {embedder.dimension}")


def _read(name: str, load):
    """Run one file's loader; any failure becomes an `IndexLoadError` naming the file."""
    try:
        return load()
    except store.IndexLoadError:
        raise
    except Exception as exc:  # numpy, faiss, bm25s and json each raise their own types
        raise store.IndexLoadError(Path("."), f"file {name} is unreadable ({type(exc).__name__}: {exc})") from None
