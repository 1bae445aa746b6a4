#!/usr/bin/env bash
# Trains the model only when its inputs changed; models/current.tar.gz is the latest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
digest=$(cat bot/config.yml bot/domain/*.yml $(find nlu stories -name '*.yml' | sort) bot/components/*.py requirements/engine.lock \
  | sha256sum | cut -c1-16)
model="models/$digest.tar.gz"
if [ -f "$model" ]; then
  echo "the model is up to date ($model)"
else
  # Most of the time goes on MiniLM features for every training example; Rasa's cache (.rasa/) keeps them
  # while the NLU examples and the pipeline stay the same.
  echo "training the model ($digest): usually about 4 minutes on 2 cores from scratch, 30 s when only"
  echo "responses, rules or stories changed (longer while other work shares the machine)"
  start=$(date +%s)
  .venv-engine/bin/rasa train --config bot/config.yml --domain bot/domain --data nlu stories \
    --out models --fixed-model-name "$digest" 2>&1 | quiet_warnings
  echo "trained in $(( $(date +%s) - start )) s: $model"
fi
ln -sfn "$digest.tar.gz" models/current.tar.gz
