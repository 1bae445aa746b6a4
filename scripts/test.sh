#!/usr/bin/env bash
# Everything CI checks, in order of cost; stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
step() { echo; echo "== $*"; }

# pytest exits 5 when it collects nothing; that is a failure here too.
run_pytest() { local rc=0; "$@" || rc=$?; [ $rc -eq 0 ] || { echo "pytest exited $rc"; return 1; }; }

step "lint (ruff)"
.venv-app/bin/ruff check .
.venv-app/bin/ruff format --check .

step "types (mypy)"
# The app environment's packages that exist (settings in pyproject.toml); bot/ runs on the engine's Rasa.
.venv-app/bin/mypy $(for d in core casebook channels actions; do [ -d "$d" ] && echo "$d"; done)

step "browser for the web tests"
bash scripts/browser.sh

step "unit and integration tests (app environment, SQLite, PostgreSQL and Redis)"
run_pytest .venv-app/bin/python -m pytest tests --ignore=tests/production/engine -q -p no:cacheprovider

step "safety screen, featurizer and tracker store tests (engine environment, Redis)"
run_pytest .venv-engine/bin/python -m pytest tests/engine -q -p no:cacheprovider -c tests/engine/pytest.ini

step "rasa data validate"
bash scripts/validate.sh

step "train (only if inputs changed)"
bash scripts/train.sh

step "rasa test: conversation stories (tests/stories)"
bash scripts/test_stories.sh

step "held-out NLU (tests/nlu_heldout, never trained on): per intent, safety recall"
bash scripts/heldout.sh

step "production profile: engine killed mid-report resumes; Redis down still answers (Redis, PostgreSQL)"
run_pytest .venv-app/bin/python -m pytest tests/production/engine -q -p no:cacheprovider -s

step "served model: shared acceptance cases; held-out behaviour set; end to end (report, record, e-mail to the DSL)"
(
  source scripts/serve.sh
  source scripts/behaviour.sh
  serve_assistant
  # The behaviour sets first: the end-to-end tests stop and restart the action server.
  check_behaviour "$ENGINE_URL/webhooks/rest/webhook"
  SG_E2E_ENGINE_URL="$ENGINE_URL" run_pytest .venv-app/bin/python -m pytest tests/e2e -q -p no:cacheprovider
)
