#!/usr/bin/env bash
# Re-resolves every lock file from its .in file, with hashes, for Linux x86_64.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null 2>&1 || true
UV=.venv-tools/bin/uv
common=(--quiet --generate-hashes --python-platform x86_64-manylinux_2_28)
"$UV" pip compile "${common[@]}" --python-version 3.10 requirements/engine.in -o requirements/engine.lock
"$UV" pip compile "${common[@]}" --python-version 3.10 --no-deps requirements/engine-model.in -o requirements/engine-model.lock
"$UV" pip compile "${common[@]}" --python-version 3.11 requirements/app.in -o requirements/app.lock
