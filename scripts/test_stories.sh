#!/usr/bin/env bash
# rasa test core: the conversations in tests/stories (the user's words through NLU, the safety screen and
# the rules) against the trained model; one wrong prediction fails. The training stories in stories/ need
# no run of their own: training fails if one contradicts a rule.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
.venv-engine/bin/rasa test core --model models/current.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results/core --no-plot 2>&1 | quiet_warnings
