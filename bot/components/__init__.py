"""Custom Rasa NLU components (run inside the engine's Python 3.10 environment)."""
