"""The on-disk index: its files, its manifest, and checks that they belong together.

Layout of an index folder::

    manifest.json     schema, model, counts, input hash, per-file sha256 (written last)
    chunks.jsonl      one `Chunk` per line
    embeddings.npy    float32 [chunks, dim], normalised, row i = chunk i
    dense.faiss       FAISS index over the same rows (flat or HNSW)
    sentences.npz     sentence spans of every chunk and their embeddings (for highlights)
    text_keys.json    hash of the exact text behind every vector (lets ingest reuse them)
    bm25/             bm25s index over the same chunks
    passage_words.npz every chunk's words as abstention reads them (`retriever.passage_words`)
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from retriever.models import Chunk

SCHEMA_VERSION = 1
# How an encoder runs its texts (`Embedder.runs`, recorded as the manifest's `encoder_runs`):
# the int8 one runs each text alone (`retriever.onnx_backend`), the others in batches.
RUN_IN_BATCHES, RUN_ALONE = "batches", "one text a run"
MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
EMBEDDINGS = "embeddings.npy"
DENSE = "dense.faiss"
SENTENCES = "sentences.npz"
TEXT_KEYS = "text_keys.json"
BM25_DIR = "bm25"
PASSAGE_WORDS = "passage_words.npz"
# The files ingest reads as documents (`ingest.sources`).
DOCUMENT_SUFFIXES = (".md", ".txt")


class IndexLoadError(RuntimeError):
    """An index folder that cannot be served; the message names the file and the fix."""

    def __init__(self, index_dir: Path, problem: str, fix: str | None = None):
        # A path that is not there is more often mistyped than unbuilt: the path is checked first.
        build = "rebuild it" if Path(index_dir).exists() else "if the path is right, build the index there"
        fix = fix or (f"{build} with: python -m ingest SOURCE_FOLDER --index {index_dir} (SOURCE_FOLDER: the "
                      f"folder of documents it was built from, such as seeds for the bundled summary)")
        super().__init__(f"index {index_dir}: {problem}; {fix}")
        self.index_dir = index_dir
        self.problem = problem


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_recorded(path: Path, record: Path, what: str, fix: str, error: type[ValueError]) -> tuple[dict, str]:
    """A shipped file's record (JSON holding its ``sha256``) and the file's own sha256, checked
    against each other, so that a cut-off or edited file is named as such before anything
    parses it. Raises ``error`` naming the record or the file, and ``fix``."""
    try:
        raw = json.loads(record.read_text(encoding="utf-8"))
        recorded, sha256 = str(raw["sha256"]), sha256_file(path)
    except PermissionError as exc:  # a file it may not read is no damaged one: restoring it changes nothing
        raise error(f"{exc.filename or record}: cannot be read ({exc.strerror}); let this user read it") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        article = "an" if what[:1] in "aeiou" else "a"
        raise error(f"{record}: not {article} {what} record ({exc}); {fix}") from None
    if sha256 != recorded:
        raise error(f"{path}: sha256 {sha256[:12]} does not match its record ({recorded[:12]}): "
                    f"a partial or edited file; {fix}")
    return raw, sha256


def finite_number(value) -> bool:
    """Whether a value read from JSON is a finite number (not a bool, string, NaN or infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def read_check(folder: Path, weights: str, record_name: str, what: str, rebuild: str, switch: str,
               model_sha256: str, error: type[ValueError]) -> tuple[dict, str, str] | None:
    """A check shipped beside a model (its weights and their record): None when neither file
    is there, else the record, the weights' sha256 and the fix an error names. Raises
    ``error`` for weights missing beside their record, edited or cut off, or fitted on the
    vectors of another model than ``model_sha256`` (an index manifest's)."""
    path, record = folder / weights, folder / record_name
    if not path.is_file() and not record.is_file():
        return None
    fix = (f"restore the shipped files (git checkout {folder}) or rebuild them with: {rebuild} "
           f"({switch}=false serves without the check)")
    if not path.is_file():
        raise error(f"{path}: missing beside its record {record.name}; {fix}")
    raw, sha256 = read_recorded(path, record, what, fix, error)
    fitted_on = str(raw.get("model_sha256", ""))
    if fitted_on and model_sha256 and fitted_on != model_sha256:
        raise error(f"{record}: fitted on the vectors of model weights {fitted_on[:12]}, the model "
                    f"is now {model_sha256[:12]}; rebuild it with: {rebuild}")
    return raw, sha256, fix


def index_files(index_dir: Path) -> list[Path]:
    """Every data file of an index (all but the manifest), in a stable order."""
    return sorted(p for p in index_dir.rglob("*") if p.is_file() and p.name != MANIFEST)


def write_json(path: Path, data) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())


def write_npz(path: Path, **arrays) -> None:
    """``arrays`` in one uncompressed .npz, on disk before the manifest that lists it is written."""
    with open(path, "wb") as f:
        np.savez(f, **arrays)
        f.flush()
        os.fsync(f.fileno())


def write_chunks(path: Path, chunks: list[Chunk]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for c in chunks:
            f.write(json.dumps(c.to_dict(), ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


@dataclass(frozen=True)
class DocumentEntry:
    """One indexed document, as the manifest lists it."""

    source: str
    content_hash: str
    title: str = ""
    url: str = ""
    cancer_types: list[str] = field(default_factory=list)
    chunks: int = 0
    # The pages it links to by name, ``{link text: address}`` (`ingest.links`); {} in an index
    # made before they were kept, where the page links to the line naming them instead.
    links: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """What an index folder holds and how it was built; ``manifest.json``, written last.

    Ingest writes it and the retriever refuses an index whose model, weights, dimension
    or files disagree with it.
    """

    model: str
    dimension: int
    chunks_count: int
    documents: dict[str, DocumentEntry]
    files: dict[str, str]
    model_sha256: str = ""
    # The model's learned ranker when the index was built (provenance only: it reads the
    # index's signals at query time, so replacing it needs no rebuild).
    ranker_sha256: str = ""
    backend: str = "torch"
    encoder_file: str = ""
    encoder_sha256: str = ""
    encoder_runs: str = ""  # `Embedder.runs`: how the vectors were run ("" before it was recorded)
    max_seq_length: int = 0
    chunk_tokens: int = 0
    faiss_index: str = "flat"
    sentences_count: int = 0
    input_hash: str = ""
    created: str | None = None
    schema_version: int = SCHEMA_VERSION

    @property
    def runs(self) -> str:
        """How the vectors were run (`Embedder.runs`): in batches before it was recorded."""
        return self.encoder_runs or RUN_IN_BATCHES

    @property
    def documents_count(self) -> int:
        return len(self.documents)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["documents_count"] = self.documents_count
        return data

    def write(self, folder: Path) -> None:
        write_json(folder / MANIFEST, self.to_dict())

    @classmethod
    def read(cls, index_dir: Path) -> Manifest:
        """The manifest of ``index_dir``.

        Raises:
            IndexLoadError: missing, not JSON, another schema version, or fields missing.
        """
        raw = _manifest_json(index_dir)
        names, entry_names = {f.name for f in fields(cls)}, {f.name for f in fields(DocumentEntry)}
        try:  # fields a later release added are left, as at the top level
            docs = {d: DocumentEntry(**{k: v for k, v in e.items() if k in entry_names})
                    for d, e in (raw.get("documents") or {}).items()}
            return cls(**{**{k: v for k, v in raw.items() if k in names}, "documents": docs})
        except TypeError as exc:
            raise IndexLoadError(index_dir, f"{MANIFEST} lacks a field ({exc})") from None


def _manifest_json(index_dir: Path) -> dict:
    path = index_dir / MANIFEST
    if not index_dir.exists():
        raise IndexLoadError(index_dir, f"folder does not exist (check the path: it reads as {index_dir.absolute()})")
    if not index_dir.is_dir():
        raise IndexLoadError(index_dir, "is a file, not an index folder (give the folder ingest wrote)")
    if not path.is_file():
        raise IndexLoadError(index_dir, f"{MANIFEST} is missing (incomplete or not an index)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise IndexLoadError(index_dir, f"{MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("schema_version") != SCHEMA_VERSION:
        found = manifest.get("schema_version") if isinstance(manifest, dict) else None
        raise IndexLoadError(index_dir, f"{MANIFEST} has schema version {found!r}, "
                                        f"this program reads {SCHEMA_VERSION}")
    return manifest


def verify_files(index_dir: Path, manifest: Manifest) -> None:
    """Check every file the manifest lists is present and unchanged (sha256)."""
    for rel, digest in manifest.files.items():
        path = index_dir / rel
        if not path.is_file():
            raise IndexLoadError(index_dir, f"file {rel} is missing")
        if sha256_file(path) != digest:
            raise IndexLoadError(index_dir, f"file {rel} is corrupted (checksum differs from {MANIFEST})")


def read_chunks(index_dir: Path) -> list[Chunk]:
    path = index_dir / CHUNKS
    chunks = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                chunks.append(Chunk.from_dict(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise IndexLoadError(index_dir, f"{CHUNKS} line {n} is unreadable ({exc})") from None
    return chunks


# Sentence tables up to this size are searched as float32 (`SentenceTable.for_search`).
SENTENCES_FLOAT32_MAX_BYTES = 256 * 2**20


@dataclass
class SentenceTable:
    """Sentence spans of all chunks, flattened: rows ``offsets[i]:offsets[i+1]`` belong to chunk i."""

    offsets: np.ndarray  # int64 [chunks + 1]
    spans: np.ndarray  # int32 [sentences, 2]
    vectors: np.ndarray  # float16 [sentences, dim] (float32 once `for_search`)

    def save(self, path: Path) -> None:
        write_npz(path, offsets=self.offsets, spans=self.spans, vectors=self.vectors)

    @classmethod
    def load(cls, path: Path) -> SentenceTable:
        with np.load(path) as data:
            return cls(data["offsets"], data["spans"], data["vectors"])

    def for_search(self, max_bytes: int = SENTENCES_FLOAT32_MAX_BYTES) -> SentenceTable:
        """The table with float32 vectors when they take at most ``max_bytes``.

        Stored as float16; converting the candidates' rows on every search cost 0.15 ms
        even on the seed (370 sentences). A 169-summary corpus takes 78 MB as float32;
        a larger table keeps half the memory and converts rows per search.
        """
        if self.vectors.dtype == np.float32 or self.vectors.size * 4 > max_bytes:
            return self
        return SentenceTable(self.offsets, self.spans, self.vectors.astype(np.float32))
