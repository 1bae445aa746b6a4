"""Statutory clocks: referral within 24 hours of the concern, the local authority's acknowledgement
within one working day of a referral, and a chase when no response has come within a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.profile import Profile

REFER_WITHIN = timedelta(hours=24)
CHASE_AFTER = timedelta(days=7)
DUE_SOON = timedelta(hours=4)
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Clock:
    label: str
    due: datetime
    met_at: datetime | None = None

    def state(self, now: datetime) -> str:
        """met | late (met after the deadline) | overdue | due-soon | running."""
        if self.met_at is not None:
            return "met" if self.met_at <= self.due else "late"
        if now > self.due:
            return "overdue"
        return "due-soon" if self.due - now <= DUE_SOON else "running"


def add_working_day(start: datetime, profile: Profile) -> datetime:
    """The same local time on the next working day (the profile's office days; bank holidays not known)."""
    zone = ZoneInfo(profile.organisation.time_zone)
    working = set(profile.organisation.office_hours.days)
    local = start.astimezone(zone)
    day = local.date() + timedelta(days=1)
    while _DAYS[day.weekday()] not in working:
        day += timedelta(days=1)
    return datetime.combine(day, local.timetz()).replace(tzinfo=zone).astimezone(start.tzinfo)


def referral_clock(concern_at: datetime, first_decision_at: datetime | None) -> Clock:
    # Any recorded decision (a referral or a reasoned decision not to refer) stops this clock.
    return Clock("Decide / refer (24h)", concern_at + REFER_WITHIN, first_decision_at)


def acknowledgement_clock(referred_at: datetime, acknowledged_at: datetime | None, profile: Profile) -> Clock:
    return Clock("Agency acknowledgement (1 working day)", add_working_day(referred_at, profile), acknowledged_at)


def chase_clock(referred_at: datetime, outcome_received_at: datetime | None) -> Clock:
    return Clock("Chase if no outcome (7 days)", referred_at + CHASE_AFTER, outcome_received_at)
