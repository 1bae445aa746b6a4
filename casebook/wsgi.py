"""The WSGI entry point (`gunicorn casebook.wsgi:app`): settings built once, here, for the whole web process."""

from __future__ import annotations

from casebook.app import create_app
from core.settings import Settings

app = create_app(Settings())
