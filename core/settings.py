"""Settings from the environment. Secrets only ever come from here, never from files in the repo."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    # Fernet keys, newest first; older keys still decrypt (rotation).
    encryption_keys: tuple[str, ...]
    org_profile: Path
    rasa_url: str
    casebook_url: str
    secret_key: str
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "safeguarding-bot@example.org"
    smtp_starttls: bool = False
    telegram_token: str = ""
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_secret: str = ""
    telegram_webhook_url: str = ""
    teams_app_id: str = ""
    teams_app_password: str = ""
    teams_tenant_id: str = ""
    webhook_url: str = ""
    webhook_secret: str = ""
    # Who hears when a concern could not be stored (core/alerts.py); the DSL's e-mail if unset.
    alert_email: str = ""
    # Reverse proxies in front of the web app (0: none); their X-Forwarded-* headers are trusted.
    trusted_proxies: int = 0

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(_env("SG_DATA_DIR", str(ROOT / "data")))
        keys = tuple(k for k in _env("SG_ENCRYPTION_KEYS").split(",") if k.strip())
        return cls(
            data_dir=data_dir,
            database_url=_env("SG_DATABASE_URL", f"sqlite:///{data_dir / 'safeguarding.db'}"),
            encryption_keys=keys,
            org_profile=Path(_env("SG_ORG_PROFILE", str(ROOT / "bot" / "organisation.example.yml"))),
            rasa_url=_env("SG_RASA_URL", "http://127.0.0.1:5005"),
            casebook_url=_env("SG_CASEBOOK_URL", "http://127.0.0.1:8000"),
            secret_key=_env("SG_SECRET_KEY"),
            smtp_host=_env("SG_SMTP_HOST", "127.0.0.1"),
            smtp_port=int(_env("SG_SMTP_PORT", "25")),
            smtp_user=_env("SG_SMTP_USER"),
            smtp_password=_env("SG_SMTP_PASSWORD"),
            smtp_from=_env("SG_SMTP_FROM", "safeguarding-bot@example.org"),
            smtp_starttls=_env("SG_SMTP_STARTTLS", "0") == "1",
            telegram_token=_env("SG_TELEGRAM_TOKEN"),
            telegram_api_url=_env("SG_TELEGRAM_API_URL", "https://api.telegram.org/bot"),
            telegram_webhook_secret=_env("SG_TELEGRAM_WEBHOOK_SECRET"),
            telegram_webhook_url=_env("SG_TELEGRAM_WEBHOOK_URL"),
            teams_app_id=_env("SG_TEAMS_APP_ID"),
            teams_app_password=_env("SG_TEAMS_APP_PASSWORD"),
            teams_tenant_id=_env("SG_TEAMS_TENANT_ID"),
            webhook_url=_env("SG_WEBHOOK_URL"),
            webhook_secret=_env("SG_WEBHOOK_SECRET"),
            alert_email=_env("SG_ALERT_EMAIL"),
            trusted_proxies=int(_env("SG_TRUSTED_PROXIES", "0")),
        )
