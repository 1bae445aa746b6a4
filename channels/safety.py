"""The static safety message: what a person always gets when the assistant itself cannot answer."""

from __future__ import annotations

from core.profile import Profile
from core.safety import safety_lines


def safety_message(profile: Profile) -> str:
    return safety_lines(f"{profile.dsl.name} on {profile.dsl.phone}")


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
