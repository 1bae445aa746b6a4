"""Custom actions for the safeguarding assistant: `python -m rasa_sdk --actions actions --port 5055`."""
