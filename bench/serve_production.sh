# Sourced by scripts/bench.sh: serve_production WORKERS [MODEL] runs our assistant the way
# deploy/ does (encrypted Redis tracker store, Redis lock store, SANIC_WORKERS engine workers,
# two action-server workers) against a private Redis on a free loopback port, and sets ENGINE_URL.
# Everything it starts stops when the calling (sub)shell exits. Needs scripts/serve.sh's free_port.
serve_production() {
  local workers=$1 model=${2:-models/current.tar.gz} redis_port actions_port engine_port
  redis_port=$(free_port); actions_port=$(free_port); engine_port=$(free_port)
  PROD_DIR=$(mktemp -d)
  export SG_DATA_DIR="$PROD_DIR" SG_DATABASE_URL="sqlite:///$PROD_DIR/safeguarding.db"
  export SG_ENCRYPTION_KEYS="${SG_ENCRYPTION_KEYS:-$(.venv-app/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')}"
  export SG_ACTIONS_URL="http://127.0.0.1:$actions_port/webhook"
  export SG_ACTIONS_TOKEN="${SG_ACTIONS_TOKEN:-$(.venv-app/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')}"
  export SG_REDIS_HOST=127.0.0.1 SG_REDIS_PORT="$redis_port" SG_TRACKER_TTL_SECONDS=7200
  .venv-app/bin/python -m core.store.migrate >/dev/null
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --dir "$PROD_DIR" >"$PROD_DIR/redis.log" 2>&1 &
  PROD_PIDS="$!"; PROD_CPU_TREES="redis=$!"
  .venv-app/bin/python -m actions.server --port "$actions_port" >"$PROD_DIR/actions.log" 2>&1 &
  PROD_PIDS="$PROD_PIDS $!"; PROD_CPU_TREES="$PROD_CPU_TREES actions=$!"
  # SG_ENGINE_THREADS=N caps each worker's BLAS and TensorFlow thread pools (unset: the libraries' default,
  # one thread per core in every worker, which oversubscribes the cores once there are several workers).
  if [ -n "${SG_ENGINE_THREADS:-}" ]; then
    export OPENBLAS_NUM_THREADS=$SG_ENGINE_THREADS OMP_NUM_THREADS=$SG_ENGINE_THREADS
    export TF_INTRA_OP_PARALLELISM_THREADS=$SG_ENGINE_THREADS TF_INTER_OP_PARALLELISM_THREADS=$SG_ENGINE_THREADS
  fi
  SANIC_WORKERS=$workers .venv-engine/bin/rasa run -i 127.0.0.1 -p "$engine_port" --model "$model" \
    --endpoints deploy/endpoints.production.yml --credentials deploy/credentials.production.yml \
    >"$PROD_DIR/engine.log" 2>&1 &
  PROD_PIDS="$PROD_PIDS $!"; PROD_CPU_TREES="$PROD_CPU_TREES engine=$!"
  # Sanic workers are children of the engine and action server: stop the whole tree.
  trap 'for p in $PROD_PIDS; do pkill -TERM -P $p 2>/dev/null; kill $p 2>/dev/null; done; wait $PROD_PIDS 2>/dev/null; rm -rf "$PROD_DIR"' EXIT
  ENGINE_URL="http://127.0.0.1:$engine_port"
  for _ in $(seq 1 900); do  # every worker loads the model: slow on a busy machine
    curl -sf "$ENGINE_URL/webhooks/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the production profile did not start; last lines of its logs:" >&2
  tail -20 "$PROD_DIR/engine.log" "$PROD_DIR/actions.log" >&2
  return 1
}

# CPU seconds used so far by the engine, action server and Redis trees (JSON); see bench/cpu_tree.py.
prod_cpu() { .venv-app/bin/python bench/cpu_tree.py $PROD_CPU_TREES; }
