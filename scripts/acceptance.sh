#!/usr/bin/env bash
# Runs ../shared/acceptance against a freshly served model and enforces the thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/serve.sh
shared=${SG_SHARED_DIR:-../shared}
if [ ! -f "$shared/acceptance/run_cases.py" ]; then
  echo "acceptance: SKIPPED — $shared/acceptance not found (it sits beside the repo in CI)"
  exit 0
fi
mkdir -p results
serve_assistant
# run_cases exits 1 on any failed case; the gate below decides what fails the build.
.venv-app/bin/python "$shared/acceptance/run_cases.py" "$shared"/acceptance/*.jsonl \
  --url "$ENGINE_URL/webhooks/rest/webhook" --json results/acceptance.json --show-failures 40 || [ $? -eq 1 ]
.venv-app/bin/python scripts/acceptance_gate.py results/acceptance.json
