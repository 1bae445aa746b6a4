"""Keys: a clear error without one, and rotation to a new key."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from core.store.concerns import find_by_reference, record_concern
from core.store.crypto import EncryptionNotConfigured, encrypt, generate_key, rotate
from tests.conftest import use_keys
from tests.handoff.conftest import FIELDS, IN_HOURS, SECRET_WORDS


def test_no_key_is_a_clear_error(monkeypatch):
    use_keys(monkeypatch, "")
    with pytest.raises(EncryptionNotConfigured, match="SG_ENCRYPTION_KEYS"):
        encrypt("anything")


def test_rotation_re_encrypts_every_row_with_the_newest_key(sessions, profile, settings, monkeypatch, encryption_key):
    with sessions.begin() as s:
        ref = record_concern(s, FIELDS, profile, IN_HOURS, settings=settings).reference
    new_key = generate_key()
    use_keys(monkeypatch, f"{new_key},{encryption_key}")
    with sessions.begin() as s:
        assert rotate(s) >= 5
    monkeypatch.setenv("SG_ENCRYPTION_KEYS", new_key)  # the old key is retired
    with sessions() as s:
        assert find_by_reference(s, ref).child_words == SECRET_WORDS
        token = bytes(s.execute(text("SELECT child_words FROM concerns")).scalar_one())
    assert Fernet(new_key.encode()).decrypt(token).decode() == SECRET_WORDS
