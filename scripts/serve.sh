#!/usr/bin/env bash
# Install what is missing, (re)index seeds/ into ./index (unchanged passages are reused),
# then serve on http://127.0.0.1:8000. Extra arguments go to `python -m service`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
.venv/bin/python -m ingest seeds --index "${PDQ_INDEX_DIR:-index}"
exec .venv/bin/python -m service --index "${PDQ_INDEX_DIR:-index}" "$@"
