#!/usr/bin/env bash
# Held-out NLU evaluation: k-fold cross-validation over the training data,
# then per-intent figures with the safety intents' recall reported apart.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
folds=${SG_EVAL_FOLDS:-3}
rm -rf results/nlu && mkdir -p results/nlu
.venv-engine/bin/rasa test nlu --config bot/config.yml --domain bot/domain --nlu nlu \
  --cross-validation --folds "$folds" --out results/nlu --no-plot --quiet >results/nlu/rasa.log 2>&1 \
  || { tail -30 results/nlu/rasa.log; exit 1; }
.venv-app/bin/python scripts/nlu_report.py results/nlu/intent_report.json
