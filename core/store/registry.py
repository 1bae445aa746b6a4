"""Every module that declares tables, so that metadata and migrations see them all.

All of them live in core, so plain imports do. Read the schema through `metadata()`, never through
Base.metadata directly, so no caller can see a partial schema.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from core.access import models as access_models  # users, sign-in throttle, audit log
from core.casework import models as casework_models  # decisions, referrals, responses, follow-ups, case files
from core.store import models as concern_models  # concerns, events, outbox
from core.store import references  # channels' conversation references (Teams proactive messages)
from core.store.base import Base

MODEL_MODULES = (concern_models, access_models, casework_models, references)


def metadata() -> MetaData:
    """Every table of the product's database."""
    return Base.metadata
