#!/usr/bin/env bash
# Create .venv (Python 3.11+) and install the project with pinned versions.
# Safe to run again: it reinstalls only when pyproject.toml or constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing dependencies (torch CPU build first)"
  .venv/bin/python -m pip install -q --upgrade pip
  # torch first, pinned: a plain 'torch' requirement would pull a multi-GB CUDA build. Where
  # the package index offers only that build (public PyPI on Linux), TORCH_INDEX_URL names
  # PyTorch's CPU index instead: https://download.pytorch.org/whl/cpu
  .venv/bin/python -m pip install -q "torch==2.13.0" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[test,bench,train]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The ONNX encoders (the default backend) are exported from the model once, beside it.
HF_HUB_OFFLINE=1 .venv/bin/python -m retriever.export --if-missing
