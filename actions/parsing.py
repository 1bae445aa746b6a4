"""Reading the reporter's free-text answers: explicit unknowns, yes/no, ages, times and categories."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import dateparser

from casebook.store.models import CATEGORIES

# What an explicit "I don't know" / "skip" is stored as, so the form moves on and the record says so.
NOT_KNOWN = "not known"
# Whole answers only: "I don't know what to do, he hits me" is a disclosure, not an unknown.
_UNKNOWN = re.compile(
    r"^\s*(?:(?:i\s+)?(?:don'?t|do not|dont|really don'?t)\s+know|skip|pass|unknown|not sure|i'?m not sure|no idea|"
    r"idk|n/?a|prefer not to say|not known|unsure|can'?t remember|i can'?t remember|don'?t remember)[\s.!]*$",
    re.IGNORECASE,
)
_YES = re.compile(r"^\s*(?:y|yes|yeah|yep|yup|true|correct|it is|they are|i think so|probably)\b", re.IGNORECASE)
_NO = re.compile(r"^\s*(?:n|no|nope|not|false|nobody|none|no one|i don'?t think so)\b", re.IGNORECASE)
_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
# Parts of the day people use, as the clock times dateparser understands.
_DAY_PARTS = (
    (r"\blast night\b", "yesterday 21:00"),
    (r"\btonight\b", "today 20:00"),
    (r"\bearlier today\b", "today"),
    (r"\bafter school\b", "15:30"),
    (r"\blunch ?time\b", "12:30"),
    (r"\bmorning\b", "09:00"),
    (r"\bafternoon\b", "14:00"),
    (r"\bevening\b", "19:00"),
)
# Allows for clock skew between the reporter's sense of "now" and ours.
_GRACE = timedelta(minutes=10)
_NOW = re.compile(r"^\s*(?:just now|right now|now|a moment ago|just then|moments ago)\W*$", re.IGNORECASE)
# "at 3" with no am/pm: in a school or club day, 1 to 7 o'clock means the afternoon.
_BARE_HOUR = re.compile(r"\bat (\d{1,2})\b(?!\s*(?:am|pm|:|\.|h\b|o'?clock))", re.IGNORECASE)

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "cse": ("cse", "sexual exploitation", "sexually exploited"),
    "cce": ("cce", "criminal exploitation", "county lines", "cuckooing", "drugs run", "carrying drugs"),
    "fgm": ("fgm", "genital mutilation"),
    "forced_marriage": ("forced marriage", "honour", "married off"),
    "radicalisation": ("radical", "extrem", "prevent", "terror"),
    "trafficking": ("traffick", "modern slavery", "slavery"),
    "child_on_child": ("child on child", "child-on-child", "peer on peer", "bullying", "bullied", "another child"),
    "online": ("online", "grooming", "internet", "social media", "nude", "sexting", "webcam"),
    "self_harm": ("self harm", "self-harm", "suicid", "cutting themselves", "kill themselves", "overdose"),
    "domestic_abuse": ("domestic", "at home between", "violence at home"),
    "sexual": ("sexual", "sex", "touched", "rape", "abused sexually"),
    "physical": ("physical", "hit", "bruise", "injur", "hurt", "beat", "kick", "slap", "burn"),
    "emotional": ("emotional", "psychological", "threat", "humiliat", "shout", "scared of"),
    "neglect": ("neglect", "hungry", "no food", "dirty", "unsupervised", "left alone", "not fed"),
}


def is_unknown(text: str) -> bool:
    return bool(_UNKNOWN.match(text or ""))


def parse_yes_no(text: str) -> bool | str | None:
    """True/False, NOT_KNOWN for an explicit unknown, None when unclear (ask again)."""
    if isinstance(text, bool):
        return text
    if is_unknown(text):
        return NOT_KNOWN
    if _YES.search(text or ""):
        return True
    if _NO.search(text or ""):
        return False
    return None


def parse_age(text: str) -> int | str | None:
    """An age in years (0 to 120), NOT_KNOWN, or None when no age could be read."""
    if isinstance(text, int):
        return text if 0 <= text <= 120 else None
    if is_unknown(text):
        return NOT_KNOWN
    lowered = (text or "").lower()
    match = re.search(r"\b(\d{1,3})\b", lowered)
    age = int(match.group(1)) if match else None
    if age is None:
        age = next((n for n, w in enumerate(_NUMBER_WORDS) if re.search(rf"\b{w}\b", lowered)), None)
    return age if age is not None and 0 <= age <= 120 else None


def parse_when(text: str, now: datetime, time_zone: str) -> datetime | str | None:
    """An aware UTC datetime from phrases like "just now", "yesterday at 3", "Tuesday morning"; NOT_KNOWN;
    or None when it cannot be read or lies in the future."""
    if is_unknown(text):
        return NOT_KNOWN
    if _NOW.match(text or ""):
        return now.astimezone(timezone.utc)
    phrase = (text or "").lower()
    for pattern, replacement in _DAY_PARTS:
        phrase = re.sub(pattern, replacement, phrase)
    phrase = _BARE_HOUR.sub(
        lambda m: f"at {int(m.group(1)) + 12 if 1 <= int(m.group(1)) <= 7 else m.group(1)}:00", phrase
    )
    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "RELATIVE_BASE": now.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None),
            "TIMEZONE": time_zone,
            "TO_TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": "DMY",
        },
    )
    if parsed is None or parsed > now.astimezone(timezone.utc).replace(microsecond=0) + _GRACE:
        return None
    return parsed


def parse_category(text: str) -> str:
    """One of CATEGORIES; anything unrecognised is "other" so that no reporter is held up by a label."""
    lowered = (text or "").strip().lower().replace("-", "_")
    if lowered in CATEGORIES:
        return lowered
    lowered = lowered.replace("_", " ")
    for category, words in CATEGORY_WORDS.items():
        if any(re.search(rf"\b{re.escape(w)}", lowered) for w in words):
            return category
    return "other"
