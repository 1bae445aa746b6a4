"""The static safety message: what a person always gets when the assistant itself cannot answer."""

from __future__ import annotations

from casebook.profile import Profile


def safety_message(profile: Profile) -> str:
    dsl = profile.dsl
    return (
        "If anyone is in immediate danger, call 999 now. "
        "Children and young people: Childline 0800 1111 (free, any time). "
        f"Adults: tell your Designated Safeguarding Lead now: {dsl.name} on {dsl.phone}; "
        "NSPCC helpline 0808 800 5000."
    )
