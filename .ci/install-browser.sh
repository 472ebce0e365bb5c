#!/usr/bin/env bash
# Install what the browser tests and benchmarks/explorer.py need, when it is missing:
# Debian's chromium (/usr/bin/chromium) and the playwright package in the venv ($1, default .venv).
# Playwright drives the system chromium; its own browser download (`playwright install`) is never used.
# Idempotent and quiet: a second run does nothing.
set -euo pipefail

venv="${1:-.venv}"
python="$venv/bin/python"

if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x "$python" ]; then
  echo "install-browser.sh: no python at $python; pass the venv folder as the first argument" >&2
  exit 1
fi
if ! "$python" -c "import playwright.sync_api" >/dev/null 2>&1; then
  "$python" -m pip install -q --disable-pip-version-check "playwright>=1.40"
fi
