#!/usr/bin/env bash
# Runs the whole assistant on this machine under scripts/supervise.py, which restarts any process
# that exits or stops answering (Ctrl-C stops everything). docs/faults.md: what fails, and how.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
mkdir -p data && chmod 700 data

# Local secrets for the embedded default: made once, kept in data/ (never committed).
if [ ! -f data/secrets.env ]; then
  umask 077
  .venv-app/bin/python - > data/secrets.env <<'PY'
import secrets
from cryptography.fernet import Fernet
print(f"SG_ENCRYPTION_KEYS={Fernet.generate_key().decode()}")
print(f"SG_SECRET_KEY={secrets.token_hex(32)}")
PY
fi
# The engine -> action server secret; added to secrets files made before it existed.
grep -q '^SG_ACTIONS_TOKEN=' data/secrets.env ||
  (umask 077; echo "SG_ACTIONS_TOKEN=$(.venv-app/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')" >> data/secrets.env)
set -a; source data/secrets.env; set +a
export SANIC_HOST=127.0.0.1  # rasa_sdk has no host option; keep the action server on loopback
# No mail server configured: e-mail to the DSL goes to a local sink with a page (devtools/mailsink.py).
MAILSINK=""
if [ -z "${SG_SMTP_HOST:-}" ]; then
  export SG_SMTP_HOST=127.0.0.1 SG_SMTP_PORT=2525 SG_SMTP_STARTTLS=0
  MAILSINK="http://127.0.0.1:8025/"
fi

.venv-app/bin/python -c "from core.profile import load_profile; from core.settings import Settings; load_profile(Settings().org_profile)"
.venv-app/bin/python -m core.store.migrate

# Only the channels that are configured run; the Procfile is made for this start. The engine refuses
# request bodies over 64 kB before reading them (bot/channel.py answers long messages kindly).
{
  echo "engine: SANIC_REQUEST_MAX_SIZE=65536 .venv-engine/bin/rasa run -i 127.0.0.1 -p 5005 --model models/current.tar.gz --endpoints bot/endpoints.yml --credentials bot/credentials.yml"
  echo "actions: .venv-app/bin/python -m actions.server --port 5055"
  # Only the action server is health-checked: its Sanic main process can outlive hung workers. The web
  # app is not (a busy gunicorn would fail the check and be restarted when it is needed most).
  echo "actions.health: http://127.0.0.1:5055/health 60"
  echo "web: .venv-app/bin/gunicorn --bind 127.0.0.1:8000 --workers 2 --threads 4 casebook.wsgi:app"
  echo "notifier: .venv-app/bin/python -m channels.notifier"
  [ -n "$MAILSINK" ] && echo "mailsink: .venv-app/bin/python -m devtools.mailsink --dir data/mailsink --smtp-port 2525 --http-port 8025"
  [ -n "${SG_TELEGRAM_TOKEN:-}" ] && echo "telegram: .venv-app/bin/python -m channels.telegram"
  [ -n "${SG_TEAMS_APP_ID:-}" ] && echo "teams: .venv-app/bin/python -m channels.teams"
} > data/Procfile

cat <<TXT

  Safeguarding assistant starting (the engine takes about a minute to load):
    web chat     http://127.0.0.1:8000/
    casebook     http://127.0.0.1:8000/casebook   (first user: .venv-app/bin/python -m core.cli create-user NAME --role dsl --member-id dsl)
    REST channel http://127.0.0.1:5005/webhooks/rest/webhook
    data         $(pwd)/data (SQLite; secrets in data/secrets.env)
    DSL e-mail   ${MAILSINK:-to $SG_SMTP_HOST:${SG_SMTP_PORT:-25}}${MAILSINK:+   (local mail sink: what the DSL received)}
  Telegram: ${SG_TELEGRAM_TOKEN:+on}${SG_TELEGRAM_TOKEN:-off (set SG_TELEGRAM_TOKEN)}   Teams: ${SG_TEAMS_APP_ID:+on}${SG_TEAMS_APP_ID:-off (set SG_TEAMS_APP_ID)}
  Ctrl-C stops everything.

TXT
exec .venv-app/bin/python scripts/supervise.py data/Procfile
