#!/usr/bin/env bash
# Install what is missing (Debian's chromium for the browser tests, haproxy and wrk for the
# replica tests and bench included), then run the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/haproxy ] || [ ! -x /usr/bin/wrk ]; then
  echo "test: installing Debian's chromium, haproxy and wrk for the browser and replica tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium haproxy wrk >/dev/null
fi
export HF_HUB_OFFLINE=1
exec .venv/bin/python -m pytest "$@"
