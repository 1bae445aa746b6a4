"""Custom actions for the safeguarding assistant: `python -m actions.server --port 5055` (rasa_sdk behind a shared secret)."""
