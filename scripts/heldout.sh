#!/usr/bin/env bash
# The trained model on the held-out NLU files (tests/nlu_heldout, never trained on):
# per-intent precision and recall, and the safety intents' recall before the screen.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
rm -rf results/nlu-heldout && mkdir -p results/nlu-heldout
.venv-engine/bin/rasa test nlu --model models/current.tar.gz --nlu tests/nlu_heldout --out results/nlu-heldout \
  --no-plot --successes >results/nlu-heldout/rasa.log 2>&1 || { tail -30 results/nlu-heldout/rasa.log; exit 1; }
.venv-app/bin/python scripts/nlu_report.py results/nlu-heldout/intent_report.json
