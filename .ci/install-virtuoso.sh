#!/usr/bin/env bash
# Install what the SPARQL-server tests (tests/servers.py) need, when it is missing:
# Debian's Virtuoso binaries (virtuoso-t, isql-vt) and the oxigraph server in the venv ($1, default .venv).
#
# Only virtuoso-opensource-7-bin is installed: it holds virtuoso-t and isql-vt and has no maintainer
# scripts. The full virtuoso-opensource package would add a system service whose postinst asks
# debconf for a dba password and starts a Virtuoso on ports 1111 and 8890; the tests start their own
# on free ports instead. Should a system Virtuoso be running anyway, it is named here, not stopped.
# Idempotent and quiet: a second run does nothing. About 12 s the first time.
set -euo pipefail

venv="${1:-.venv}"
python="$venv/bin/python"

if ! command -v virtuoso-t >/dev/null 2>&1 || ! command -v isql-vt >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends virtuoso-opensource-7-bin >/dev/null
  for tool in virtuoso-t isql-vt; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "install-virtuoso.sh: $tool is still missing after installing virtuoso-opensource-7-bin" >&2
      exit 1
    fi
  done
fi
if pgrep -x virtuoso-t >/dev/null 2>&1 && [ -x /etc/init.d/virtuoso-opensource-7 ]; then
  echo "install-virtuoso.sh: note: a system Virtuoso service is running (the tests use their own ports)" >&2
fi

if [ ! -x "$python" ]; then
  echo "install-virtuoso.sh: no python at $python; pass the venv folder as the first argument" >&2
  exit 1
fi
if [ ! -x "$venv/bin/oxigraph" ]; then
  # The same minor release as pyoxigraph (pyproject.toml: pyoxigraph>=0.5,<0.6).
  "$python" -m pip install -q --disable-pip-version-check "oxigraph>=0.5,<0.6"
fi
