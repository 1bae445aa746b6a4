"""The organisation profile: the safeguarding team, office hours and local contacts, validated."""

from __future__ import annotations

from datetime import datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator, model_validator

from core.settings import Settings

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TeamRole = Literal["dsl", "deputy", "ceo", "chair"]
_DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ProfileError(ValueError):
    """The profile file is missing or invalid; the message says where and why."""


# Ofcom's numbers for drama and examples (bot/safety/national_lines.yml): they reach nobody.
NATIONAL_LINES = Path(__file__).resolve().parent.parent / "bot" / "safety" / "national_lines.yml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfficeHours(_Strict):
    days: list[Day]
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> OfficeHours:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Organisation(_Strict):
    name: str = Field(min_length=1)
    time_zone: str
    office_hours: OfficeHours

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use a name like Europe/London)") from exc
        return value


class TeamMember(_Strict):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9_-]+$")
    name: str = Field(min_length=1)
    role: TeamRole
    phone: str = Field(min_length=3)
    email: EmailStr | None = None
    telegram_user_id: int | None = None
    teams_user_id: str | None = None


class Contact(_Strict):
    phone: str = Field(min_length=3)
    email: EmailStr | None = None


class LocalAuthority(_Strict):
    name: str
    mash: Contact
    edt: Contact
    lado: Contact


class Escalation(_Strict):
    acknowledge_within_minutes: int = Field(default=60, gt=0)
    urgent_acknowledge_within_minutes: int = Field(default=15, gt=0)


class Retention(_Strict):
    policy: Literal["child_26th_birthday", "years_after_last_contact"] = "child_26th_birthday"
    years_after_last_contact: int = Field(default=6, gt=0)


class Profile(_Strict):
    organisation: Organisation
    safeguarding_team: list[TeamMember] = Field(min_length=1)
    local_authority: LocalAuthority
    escalation: Escalation = Escalation()
    retention: Retention = Retention()

    @model_validator(mode="after")
    def _one_dsl_first(self) -> Profile:
        if self.safeguarding_team[0].role != "dsl":
            raise ValueError("safeguarding_team must start with the DSL (role: dsl)")
        ids = [m.id for m in self.safeguarding_team]
        if len(ids) != len(set(ids)):
            raise ValueError("safeguarding_team ids must be unique")
        return self

    @property
    def dsl(self) -> TeamMember:
        return self.safeguarding_team[0]

    @property
    def deputies(self) -> list[TeamMember]:
        return [m for m in self.safeguarding_team if m.role == "deputy"]

    def made_up_numbers(self) -> list[str]:
        """Where the profile still has a number that reaches nobody (the example profile's):
        "safeguarding_team.dsl.phone: 07700 900123"."""
        numbers = [(f"safeguarding_team.{m.id}.phone", m.phone) for m in self.safeguarding_team]
        la = self.local_authority
        local = {"mash": la.mash, "edt": la.edt, "lado": la.lado}
        numbers += [(f"local_authority.{name}.phone", contact.phone) for name, contact in local.items()]
        return [f"{where}: {number}" for where, number in numbers if is_made_up(number)]

    def member(self, member_id: str) -> TeamMember | None:
        return next((m for m in self.safeguarding_team if m.id == member_id), None)

    def in_office_hours(self, when: datetime) -> bool:
        local = when.astimezone(ZoneInfo(self.organisation.time_zone))
        hours = self.organisation.office_hours
        return _DAYS[local.weekday()] in hours.days and hours.start <= local.time() < hours.end


def digits(number: str) -> str:
    """A phone number's digits, as dialled in the UK ("+44 20 7946 0000" -> "02079460000")."""
    plain = "".join(c for c in number if c.isdigit())
    return "0" + plain[2:] if number.strip().startswith("+44") else plain


@lru_cache(maxsize=1)
def _fiction_ranges() -> tuple[tuple[int, int], ...]:
    raw = yaml.safe_load(NATIONAL_LINES.read_text(encoding="utf-8"))
    return tuple((int(digits(low)), int(digits(high))) for low, high in raw["fiction_ranges"])


def is_made_up(number: str) -> bool:
    """A number in Ofcom's ranges for drama and examples: it reaches nobody."""
    value = int(digits(number) or 0)
    return any(low <= value <= high for low, high in _fiction_ranges())


def profile_for(settings: Settings) -> Profile:
    """The profile a process runs with. In production (SG_PRODUCTION) a profile whose contacts reach
    nobody (the example's made-up numbers) is refused, so no one is ever told to ring them."""
    profile = load_profile(settings.org_profile)
    made_up = profile.made_up_numbers() if settings.production else []
    if made_up:
        raise ProfileError(f"{settings.org_profile} still has made-up example numbers: " + "; ".join(made_up))
    return profile


def load_profile(path: Path) -> Profile:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProfileError(f"organisation profile not found: {path} (set SG_ORG_PROFILE)") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path} is not valid YAML: {exc}") from exc
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}" for err in exc.errors()
        )
        raise ProfileError(f"{path}: {problems}") from exc
