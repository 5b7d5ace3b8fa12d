"""Build an index folder from a folder of documents: chunk, embed, write, publish. Embeddings
are keyed by the hash of the exact text embedded, so re-ingesting a corpus re-embeds only
passages that changed; unchanged documents cost a lookup."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ingest.chunking import chunk_document, mark_shared
from ingest.loading import Document, DocumentError, doc_id_for, load_documents
from ingest.publish import (
    UNREADABLE,
    discard,
    foreign_link,
    ingest_lock,
    kept,
    new_version_dir,
    publish,
    served_ids,
    target_problem,
)
from ingest.report import BuildReport
from ingest.sources import id_prefix
from retriever import store
from retriever.dense import build_dense, choose_kind, save_dense
from retriever.embedding import Embedder, get_embedder, resolve_model
from retriever.keyword import KeywordIndex
from retriever.loading import same_model
from retriever.models import Chunk
from retriever.passage_words import PassageWords
from retriever.ranker import ranker_sha256
from retriever.settings import Settings
from retriever.text import embedding_text, sentence_spans


class IngestError(RuntimeError):
    """Ingest cannot produce an index (nothing valid to index, a served summary's file now
    bad, or writing failed).

    ``errors`` holds the bad files behind it, each with its problem.
    """

    def __init__(self, message: str, errors: list[DocumentError] | None = None):
        super().__init__(message)
        self.errors = list(errors or [])


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _previous_vectors(index_dir: Path, embedder: Embedder,
                      damaged: str) -> tuple[dict[str, np.ndarray], dict[str, store.DocumentEntry]]:
    """Vectors of the index being replaced, by the hash of the text they embed.

    Empty when there is no previous index, it was embedded by another model or backend or
    run otherwise (`Embedder.runs`), or it is unreadable or ``damaged`` (`_damaged`: a file
    differs from the manifest's checksum, and its vectors would be copied into the new index,
    which would record them as sound): reuse is an optimisation and never a reason to fail.
    `_damaged` has hashed every file already; they are not hashed again here.
    """
    if damaged:
        return {}, {}
    try:
        manifest = store.Manifest.read(index_dir)
        if not same_model(manifest.model, embedder.name) or (
                manifest.model_sha256, manifest.encoder_sha256, manifest.runs) != (
                embedder.weights_sha256, embedder.file_sha256, embedder.runs):
            return {}, {}
        if any(name not in manifest.files for name in (store.TEXT_KEYS, store.EMBEDDINGS, store.SENTENCES)):
            return {}, {}  # not checked by `_damaged`: no sum to check them against
        keys = json.loads((index_dir / store.TEXT_KEYS).read_text(encoding="utf-8"))
        vecs = np.load(index_dir / store.EMBEDDINGS)
        sents = store.SentenceTable.load(index_dir / store.SENTENCES)
        if len(keys["chunks"]) != len(vecs) or len(keys["sentences"]) != len(sents.vectors):
            return {}, {}
    except UNREADABLE:
        return {}, {}
    cache = dict(zip(keys["chunks"], vecs))
    cache.update(zip(keys["sentences"], sents.vectors.astype(np.float32)))
    return cache, manifest.documents


def _damaged(index_dir: Path) -> str:
    """Why the published index cannot be served ("" when it can, or there is none): it stays
    beside the new one as the version before, the only one to roll back to."""
    try:
        store.verify_files(index_dir, store.Manifest.read(index_dir))
    except store.IndexLoadError as exc:
        return exc.problem
    except UNREADABLE:  # no manifest to check against: nothing to say
        pass
    return ""


def _serves(served: frozenset[str], source: str) -> bool:
    """Whether the index serves this file's summary, or, for a folder (``sub/``, ``v2.0/``),
    any of its files' (their ids start with the folder's path, folders joined by ``--``)."""
    if source.endswith("/"):
        return any(doc_id.startswith(id_prefix(source)) for doc_id in served)
    return doc_id_for(source) in served


def _refuse_dropping(served: frozenset[str], src_dir: Path, docs: list[Document], errors: list[DocumentError]) -> None:
    """Raise `IngestError` for skipped files whose summary the published index serves and no
    good file replaces: a summary that served yesterday is not dropped for a typo made today.
    A second file of a summary counts only when its id is the one served: the summary would
    be indexed again, but under the other file's id, and saved links to it would fail."""
    kept = {d.doc_id for d in docs}
    lost = [e for e in errors
            if _serves(served, e.source) and (e.source.endswith("/") or doc_id_for(e.source) not in kept)]
    if lost:
        bad = "".join(f"\n  {err}" for err in lost)
        other = "".join(f"\n  {err}" for err in errors if err not in lost)
        raise IngestError(f"{len(lost)} file(s) of summaries the index serves now fail, and indexing without them "
                          f"would drop those summaries: nothing indexed, previous index kept. Fix them, or move "
                          f"them out of {src_dir} to drop their summaries on purpose:{bad}"
                          + (f"\nOther files that would be skipped:{other}" if other else ""), errors)


def _embed_all(texts: list[str], cache: dict[str, np.ndarray], embedder: Embedder,
               batch_size: int, progress: bool) -> tuple[np.ndarray, int]:
    keys = [_key(t) for t in texts]
    # Length-sorted batches pad least: three times faster than arbitrary order on CPU.
    todo = sorted({k: t for k, t in zip(keys, texts) if k not in cache}.items(),
                  key=lambda kt: len(kt[1]))
    fresh: dict[str, np.ndarray] = {}
    bar = tqdm(total=len(todo), unit="text", desc="embedding", disable=not progress or not todo)
    step = batch_size * 4
    for start in range(0, len(todo), step):
        batch = todo[start:start + step]
        vecs = embedder.encode([t for _, t in batch], batch_size=batch_size)
        fresh.update({k: v for (k, _), v in zip(batch, vecs)})
        bar.update(len(batch))
    bar.close()
    out = np.zeros((len(texts), embedder.dimension), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = fresh[k] if k in fresh else cache[k]
    return out, len(todo)


def chunk_limit(settings: Settings, embedder: Embedder) -> int:
    """Tokens a passage may have: the setting, never more than the model reads."""
    limit = settings.chunk_tokens or embedder.max_seq_length
    return min(limit, embedder.max_seq_length)


def _chunk_all(docs: list[Document], embedder: Embedder, max_tokens: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    for doc in docs:
        chunks.extend(chunk_document(doc, embedder.count_tokens, max_tokens))
    return mark_shared(chunks)


def _write(version: Path, chunks: list[Chunk], vecs: np.ndarray, table: store.SentenceTable,
           keys: dict[str, list[str]], settings: Settings) -> str:
    store.write_chunks(version / store.CHUNKS, chunks)
    store.write_json(version / store.TEXT_KEYS, keys)
    with open(version / store.EMBEDDINGS, "wb") as f:
        np.save(f, vecs)
    kind = choose_kind(settings.faiss_index, len(chunks), settings.hnsw_min_chunks)
    save_dense(build_dense(vecs, kind, settings.hnsw_m), version / store.DENSE)
    table.save(version / store.SENTENCES)
    KeywordIndex.build(chunks).save(version / store.BM25_DIR)
    PassageWords.build(chunks).save(version / store.PASSAGE_WORDS)
    return kind


def _manifest(docs: list[Document], chunks: list[Chunk], n_sentences: int, kind: str, max_tokens: int,
              embedder: Embedder, settings: Settings, files: dict[str, str], ranker: str) -> store.Manifest:
    entries = {d.doc_id: store.DocumentEntry(
        source=d.source, content_hash=d.content_hash, title=d.title, url=d.url, cancer_types=d.cancer_types,
        chunks=sum(c.doc_id == d.doc_id for c in chunks), links=d.links) for d in docs}
    input_hash = hashlib.sha256("".join(f"{d.source}\0{d.content_hash}\n" for d in docs).encode()).hexdigest()
    return store.Manifest(
        model=settings.model, model_sha256=embedder.weights_sha256, backend=embedder.backend, ranker_sha256=ranker,
        encoder_file=embedder.file, encoder_sha256=embedder.file_sha256, encoder_runs=embedder.runs,
        dimension=embedder.dimension, max_seq_length=embedder.max_seq_length, chunk_tokens=max_tokens, faiss_index=kind,
        chunks_count=len(chunks), sentences_count=n_sentences, input_hash=input_hash,
        created=datetime.now(UTC).isoformat(timespec="seconds"), documents=entries, files=files)


def build_index(src_dir: Path, index_dir: Path, settings: Settings, strict: bool = False,
                embedder: Embedder | None = None, progress: bool = True) -> BuildReport:
    """Index every document under ``src_dir`` into ``index_dir``, atomically.

    Args:
        src_dir: Folder of ``.md``/``.txt`` documents with YAML front matter.
        index_dir: Where the index is published (a symlink to a versioned folder).
        settings: Model, index type and batch size.
        strict: Stop at the first bad file instead of skipping it.
        embedder: An already-loaded model (tests share one).
        progress: Show a progress bar while embedding.

    Returns:
        Counts and timings; ``errors`` lists the files that were skipped.

    Raises:
        IngestError: nothing valid to index, a bad file of a summary the published index
            serves (`_refuse_dropping`), or the index could not be written. The previously
            published index is untouched in every case.
        DocumentError: with ``strict``, the first bad file.
        RankerError: the model's ranker file cannot be read, or its record has no file.
    """
    t0 = time.perf_counter()
    if src_dir.is_file():
        raise IngestError(f"{src_dir} is a file: give the folder that holds the documents ({src_dir.parent})")
    if not src_dir.is_dir():
        raise IngestError(f"source folder {src_dir} does not exist")
    if not os.access(src_dir, os.R_OK | os.X_OK):
        raise IngestError(f"source folder {src_dir} cannot be read (permission denied); {kept(index_dir)}")
    if problem := target_problem(index_dir):
        raise IngestError(problem)
    # Picks, of two files of one summary, the served one; the served ids are read again under
    # the lock for `_refuse_dropping`, in case another ingest published meanwhile.
    docs, errors = load_documents(src_dir, strict=strict, served=served_ids(index_dir))
    if not docs:
        found = "no .md or .txt files" if not errors else "no valid documents"
        bad = "".join(f"\n  {err}" for err in errors)  # each file and its problem
        raise IngestError(f"{found} in {src_dir}; nothing indexed, {kept(index_dir)}{bad}", errors)
    embedder = embedder or get_embedder(settings.model, settings.backend, settings.onnx_target)
    ranker = ranker_sha256(resolve_model(settings.model), used=settings.ranker)  # a fault: the model's, told now

    with ingest_lock(index_dir):  # what is served is read under the lock: another ingest may publish first
        before, damaged = served_ids(index_dir), _damaged(index_dir)
        _refuse_dropping(before, src_dir, docs, errors)
        dropped = tuple(sorted(before - {d.doc_id for d in docs}))
        cache, prev_docs = _previous_vectors(index_dir, embedder, damaged)
        max_tokens = chunk_limit(settings, embedder)
        chunks = _chunk_all(docs, embedder, max_tokens)

        passages = [embedding_text(c.heading_path, c.text, c.title) for c in chunks]
        offsets = [0]
        spans: list[tuple[int, int]] = []
        sentences: list[str] = []
        for c in chunks:
            for a, b in sentence_spans(c.text):
                spans.append((a, b))
                sentences.append(c.text[a:b])
            offsets.append(len(spans))
        vecs, n_new = _embed_all(passages + sentences, cache, embedder,
                                 settings.embed_batch_size, progress)
        table = store.SentenceTable(
            offsets=np.asarray(offsets, dtype=np.int64),
            spans=np.asarray(spans, dtype=np.int32).reshape(-1, 2),
            vectors=vecs[len(passages):].astype(np.float16),
        )
        version = new_version_dir(index_dir)
        try:
            keys = {"chunks": [_key(t) for t in passages], "sentences": [_key(t) for t in sentences]}
            kind = _write(version, chunks, vecs[:len(passages)], table, keys, settings)
            files = {p.relative_to(version).as_posix(): store.sha256_file(p)
                     for p in store.index_files(version)}
            manifest = _manifest(docs, chunks, len(spans), kind, max_tokens, embedder, settings, files, ranker)
            unchanged = _same_index(index_dir, manifest)
            if unchanged:  # a new version of the same bytes would only retire the one served
                discard(version)
            elif problem := foreign_link(index_dir):
                raise IngestError(f"{problem}; nothing was published, {kept(index_dir)}")
            else:
                manifest.write(version)
                publish(version, index_dir)
        except OSError as exc:  # raised before the swap (`publish` lets none out after it)
            discard(version, index_dir)
            raise IngestError(f"could not write the index under {version.parent} "
                              f"({exc.strerror or exc}); {kept(index_dir)}") from None
        except BaseException:
            discard(version, index_dir)
            raise

    reused_docs = sum(1 for d in docs if d.doc_id in prev_docs and prev_docs[d.doc_id].content_hash == d.content_hash)
    return BuildReport(documents=len(docs), chunks=len(chunks), sentences=len(spans),
                       embedded=n_new, reused=len(passages) + len(sentences) - n_new,
                       reused_documents=reused_docs, seconds=time.perf_counter() - t0,
                       index_dir=index_dir, errors=errors,
                       dropped=dropped, replaced=bool(before) and not unchanged, unchanged=unchanged,
                       damaged=damaged)


def _same_index(index_dir: Path, built: store.Manifest) -> bool:
    """Whether the published index is ``built`` already: the same manifest (its files' sha256
    among it) but for when it was made. `scripts/serve.sh` ingests the seeds on every start.
    A plain folder (an older layout) is published over all the same, as a link to a version."""
    if not index_dir.is_symlink():
        return False
    try:
        published = store.Manifest.read(index_dir)
        store.verify_files(index_dir, published)  # a damaged file: rebuilt, as its error says
    except store.IndexLoadError:
        return False
    return replace(built, created=published.created) == published
