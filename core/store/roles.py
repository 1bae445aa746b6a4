"""PostgreSQL: the application's own role, which owns nothing and can only append to the audit log.

    python -m core.store.roles OWNER_URL APP_ROLE

Run it as the schema's owner after every migration (`core.store.migrate` with OWNER_URL). The
web app, actions and notifier then connect as APP_ROLE (SG_DATABASE_URL). Only a table's owner can
disable its triggers, so the app's role cannot switch off the append-only guards; and it is
never granted UPDATE or DELETE on the audit log at all.
"""

from __future__ import annotations

import re
import sys

from sqlalchemy import create_engine, inspect, text

# Tables the app may only read and append to; the retention job may also delete chronology rows
# (the trigger allows that only for closed concerns).
APPEND_ONLY = {"casebook_audit_log": "SELECT, INSERT", "concern_events": "SELECT, INSERT, DELETE"}
OWNER_ONLY = {"alembic_version"}
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(owner_url: str, role: str) -> None:
    if not _ROLE.match(role):
        raise ValueError("the role name must be lower-case letters, digits and underscores")
    engine = create_engine(owner_url)
    with engine.begin() as conn:
        if conn.dialect.name != "postgresql":
            raise ValueError("roles are a PostgreSQL feature; SQLite relies on its triggers and file permissions")
        if not conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}):
            conn.execute(text(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        conn.execute(text(f'REVOKE CREATE ON SCHEMA public FROM "{role}"'))
        for table in inspect(conn).get_table_names():
            conn.execute(text(f'REVOKE ALL ON TABLE "{table}" FROM "{role}"'))
            if table in OWNER_ONLY:
                conn.execute(text(f'GRANT SELECT ON TABLE "{table}" TO "{role}"'))
                continue
            rights = APPEND_ONLY.get(table, "SELECT, INSERT, UPDATE, DELETE")
            conn.execute(text(f'GRANT {rights} ON TABLE "{table}" TO "{role}"'))
        conn.execute(text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    grant_app_role(sys.argv[1], sys.argv[2])
    print(f"{sys.argv[2]}: granted; connect the app with this role, migrate with the owner")
