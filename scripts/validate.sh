#!/usr/bin/env bash
# rasa data validate, failing on any warning except two kinds that are by design:
# a form's utter_ask_<slot> responses (used by the form, which the validator
# doesn't see), and intents with no examples because only the safety screen
# (immediate_danger, unclear_concern, everyday_or_concern) or a button payload (correct_field) sets them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out=$(.venv-engine/bin/rasa data validate --config bot/config.yml --domain bot/domain --data nlu stories 2>&1) || {
  echo "$out" | grep -E "ERROR|Error" ; exit 1; }
# The by-design kinds are listed once, in scripts/quiet_warnings.py (which also quiets them in training).
unexpected=$(echo "$out" | grep -E "UserWarning" | PYTHONPATH=. .venv-app/bin/python -c '
import sys
from scripts.quiet_warnings import BY_DESIGN
sys.stdout.writelines(line for line in sys.stdin if not BY_DESIGN.search(line.encode()))' || true)
if [ -n "$unexpected" ]; then echo "$unexpected" | sed 's/.*UserWarning: /warning: /'; exit 1; fi
echo "rasa data validate: no unexpected warnings"
