"""Custom actions for the safeguarding assistant, served by `python -m actions.server --port 5055`."""
