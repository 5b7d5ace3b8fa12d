#!/usr/bin/env bash
# Install what is missing, (re)index seeds/ into ./index (unchanged passages are reused; an
# unchanged index is not published again),
# then serve on http://127.0.0.1:8000. Extra arguments go to `python -m service`.
# A ./index built from another folder (python -m ingest DOCS --index index) is served as it is.
# An existing index named by PDQ_INDEX_DIR (in the environment or .env) is served as it is:
# it may hold other documents (a corpus), which indexing the seeds would replace.
set -euo pipefail
cd "$(dirname "$0")/.."
for arg in "$@"; do  # the seeds would be indexed into one folder and another served
  case "$arg" in
    --index|--index=*)
      echo "error: name the index with PDQ_INDEX_DIR=FOLDER bash scripts/serve.sh, not --index" >&2; exit 2;;
    -h|--help)  # the service's own help follows; this script takes all of it but --index
      echo "usage: [PDQ_INDEX_DIR=FOLDER] bash scripts/serve.sh [OPTIONS]"
      echo "Installs what is missing, indexes seeds/ into ./index (or serves the index PDQ_INDEX_DIR names"
      echo "as it is), then serves it. OPTIONS are python -m service's, below, all but --index."
      echo;;
  esac
done
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
# The options and settings checked before anything is indexed: a bad --port must not
# re-index ./index (and retire the folder a running service reads) only to stop after.
.venv/bin/python -m service --check "$@" || exit 2
for arg in "$@"; do case "$arg" in -h|--help|--check) exit 0;; esac; done  # checked (and any help printed)
# The index folder as the service reads it (environment, then .env; an empty variable is unset).
# (A command substitution, not `< <(...)`: the process substitution's child outlived the `exec`
# below as a zombie of the service.)
line=$(.venv/bin/python -m retriever.settings index-dir) || exit 2
read -r named index <<< "$line"
if [ -z "$(ls -A "$index" 2>/dev/null)" ]; then  # absent or empty: the seeds
  if [ "$named" = 1 ]; then  # a mistyped PDQ_INDEX_DIR would otherwise serve the seed without a word
    echo "PDQ_INDEX_DIR=$index is $([ -e "$index" ] && echo empty || echo 'not there'): indexing seeds/ into it" >&2
  fi
  .venv/bin/python -m ingest seeds --index "$index"
elif [ "$named" = 0 ]; then  # the default ./index: the seeds again (edits picked up), unless built from another folder
  .venv/bin/python -m ingest seeds --index "$index" --unless-other
fi
exec .venv/bin/python -m service --index "$index" "$@"
