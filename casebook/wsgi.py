"""The one Flask app on 127.0.0.1:8000: the web chat at /, the DSL casebook at /casebook, /healthz and /readyz."""

from __future__ import annotations

from casebook import health
from casebook.app import create_app
from casebook.web import create_blueprints
from core.settings import Settings

settings = Settings.from_env()
app = create_app([*create_blueprints(settings), health.create(settings)], settings)
