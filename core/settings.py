"""Every setting of the app processes, read from `SG_*` environment variables in one place.

Each process builds `Settings()` once at its entry point (actions server, web app, Telegram, Teams,
notifier, CLI, migrations) and passes it in; no other module reads the environment. Secrets come only
from here, never from files in the repo. `python -m core.settings` prints the table in docs/settings.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SG_", frozen=True, extra="ignore", env_ignore_empty=True, str_strip_whitespace=True
    )

    # Storage and keys
    data_dir: Path = Field(ROOT / "data", description="Where the SQLite database and the spool live.")
    database_url: str = Field(
        "",
        description="SQLAlchemy URL; `postgresql+psycopg://…` in production.",
    )
    encryption_keys: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="Fernet keys, comma-separated, newest first; older keys still decrypt (rotation). Secret.",
    )
    org_profile: Path = Field(ROOT / "bot" / "organisation.example.yml", description="The organisation profile (YAML).")
    production: bool = Field(
        False,
        description="Set (1) in production: every process refuses to start while the profile has the example's "
        "made-up phone numbers.",
    )
    # Web
    secret_key: str = Field(
        "",
        description="Signs web sessions and CSRF tokens, and keys the sender ids channels send the engine. "
        "Secret; the web app makes a random one per start if unset.",
    )
    casebook_url: str = Field(
        "http://127.0.0.1:8000", description="The casebook's public address, used in notification links."
    )
    trusted_proxies: int = Field(
        0, description="Reverse proxies in front of the web app whose X-Forwarded-* headers are trusted."
    )
    # Engine and actions
    rasa_url: str = Field("http://127.0.0.1:5005", description="The engine's REST address, for the channels.")
    engine_timeout: float = Field(
        12.0,
        description="Seconds a person waits for the engine before the static safety message. Longer than "
        "the engine's wait for the action server (SG_ACTION_TIMEOUT, 8), which is longer than the database's "
        "lock wait (5): a report that is saved is always reported as saved.",
    )
    actions_token: str = Field(
        "", description="Shared secret the engine sends to the action server (32+ characters). Secret."
    )
    # E-mail
    smtp_host: str = Field("127.0.0.1", description="SMTP server for notifications and alerts.")
    smtp_port: int = Field(25, description="SMTP port.")
    smtp_user: str = Field("", description="SMTP login, if the server needs one.")
    smtp_password: str = Field("", description="SMTP password. Secret.")
    smtp_from: str = Field("safeguarding-bot@example.org", description="Sender address of every e-mail.")
    smtp_starttls: bool = Field(False, description="Upgrade the SMTP connection with STARTTLS (1/0).")
    alert_email: str = Field(
        "", description="Who hears when a concern could not be stored (core/alerts.py); the DSL if unset."
    )
    # Notifier
    delivery_poll_seconds: float = Field(1.0, description="How often an idle notifier looks for due work.")
    delivery_lease_seconds: float = Field(
        120.0, description="How long a claimed notification is left to its notifier before another may send it."
    )
    delivery_retry_seconds: float = Field(
        15.0, description="Wait before retrying a failed notification, doubled per attempt."
    )
    delivery_retry_max_seconds: float = Field(900.0, description="The longest wait between retries.")
    notifier_health_port: int | None = Field(
        None, description="Port of the notifier's health endpoint (core/delivery/health.py); none if unset."
    )
    notifier_health_host: str = Field("127.0.0.1", description="Address of the notifier's health endpoint.")
    # Telegram
    telegram_token: str = Field("", description="Bot token from @BotFather; Telegram is off if unset. Secret.")
    telegram_api_url: str = Field("https://api.telegram.org/bot", description="Bot API base URL (tests: a fake).")
    telegram_webhook_url: str = Field("", description="Public webhook URL; long polling if unset.")
    telegram_webhook_secret: str = Field("", description="Secret Telegram sends with each webhook call. Secret.")
    telegram_webhook_host: str = Field("127.0.0.1", description="Address the webhook listener binds to.")
    telegram_webhook_port: int = Field(8443, description="Port the webhook listener binds to.")
    # Teams
    teams_app_id: str = Field("", description="Azure Bot app id; Teams is off if unset.")
    teams_app_password: str = Field("", description="Azure Bot client secret. Secret.")
    teams_tenant_id: str = Field("", description="The organisation's Entra tenant; only its users are served.")
    teams_host: str = Field("127.0.0.1", description="Address the Teams endpoint (/api/messages) binds to.")
    teams_port: int = Field(3978, description="Port the Teams endpoint binds to.")
    teams_openid_url: str = Field(
        "https://login.botframework.com/v1/.well-known/openidconfiguration",
        description="Bot Framework token metadata (tests: a fake).",
    )
    teams_issuer: str = Field("https://api.botframework.com", description="Expected issuer of inbound tokens.")
    teams_token_url: str = Field(
        "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        description="Entra token endpoint for outbound calls (tests: a fake).",
    )
    teams_token_scope: str = Field(
        "https://api.botframework.com/.default", description="Scope of the outbound app token."
    )
    # Signed webhook
    webhook_url: str = Field("", description="Where signed notification webhooks go; off if unset.")
    webhook_secret: str = Field("", description="HMAC key for webhook signatures; webhooks held if unset. Secret.")

    @field_validator("encryption_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        return value

    @model_validator(mode="before")
    @classmethod
    def _default_database(cls, values: Any) -> Any:
        if isinstance(values, dict) and not values.get("database_url"):
            data_dir = Path(values.get("data_dir") or ROOT / "data")
            values = {**values, "database_url": f"sqlite:///{data_dir / 'safeguarding.db'}"}
        return values


def markdown_table() -> str:
    """One row per setting: the documentation in docs/settings.md is this output (a test checks it)."""
    rows = ["| variable | default | what |", "| --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        default = field.default
        if name == "database_url":
            shown = "SQLite in the data directory"
        elif isinstance(default, Path):
            shown = f"`{default.relative_to(ROOT)}`" if default.is_relative_to(ROOT) else f"`{default}`"
        elif default in ("", (), None):
            shown = "unset"
        else:
            shown = f"`{default}`"
        rows.append(f"| `SG_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
