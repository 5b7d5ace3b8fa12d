"""The ONNX backends: the model's transformer exported to ONNX, run by onnxruntime.

The files follow sentence-transformers' layout (``<model>/onnx/model.onnx`` and
``model_qint8_<target>.onnx``), and the pooling is the model's own (mean over tokens, then
L2 normalisation, read from its ``1_Pooling`` config). They are run here with onnxruntime
and the model's fast tokenizer rather than through sentence-transformers' ONNX backend:
that backend loads through optimum-onnx, whose releases require transformers < 4.58,
while this project runs transformers 5 (README, "Encoder backends"). Without torch in
the process, a service worker is also several hundred MB smaller.
"""

from __future__ import annotations

import json
import logging
import platform
from pathlib import Path

import numpy as np

from retriever.embedding import ModelError
from retriever.store import RUN_ALONE, RUN_IN_BATCHES, sha256_file

logger = logging.getLogger(__name__)

ONNX_DIR = "onnx"
FP32_FILE = "model.onnx"
# Written by the export beside the files: their sha256, the weights they came from, and the
# model's max_seq_length and dimension as sentence-transformers reads them.
EXPORT_INFO = "export.json"
# Dynamic int8 quantisation targets: the instruction set the int8 kernels are tuned for.
TARGETS = ("avx512_vnni", "avx2", "arm64")
# Padded tokens per ONNX batch (texts x longest): the best of 256 to 8,192 measured on corpus
# texts (`OnnxEmbedder.encode`).
TOKENS_PER_BATCH = 1024
# The int8 model quantises each run's activations with one scale for the whole batch, so a
# text's vector depended on the texts run beside it (cosine 0.992-0.993 between a passage
# embedded alone and beside one other) and differed from the vector the same text gets as a
# query, which always runs alone. It runs each text alone (`OnnxEmbedder.encode`). Measured
# against batches, same code, ranker and threshold: the five unseen seed sets' Hit@1 292 ->
# 297 of 345, refused 14 -> 11; validation lay questions passage@1 0.673 -> 0.678; MedQuAD
# right summary first 562 -> 565 of 634; corpus ingest 304 s instead of 218 s.
EXPORT_COMMAND = "python -m retriever.export --model {model}"


class BackendUnavailable(RuntimeError):
    """This machine cannot run the requested ONNX backend (the caller falls back)."""


def int8_file(target: str) -> str:
    return f"model_qint8_{target}.onnx"


def cpu_targets() -> list[str]:
    """The int8 targets this CPU can run, best first (an AVX-512 VNNI CPU also runs AVX2)."""
    if platform.machine().lower() in ("arm64", "aarch64"):
        return ["arm64"]
    try:
        flags = set(Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").split())
    except OSError:
        return []
    return [t for t in ("avx512_vnni", "avx2") if t in flags]


def cpu_target() -> str | None:
    """The int8 target this CPU runs best, or None."""
    return next(iter(cpu_targets()), None)


def onnx_file(backend: str, target: str = "auto") -> str:
    """The file, relative to the model folder, that ``backend`` runs on this machine.

    An int8 ``target`` the CPU cannot run falls back, with a warning, to the CPU's best.

    Raises:
        BackendUnavailable: onnxruntime is not installed, or no int8 target suits the CPU.
    """
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        raise BackendUnavailable(f"backend {backend!r} needs onnxruntime, which is not installed") from None
    if backend == "onnx":
        return f"{ONNX_DIR}/{FP32_FILE}"
    runnable = cpu_targets()
    if not runnable:
        raise BackendUnavailable("this CPU has no int8 target (AVX2, AVX-512 VNNI or ARM64)")
    chosen = target if target in runnable else runnable[0]
    if target not in ("auto", chosen):
        logger.warning("int8 target %r is not supported by this CPU; using %r", target, chosen)
    return f"{ONNX_DIR}/{int8_file(chosen)}"


class OnnxEmbedder:
    """Encodes with onnxruntime (see `retriever.embedding.Embedder`) on ``threads`` threads
    (0: one per core)."""

    def __init__(self, model: str, folder: Path, file: str, weights_sha256: str, threads: int = 0):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name, self.file, self.weights_sha256, self.threads = model, file, weights_sha256, threads
        self.backend = "onnx" if file.endswith(FP32_FILE) else "onnx-int8"
        self.runs = RUN_IN_BATCHES if self.backend == "onnx" else RUN_ALONE
        path = folder / file
        rebuild = EXPORT_COMMAND.format(model=model)
        if not path.is_file():
            raise ModelError(f"model {model!r}: ONNX file {path} is missing; make it with: {rebuild}")
        self.max_seq_length, self.dimension, self.file_sha256 = _read_config(model, folder, file, weights_sha256)
        try:
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            self._inputs = {i.name for i in self._session.get_inputs()}
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
            raise ModelError(f"model {model!r}: cannot load {path} ({type(exc).__name__}: {exc}); "
                             f"rebuild it with: {rebuild}") from None
        tokenizer = folder / "tokenizer.json"
        try:  # the model's own file, not made by the export: restored, not rebuilt
            self._tokenizer, self._counter = Tokenizer.from_file(str(tokenizer)), Tokenizer.from_file(str(tokenizer))
        except Exception as exc:  # tokenizers raises a bare Exception
            raise ModelError(f"model {model!r}: cannot read {tokenizer} ({exc}); it comes with the model: "
                             f"restore it (git checkout {folder} for the shipped one)") from None
        self._tokenizer.enable_truncation(self.max_seq_length)
        self._tokenizer.enable_padding(pad_id=self._tokenizer.token_to_id("[PAD]") or 0)
        self._counter.no_truncation()
        self._counter.no_padding()

    def count_tokens(self, text: str) -> int:
        """Tokens the model sees for ``text``, special tokens included."""
        return len(self._counter.encode(text).ids)

    def encode(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """Vectors of ``texts``: fp32 in batches of similar token length and at most
        `TOKENS_PER_BATCH` padded tokens (or ``batch_size`` texts), int8 one text a run.

        Batching by tokens rather than by count pads least and keeps a batch's activations
        in cache: 389 texts a second on corpus passages and sentences against 202 in
        length-sorted batches of 64 (int8, 2 CPUs, when int8 still batched). The int8 model
        now runs one text at a time (`RUN_ALONE`), so that a text's vector is the one it gets
        as a query.
        """
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if self.runs == RUN_ALONE:  # no lengths to sort by: each text is its own run
            for i, text in enumerate(texts):
                out[i] = self.encode_query(text)
            return out
        lengths = [min(len(e.ids), self.max_seq_length) for e in self._counter.encode_batch(texts)]
        order = np.argsort(lengths, kind="stable")
        batch: list[int] = []
        for i in order:
            if batch and ((len(batch) + 1) * lengths[i] > TOKENS_PER_BATCH or len(batch) == batch_size):
                out[batch] = self._encode_batch([texts[j] for j in batch])
                batch = []
            batch.append(int(i))
        if batch:
            out[batch] = self._encode_batch([texts[j] for j in batch])
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """One text's vector, tokenized without `encode_batch`: that call lets go of the GIL,
        and a planning thread that takes it then holds up the encoder until it is done
        (`retriever.beside` plans beside the encoder, which lets go of it only while the
        network runs). The same vector as in a batch of one, bit for bit."""
        return self._run([self._tokenizer.encode(text)])[0]

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        return self._run(self._tokenizer.encode_batch(texts))

    def _run(self, encodings) -> np.ndarray:
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask,
                "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}
        tokens = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def _read_config(model: str, folder: Path, file: str, weights_sha256: str) -> tuple[int, int, str]:
    """max_seq_length, dimension and the file's sha256 as the export recorded them, after
    checking the export was made from these weights and ``file`` is unchanged since."""
    rebuild = EXPORT_COMMAND.format(model=model)
    path = folder / ONNX_DIR / EXPORT_INFO
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        expected = info["files"][Path(file).name]
        max_seq_length, dimension = int(info["max_seq_length"]), int(info["dimension"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"model {model!r}: {path} is missing or unreadable ({exc}); "
                         f"make the ONNX files with: {rebuild}") from None
    if info.get("weights_sha256", "") != weights_sha256:
        raise ModelError(f"model {model!r}: the ONNX files in {path.parent} were exported from other "
                         f"weights than {folder} holds now: if the weights were changed on purpose, rebuild "
                         f"them with: {rebuild}; if not, the weights file is damaged: restore it (git checkout "
                         f"{folder} for the shipped model)")
    if sha256_file(folder / file) != expected:
        raise ModelError(f"model {model!r}: {folder / file} is damaged (checksum differs from "
                         f"{EXPORT_INFO}); rebuild it with: {rebuild}")
    return max_seq_length, dimension, expected
