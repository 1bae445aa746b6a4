"""The organisation profile is the only source of the organisation's own numbers; a profile
with a missing or misplaced contact is refused at start-up with the field named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.profile import ProfileError, load_profile

EXAMPLE = Path(__file__).resolve().parents[2] / "bot" / "organisation.example.yml"


def _write(tmp_path: Path, raw: dict) -> Path:
    path = tmp_path / "profile.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def test_the_example_profile_loads() -> None:
    profile = load_profile(EXAMPLE)
    assert profile.dsl.phone and profile.local_authority.mash.phone


def test_a_missing_dsl_phone_is_refused_naming_the_field(tmp_path: Path) -> None:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    del raw["safeguarding_team"][0]["phone"]
    with pytest.raises(ProfileError, match=r"safeguarding_team\.0\.phone"):
        load_profile(_write(tmp_path, raw))


def test_a_missing_local_authority_number_is_refused_naming_the_field(tmp_path: Path) -> None:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    raw["local_authority"]["lado"]["phone"] = ""
    with pytest.raises(ProfileError, match=r"local_authority\.lado\.phone"):
        load_profile(_write(tmp_path, raw))


def test_a_team_that_does_not_start_with_the_dsl_is_refused(tmp_path: Path) -> None:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    raw["safeguarding_team"].reverse()
    with pytest.raises(ProfileError, match="must start with the DSL"):
        load_profile(_write(tmp_path, raw))


def test_no_profile_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="SG_ORG_PROFILE"):
        load_profile(tmp_path / "missing.yml")


def test_production_refuses_the_example_profiles_made_up_numbers(tmp_path: Path) -> None:
    """No one is ever told to ring a number that reaches nobody: in production every process
    (web app, actions, channels, notifier) loads the profile through profile_for and stops."""
    from casebook.app import create_app
    from core.profile import profile_for
    from core.settings import Settings

    production = Settings(production=True, org_profile=EXAMPLE, data_dir=tmp_path)
    with pytest.raises(ProfileError, match=r"safeguarding_team\.dsl\.phone: 07700 900123"):
        profile_for(production)
    with pytest.raises(ProfileError, match="made-up example numbers"):
        create_app(production)
    assert profile_for(Settings(org_profile=EXAMPLE)).dsl.phone == "07700 900123"  # development: allowed

    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for member in raw["safeguarding_team"]:
        member["phone"] = "0161 000 0000"
    for contact in ("mash", "edt", "lado"):
        raw["local_authority"][contact]["phone"] = "0161 000 0001"
    real = Settings(production=True, org_profile=_write(tmp_path, raw), data_dir=tmp_path)
    assert profile_for(real).made_up_numbers() == []
