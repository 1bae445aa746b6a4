"""Encryption at rest for special-category fields: Fernet keys from SG_ENCRYPTION_KEYS, newest first.

The keys are the process's, set once by its entry point through `core.store.base.open_store(settings)`:
the column type (EncryptedText) is global to SQLAlchemy, so it cannot be handed them per call.

`python -m core.store.crypto genkey` prints a new key; put it first in SG_ENCRYPTION_KEYS, keep the
old ones after it, then run `python -m core.store.crypto rotate` and drop the old keys afterwards.
"""

from __future__ import annotations

import sys
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import LargeBinary, select, type_coerce, update
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator


class EncryptionNotConfigured(RuntimeError):
    """No key: refuse to store special-category data in clear."""


def generate_key() -> str:
    return Fernet.generate_key().decode()


@lru_cache(maxsize=8)
def _cipher_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise EncryptionNotConfigured(
            "SG_ENCRYPTION_KEYS is not set: generate a key with `python -m core.store.crypto genkey` "
            "and set SG_ENCRYPTION_KEYS=<key> (newest first, comma-separated)"
        )
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys])
    except ValueError as exc:
        raise EncryptionNotConfigured(f"SG_ENCRYPTION_KEYS holds an invalid Fernet key: {exc}") from exc


class KeyRing:
    """This process's Fernet keys, newest first."""

    def __init__(self) -> None:
        self.keys: tuple[str, ...] = ()

    def use(self, keys: tuple[str, ...]) -> None:
        self.keys = tuple(keys)


KEYS = KeyRing()


def cipher() -> MultiFernet:
    return _cipher_for(KEYS.keys)


def encrypt(plaintext: str) -> bytes:
    return cipher().encrypt(plaintext.encode("utf-8"))


def decrypt(token: bytes) -> str:
    try:
        return cipher().decrypt(bytes(token)).decode("utf-8")
    except InvalidToken as exc:
        raise EncryptionNotConfigured("a stored value cannot be decrypted with any key in SG_ENCRYPTION_KEYS") from exc


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token (bytes); the database never sees the plaintext."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: object) -> bytes | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: bytes | None, dialect: object) -> str | None:
        return None if value is None else decrypt(value)


def rotate(session: Session) -> int:
    """Re-encrypt every encrypted column of every table with the newest key; returns values rewritten.

    Works on raw tokens (MultiFernet.rotate), so plaintext never passes through the ORM or its identity map.
    The caller commits.
    """
    from core.store import registry  # the registry imports every model, and the models import this module

    ring = cipher()
    rewritten = 0
    for table in registry.metadata().sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, EncryptedText)]
        if not columns:
            continue
        pk = list(table.primary_key.columns)
        raw = [type_coerce(c, LargeBinary).label(c.name) for c in columns]
        for row in session.execute(select(*pk, *raw)).mappings():
            values = {c.name: ring.rotate(bytes(row[c.name])) for c in columns if row[c.name] is not None}
            if not values:
                continue
            where = [p == row[p.name] for p in pk]
            session.execute(
                update(table).where(*where).values({table.c[n]: type_coerce(v, LargeBinary) for n, v in values.items()})
            )
            rewritten += len(values)
    return rewritten


def _main(argv: list[str]) -> int:
    if argv[:1] == ["genkey"]:
        print(generate_key())
        return 0
    if argv[:1] == ["rotate"]:
        from core.settings import Settings
        from core.store.base import open_store

        with open_store(Settings()).begin() as session:
            print(f"re-encrypted {rotate(session)} values with the newest key")
        return 0
    print("usage: python -m core.store.crypto genkey|rotate", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
