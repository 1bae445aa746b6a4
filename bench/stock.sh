#!/usr/bin/env bash
# Builds, once, the stock assistant that `rasa init` creates, under bench/stock/ (gitignored),
# and trains it with its own default config if its model is missing. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
stock=bench/stock
if [ ! -f "$stock/config.yml" ] || [ ! -f "$stock/domain.yml" ]; then
  echo "stock assistant: rasa init into $stock…"
  mkdir -p "$stock"
  # --no-prompt also trains the initial model (into $stock/models).
  .venv-engine/bin/rasa init --no-prompt --init-dir "$stock" >"$stock/init.log" 2>&1 \
    || { tail -20 "$stock/init.log" >&2; exit 1; }
fi
if ! compgen -G "$stock/models/*.tar.gz" >/dev/null; then
  echo "stock assistant: training its model (its own default config)…"
  (cd "$stock" && ../../.venv-engine/bin/rasa train --quiet >train.log 2>&1) \
    || { tail -20 "$stock/train.log" >&2; exit 1; }
fi
ls -t "$stock"/models/*.tar.gz | head -1
