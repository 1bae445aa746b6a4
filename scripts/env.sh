# Sourced by every script: the engine never phones home, never fetches a model,
# and finds our custom components on the path.
export RASA_TELEMETRY_ENABLED=false
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SG_ACTIONS_URL="${SG_ACTIONS_URL:-http://127.0.0.1:5055/webhook}"
# `rasa ... 2>&1 | quiet_warnings`: Rasa's logs and progress bars without the libraries' warnings.
quiet_warnings() { .venv-app/bin/python "$(dirname "${BASH_SOURCE[0]}")/quiet_warnings.py"; }
