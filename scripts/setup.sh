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
# A download cut off midway (seen on CI: onnxruntime stopped at 19 of 28 MB, six resumes
# failed) is a network hiccup, not a broken project: each install is tried three times, and
# pip itself resumes a cut download up to twenty times. Downloads already done stay in pip's
# cache, so a later try fetches only what is missing.
pip_install() {
  local try
  for try in 1 2 3; do
    .venv/bin/python -m pip install -q --retries 10 --timeout 60 "$@" && return 0
    [ "$try" -lt 3 ] || break
    echo "setup: pip install failed (try $try of 3); trying again" >&2
    sleep $((try * 10))
  done
  echo "setup: pip install failed three times (its message is above); if it names the network, run this again" >&2
  return 1
}
if [ ! -f "$stamp" ]; then
  echo "setup: installing dependencies (torch CPU build first)"
  pip_install --upgrade pip
  export PIP_RESUME_RETRIES=20
  # torch first, pinned: a plain 'torch' requirement would pull a multi-GB CUDA build. Where
  # the package index offers only that build (public PyPI on Linux), TORCH_INDEX_URL names
  # PyTorch's CPU index instead: https://download.pytorch.org/whl/cpu
  pip_install "torch==2.13.0" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
  pip_install -c constraints.txt -e ".[test,bench,train]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The ONNX encoders (the default backend) are exported from the model once, beside it.
HF_HUB_OFFLINE=1 .venv/bin/python -m retriever.export --if-missing
