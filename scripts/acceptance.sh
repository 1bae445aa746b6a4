#!/usr/bin/env bash
# The shared acceptance cases and the held-out behaviour set against a freshly served model.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/serve.sh
source scripts/behaviour.sh
serve_assistant
check_behaviour "$ENGINE_URL/webhooks/rest/webhook"
