# Sourced by scripts that need a running assistant: serve_assistant starts the
# action server and the engine with the current model on free loopback ports
# and sets ENGINE_URL; both stop when the calling script exits.
free_port() { .venv-app/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }

serve_assistant() {  # $1 = model path (default models/current.tar.gz)
  local model=${1:-models/current.tar.gz} actions_port engine_port
  actions_port=$(free_port); engine_port=$(free_port)
  SERVE_DIR=$(mktemp -d)
  export SG_DATA_DIR="$SERVE_DIR" SG_DATABASE_URL="sqlite:///$SERVE_DIR/safeguarding.db"
  export SG_ENCRYPTION_KEYS="${SG_ENCRYPTION_KEYS:-$(.venv-app/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}"
  export SG_ACTIONS_URL="http://127.0.0.1:$actions_port/webhook"
  export SG_ACTIONS_TOKEN="${SG_ACTIONS_TOKEN:-$(.venv-app/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')}"
  .venv-app/bin/python -m core.store.migrate >/dev/null
  .venv-app/bin/python -m actions.server --port "$actions_port" >"$SERVE_DIR/actions.log" 2>&1 &
  SERVE_PIDS="$!"
  export SERVE_ACTIONS_PID="$!"  # the e2e test stops it to show what a person sees when it is down
  SANIC_REQUEST_MAX_SIZE=65536 .venv-engine/bin/rasa run -i 127.0.0.1 -p "$engine_port" --model "$model" --endpoints bot/endpoints.yml \
    --credentials bot/credentials.yml >"$SERVE_DIR/engine.log" 2>&1 &
  SERVE_PIDS="$SERVE_PIDS $!"
  trap 'kill $SERVE_PIDS 2>/dev/null; wait $SERVE_PIDS 2>/dev/null; rm -rf "$SERVE_DIR"' EXIT
  ENGINE_URL="http://127.0.0.1:$engine_port"
  for _ in $(seq 1 240); do
    if curl -sf "$ENGINE_URL/" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$actions_port/health" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  echo "the assistant did not start; last lines of its logs:" >&2
  tail -20 "$SERVE_DIR/engine.log" "$SERVE_DIR/actions.log" >&2
  return 1
}
