#!/usr/bin/env bash
# Talk to the trained model in this terminal: `bash scripts/shell.sh` (rasa shell), or teach it turn by
# turn and save the conversation as a story: `bash scripts/shell.sh interactive` (rasa interactive).
# The action server runs beside it on a throwaway database (scripts/serve.sh), so the report form works;
# both stop when you leave (Ctrl-C, or /stop).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/serve.sh

mode=${1:-shell}
model=models/current.tar.gz
[ -f "$model" ] || { echo "no trained model yet: run 'make train' first" >&2; exit 1; }
serve_actions
wait_for "$ACTIONS_HEALTH_URL" -- "$SERVE_DIR/actions.log"
echo "loading the model (about a minute)…"
port=$(free_port)  # not 5005, so `make run` can be running too
case $mode in
  shell)
    .venv-engine/bin/rasa shell --model "$model" --endpoints bot/endpoints.yml -i 127.0.0.1 -p "$port" 2> >(quiet_warnings >&2) ;;
  interactive)  # rasa interactive listens on every interface (not configurable): a development machine only
    .venv-engine/bin/rasa interactive --model "$model" --config bot/config.yml --domain bot/domain --data nlu stories \
      --endpoints bot/endpoints.yml -p "$port" --skip-visualization 2> >(quiet_warnings >&2) ;;
  *) echo "usage: $0 [shell|interactive]" >&2; exit 2 ;;
esac
