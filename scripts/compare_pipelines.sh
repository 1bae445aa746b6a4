#!/usr/bin/env bash
# Trains the comparison pipelines in bench/configs on the current NLU data and scores
# each on the held-out files, like scripts/heldout.sh does for the served model.
# Slow (DIET trains for minutes): run by hand, not in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
for config in bench/configs/*.yml; do
  name=$(basename "$config" .yml)
  out=results/compare/$name
  rm -rf "$out" && mkdir -p "$out"
  start=$(date +%s)
  .venv-engine/bin/rasa train nlu --config "$config" --nlu nlu --out "$out" --fixed-model-name model >"$out/train.log" 2>&1
  echo "$name: trained in $(( $(date +%s) - start )) s"
  .venv-engine/bin/rasa test nlu --model "$out/model.tar.gz" --nlu tests/nlu_heldout --out "$out" --no-plot \
    >"$out/test.log" 2>&1
  .venv-app/bin/python scripts/nlu_report.py "$out/intent_report.json" | tail -2
done
