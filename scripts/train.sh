#!/usr/bin/env bash
# Trains the model only when its inputs changed; models/current.tar.gz is the latest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
digest=$(cat bot/config.yml bot/domain/*.yml $(find nlu stories -name '*.yml' | sort) bot/components/*.py requirements/engine.lock \
  | sha256sum | cut -c1-16)
model="models/$digest.tar.gz"
if [ ! -f "$model" ]; then
  echo "training the model ($digest)…"
  start=$(date +%s)
  .venv-engine/bin/rasa train --config bot/config.yml --domain bot/domain --data nlu stories \
    --out models --fixed-model-name "$digest" --quiet
  echo "trained in $(( $(date +%s) - start )) s"
fi
ln -sfn "$digest.tar.gz" models/current.tar.gz
