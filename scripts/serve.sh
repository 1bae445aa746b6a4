# Sourced by scripts that need a running assistant: serve_assistant starts the action server and the
# engine with the current model on free loopback ports and sets ENGINE_URL; serve_actions starts only
# the action server (for rasa shell and rasa interactive, which run the engine themselves) and sets
# SG_ACTIONS_URL. Both use a throwaway database and stop what they started when the calling script exits.
free_port() { .venv-app/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }

# wait_for URL... [-- LOG...]: true once every URL answers; after 2 minutes, shows the logs and fails.
wait_for() {
  local urls=() logs=() url ok
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do urls+=("$1"); shift; done
  [ $# -gt 0 ] && { shift; logs=("$@"); }
  for _ in $(seq 1 240); do
    ok=1
    for url in "${urls[@]}"; do curl -sf "$url" >/dev/null 2>&1 || { ok=0; break; }; done
    [ $ok = 1 ] && return 0
    sleep 0.5
  done
  echo "the assistant did not start; last lines of its logs:" >&2
  tail -20 "${logs[@]}" >&2
  return 1
}

serve_actions() {
  local actions_port
  actions_port=$(free_port)
  SERVE_DIR=$(mktemp -d)
  export SG_DATA_DIR="$SERVE_DIR" SG_DATABASE_URL="sqlite:///$SERVE_DIR/safeguarding.db"
  export SG_ENCRYPTION_KEYS="${SG_ENCRYPTION_KEYS:-$(.venv-app/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}"
  export SG_ACTIONS_URL="http://127.0.0.1:$actions_port/webhook"
  export SG_ACTIONS_TOKEN="${SG_ACTIONS_TOKEN:-$(.venv-app/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')}"
  .venv-app/bin/python -m core.store.migrate >/dev/null
  .venv-app/bin/python -m actions.server --port "$actions_port" >"$SERVE_DIR/actions.log" 2>&1 &
  SERVE_PIDS="$!"
  export SERVE_ACTIONS_PID="$!"  # the e2e test stops it to show what a person sees when it is down
  trap 'kill $SERVE_PIDS 2>/dev/null; wait $SERVE_PIDS 2>/dev/null; rm -rf "$SERVE_DIR"' EXIT
  ACTIONS_HEALTH_URL="http://127.0.0.1:$actions_port/health"
}

serve_assistant() {  # $1 = model path (default models/current.tar.gz)
  local model=${1:-models/current.tar.gz} engine_port
  serve_actions
  engine_port=$(free_port)
  SANIC_REQUEST_MAX_SIZE=65536 .venv-engine/bin/rasa run -i 127.0.0.1 -p "$engine_port" --model "$model" --endpoints bot/endpoints.yml \
    --credentials bot/credentials.yml >"$SERVE_DIR/engine.log" 2>&1 &
  SERVE_PIDS="$SERVE_PIDS $!"
  ENGINE_URL="http://127.0.0.1:$engine_port"
  wait_for "$ENGINE_URL/" "$ACTIONS_HEALTH_URL" -- "$SERVE_DIR/engine.log" "$SERVE_DIR/actions.log"
}
