"""Figures for the DSL and trustees: concerns by category per quarter, time to acknowledge, time to decide.

Only clear-text columns are read; nothing here decrypts a record.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import datetime
from statistics import median
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from core.access.types import aware
from core.casework.models import Decision
from core.store.models import Concern


def quarter_of(value: datetime, zone: ZoneInfo) -> str:
    local = value.astimezone(zone)
    return f"{local.year} Q{(local.month - 1) // 3 + 1}"


def _visible(query: Select, hide_about_dsl: bool) -> Select:
    # Need-to-know: a count of what the reader may not open still tells them it exists.
    return query.where(Concern.about_dsl.is_(False)) if hide_about_dsl else query


def by_category(session: Session, zone: ZoneInfo, hide_about_dsl: bool = False) -> dict[str, Counter[str]]:
    """{quarter: Counter(category -> count)}, quarters in order."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for created_at, category in session.execute(_visible(select(Concern.created_at, Concern.category), hide_about_dsl)):
        counts[quarter_of(aware(created_at), zone)][category] += 1
    return dict(sorted(counts.items()))


def hours_to_acknowledge(session: Session, zone: ZoneInfo, hide_about_dsl: bool = False) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    rows = session.execute(
        _visible(
            select(Concern.created_at, Concern.acknowledged_at).where(Concern.acknowledged_at.is_not(None)),
            hide_about_dsl,
        )
    )
    for created_at, acknowledged_at in rows:
        found[quarter_of(aware(created_at), zone)].append(
            (aware(acknowledged_at) - aware(created_at)).total_seconds() / 3600
        )
    return dict(sorted(found.items()))


def hours_to_decision(session: Session, zone: ZoneInfo, hide_about_dsl: bool = False) -> dict[str, list[float]]:
    first = select(Decision.concern_id, func.min(Decision.at).label("at")).group_by(Decision.concern_id).subquery()
    found: dict[str, list[float]] = defaultdict(list)
    for created_at, decided_at in session.execute(
        _visible(select(Concern.created_at, first.c.at).join(first, first.c.concern_id == Concern.id), hide_about_dsl)
    ):
        found[quarter_of(aware(created_at), zone)].append(
            (aware(decided_at) - aware(created_at)).total_seconds() / 3600
        )
    return dict(sorted(found.items()))


def medians(samples: dict[str, list[float]]) -> dict[str, float]:
    return {quarter: round(median(values), 1) for quarter, values in samples.items() if values}


def category_csv(counts: dict[str, Counter[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["quarter", "category", "concerns"])
    for quarter, per_category in counts.items():
        for category, n in sorted(per_category.items()):
            writer.writerow([quarter, category, n])
    return out.getvalue()


def timing_csv(samples: dict[str, list[float]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["quarter", "cases", "median_hours", "longest_hours"])
    for quarter, values in samples.items():
        writer.writerow([quarter, len(values), round(median(values), 1), round(max(values), 1)])
    return out.getvalue()
