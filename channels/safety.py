"""The static safety message: what a person always gets when the assistant itself cannot answer."""

from __future__ import annotations

from core.profile import Profile


def safety_message(profile: Profile) -> str:
    dsl = profile.dsl
    return (
        "If anyone is in immediate danger, call 999 now. "
        "Children and young people: Childline 0800 1111 (free, any time). "
        f"Adults: tell your Designated Safeguarding Lead now: {dsl.name} on {dsl.phone}; "
        "NSPCC helpline 0808 800 5000."
    )


# Every way in (web chat, Telegram, Teams, the gateway, the engine's REST channel) reads at most this much.
MAX_MESSAGE_CHARS = 4000


def too_long_message(profile: Profile) -> str:
    return (
        safety_message(profile) + f" Your message is longer than I can read at once (over {MAX_MESSAGE_CHARS:,} "
        "characters), so I haven't read it: please send it again in shorter parts."
    )


def timed_out_message(profile: Profile) -> str:
    """When the assistant took too long: a report may or may not have been saved, so say exactly that."""
    return (
        safety_message(profile) + " Sorry, the assistant took too long to answer. If you were sending a report, "
        "I can't tell whether it was saved: please phone your Designated Safeguarding Lead and tell them."
    )
