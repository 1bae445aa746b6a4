"""Casebook administration from the shell.

    python -m core.cli create-user USERNAME --role dsl|deputy|admin [--member-id dsl]
    python -m core.cli reset-2fa USERNAME
    python -m core.cli rotate-key
    python -m core.cli run-retention [--dry-run]

Passwords are read from the terminal (or one line on stdin when it is not a terminal), never from arguments.
Uses SG_DATABASE_URL, SG_ENCRYPTION_KEYS and SG_ORG_PROFILE like the rest of the project.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime

from core.access.users import UserError, check_member, create_user, find_user, reset_second_factor
from core.profile import profile_for
from core.retention import run_retention
from core.settings import Settings
from core.store.base import open_store
from core.store.crypto import rotate

ACTOR = "cli"


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (12+ characters): ")
    if first != getpass.getpass("Again: "):
        raise UserError("the passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.cli", description="Casebook administration")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="add a casebook user")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=("dsl", "deputy", "admin"))
    create.add_argument("--member-id", help="the profile's safeguarding_team id (for dsl and deputy)")
    reset = commands.add_parser("reset-2fa", help="make a user set up their authenticator again")
    reset.add_argument("username")
    commands.add_parser("rotate-key", help="re-encrypt every stored value with the newest key")
    retention = commands.add_parser("run-retention", help="delete closed records past their retention date")
    retention.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)

    settings = Settings()
    sessions = open_store(settings)
    now = datetime.now(UTC)
    try:
        with sessions.begin() as session:
            if args.command == "create-user":
                if args.role != "admin":
                    check_member(profile_for(settings), args.role, args.member_id)
                create_user(session, args.username, args.role, _password(), ACTOR, now, args.member_id)
                print(f"created {args.username} ({args.role}); they set up an authenticator at first sign-in")
            elif args.command == "reset-2fa":
                user = find_user(session, args.username)
                if user is None:
                    raise UserError(f"no user {args.username!r}")
                reset_second_factor(session, user, ACTOR, now)
                print(f"{user.username} will set up a new authenticator at next sign-in; their sessions have ended")
            elif args.command == "rotate-key":
                print(f"re-encrypted {rotate(session)} values with the newest key")
            elif args.command == "run-retention":
                verdicts = run_retention(session, profile_for(settings), now, dry_run=args.dry_run)
                for v in verdicts:
                    state = "held (kept)" if v.held else ("would delete" if args.dry_run else "deleted")
                    print(f"{v.reference}: {state}, retention ended {v.keep_until:%Y-%m-%d}")
                print(f"{len(verdicts)} record(s) past retention")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
