"""``python -m retriever.export``: the configured model's ONNX files, made once, kept beside it.

Writes ``<model>/onnx/model.onnx`` (fp32, the transformer's token embeddings; pooling and
normalisation stay in `retriever.onnx_backend`), ``model_qint8_<target>.onnx`` (weights
dynamically quantised to int8 by onnxruntime for the CPU's instruction set), and
``export.json`` recording their sha256, the weights they came from and the model's
sequence length. Needs torch and onnx (installed with the project); takes seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from retriever.embedding import ModelError, resolve_model, weights_hash
from retriever.onnx_backend import EXPORT_INFO, FP32_FILE, ONNX_DIR, TARGETS, cpu_target, int8_file
from retriever.settings import SettingsProblem, read_settings
from retriever.store import sha256_file, write_json

# Dynamic quantisation per target. Without VNNI, u8 x s8 products can saturate in 16 bits,
# so AVX2 keeps 7-bit weights (onnxruntime's reduce_range); VNNI and ARM64 use all 8.
REDUCE_RANGE = {"avx512_vnni": False, "avx2": True, "arm64": False}


def export_fp32(model: str, folder: Path, out: Path) -> tuple[int, int]:
    """Export the transformer to ONNX; return the model's max_seq_length and dimension."""
    import torch
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(folder), device="cpu", local_files_only=True,
                             model_kwargs={"dtype": torch.float32})
    transformer = st[0].auto_model.eval()

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    sample = st.tokenizer(["an example passage to trace"], return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]}
    with torch.no_grad():
        torch.onnx.export(TokenEmbeddings(), tuple(sample[n] for n in names), str(out), input_names=names,
                          output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17,
                          dynamo=False)
    return int(st.max_seq_length), int(st.get_embedding_dimension() if hasattr(st, "get_embedding_dimension")
                                       else st.get_sentence_embedding_dimension())


def quantize(fp32: Path, target: str) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = fp32.with_name(int8_file(target))
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True,
                     reduce_range=REDUCE_RANGE[target])
    return out


def export(model: str, targets: list[str]) -> Path:
    """Export ``model`` and its int8 variants; return the folder written.

    Files already exported from the same weights stay recorded, so exporting one more
    target keeps the others usable, and the fp32 file is only rewritten when it is stale
    (an index embedded with it would otherwise be refused).
    """
    folder = Path(resolve_model(model))
    if not folder.is_dir():
        raise ModelError(f"model {model!r} is not a local folder ({folder}); nothing to export")
    out = folder / ONNX_DIR
    out.mkdir(exist_ok=True)
    weights = weights_hash(model, str(folder))
    record = _record(out, weights)
    if record.get("files", {}).get(FP32_FILE) != _sha(out / FP32_FILE):
        record["max_seq_length"], record["dimension"] = export_fp32(model, folder, out / FP32_FILE)
        record["files"] = {}
    files = [out / FP32_FILE] + [quantize(out / FP32_FILE, t) for t in targets]
    record["files"] = {**record.get("files", {}), **{f.name: sha256_file(f) for f in files}}
    write_json(out / EXPORT_INFO, {"model": model, "weights_sha256": weights, **record})
    return out


def _record(out: Path, weights: str) -> dict:
    """The export record of ``out`` if it was made from these weights, else {}."""
    try:
        info = json.loads((out / EXPORT_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if info.get("weights_sha256") != weights:
        return {}
    return {k: info[k] for k in ("max_seq_length", "dimension", "files") if k in info}


def _sha(path: Path) -> str:
    return sha256_file(path) if path.is_file() else ""


def is_current(model: str, targets: list[str]) -> bool:
    """Whether the export of ``model`` exists, covers ``targets`` and matches its weights."""
    folder = Path(resolve_model(model))
    files = _record(folder / ONNX_DIR, weights_hash(model, str(folder))).get("files", {})
    wanted = [FP32_FILE] + [int8_file(t) for t in targets]
    return all(f in files and _sha(folder / ONNX_DIR / f) == files[f] for f in wanted)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m retriever.export", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=None, help="model name or folder (default: $PDQ_MODEL, the shipped model)")
    p.add_argument("--target", action="append", choices=TARGETS,
                   help="int8 target(s) (default: this CPU's own)")
    p.add_argument("--if-missing", action="store_true",
                   help="do nothing when the files exist and match the model's weights")
    args = p.parse_args(argv)
    try:  # set-up runs this first: a bad PDQ_* variable is named here as the service names it
        model = args.model or read_settings().model
    except SettingsProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    targets = args.target or [t for t in [cpu_target()] if t]
    if args.if_missing and not Path(resolve_model(model)).is_dir():
        print(f"export: model {model!r} is not a local folder; only the torch backend can run it")
        return 0
    try:
        if args.if_missing and is_current(model, targets):
            return 0
        out = export(model, targets)
    except (ModelError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, size in sorted((f.name, f.stat().st_size) for f in out.iterdir()):
        print(f"{out / name}  {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
