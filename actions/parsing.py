"""Reading the reporter's free-text answers: explicit unknowns, yes/no, ages, times and categories."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import dateparser

from core.store.models import CATEGORIES

# What an explicit "I don't know" / "skip" is stored as, so the form moves on and the record says so.
NOT_KNOWN = "not known"
# Whole answers only: "I don't know what to do, he hits me" is a disclosure, not an unknown.
_UNKNOWN = re.compile(
    r"^\s*(?:(?:i\s+)?(?:don'?t|do not|dont|really don'?t)\s+know|skip|pass|unknown|not sure|i'?m not sure|no idea|"
    r"idk|n/?a|prefer not to say|not known|unsure|can'?t remember|i can'?t remember|don'?t remember)[\s.!]*$",
    re.IGNORECASE,
)
_YES = re.compile(r"^\s*(?:y|yes|yeah|yep|yup|true|correct|it is|they are|i think so|probably)\b", re.IGNORECASE)
_NO = re.compile(r"^\s*(?:n|no|nope|not|false|nobody|none|no one|never|neither|i don'?t think so)\b", re.IGNORECASE)
# A negation anywhere in a short answer: "it isn't", "nobody's hurt", "she's not".
_NEGATED = re.compile(
    r"\b(?:not|isn'?t|aren'?t|wasn'?t|no|nobody|no one|none|nothing|never|neither|nor|hasn'?t|haven'?t|didn'?t|n't)\b"
    r"|n't\b",
    re.IGNORECASE,
)
# "Is anyone in danger now?": safe, or danger negated, means no; an unqualified danger word means yes.
_SAFE = re.compile(
    r"(?<!not )(?<!n't )(?<!un)\bsafe\b|\b(?:not|no(?:body|one| one)?|isn'?t|aren'?t|nobody'?s|no one'?s)\b[^.!?]{0,30}"
    r"\b(?:danger|hurt|harm|risk)|\bno (?:immediate )?danger\b|\bnot (?:right )?now\b",
    re.IGNORECASE,
)
_DANGER = re.compile(
    r"\b(?:danger|unsafe|not safe|isn'?t safe|999|police|ambulance|bleeding|weapon|knife|outside|threaten|hurt)\w*",
    re.IGNORECASE,
)
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
    (r"\b(?:at )?lunch(?: ?time)?\b", "12:30"),
    (r"\bthis (?=morning|afternoon|evening)", "today "),
    (r"\bmorning\b", "09:00"),
    (r"\bafternoon\b", "14:00"),
    (r"\bevening\b", "19:00"),
)
# Allows for clock skew between the reporter's sense of "now" and ours.
_GRACE = timedelta(minutes=10)
_NOW = re.compile(
    r"^\s*(?:just now|right now|now|a moment ago|just then|moments ago"
    r"|(?:she|he|they) (?:has |have )?just told me)\W*$",
    re.IGNORECASE,
)
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
    "online": (
        "online",
        "grooming",
        "internet",
        "social media",
        "nude",
        "sexting",
        "webcam",
        "for photos",
        "for pictures",
        "for pics",
        "send photos",
        "send pictures",
        "snapchat",
    ),
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


def parse_danger(text: str) -> bool | str | None:
    """The answer to "is anyone in immediate danger now?", negation first: "no, not in immediate danger",
    "nobody's hurt", "she's safe now" are no; "yes", "he's outside with a knife" are yes."""
    if isinstance(text, bool):
        return text
    if is_unknown(text):
        return NOT_KNOWN
    said = text or ""
    if re.search(r"\b(?:not|isn'?t|aren'?t) safe\b|\bunsafe\b", said, re.IGNORECASE):
        return True
    if _SAFE.search(said) or _NO.search(said):
        return False
    if _YES.search(said) or _DANGER.search(said):
        return True
    return None


def parse_yes_no_negated(text: str) -> bool | str | None:
    """parse_yes_no, then a negation anywhere ("it isn't", "nobody") as no."""
    answer = parse_yes_no(text)
    if answer is None and _NEGATED.search(text or ""):
        return False
    return answer


class Unusable(str):
    """Why an answer can't be used, worded for the reporter (returned instead of a value)."""


AGE_HINT = 'Please give the age in years, for example 12 or "about 10", or say "don\'t know".'
_NEGATIVE_AGE = re.compile(r"(?:^|[\s(])[-\u2212\u2013]\s*\d|\b(?:minus|negative)\b", re.IGNORECASE)
_SCHOOL_YEAR = re.compile(r"\b(?:year|yr|y)\s?(\d{1,2})\b", re.IGNORECASE)
_MONTHS = re.compile(r"\b(\d{1,2})\s*months?\b", re.IGNORECASE)
_DOB = re.compile(r"\b(?:born|dob|date of birth|birthday)\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b", re.IGNORECASE)


def read_age(text: object, now: datetime | None = None) -> int | str | None:
    """An age in years (0 to 120); NOT_KNOWN; Unusable(reason) when an age was given that can't be one;
    None when no age could be read. Reads "about 10", "12 or 13" (the lower), "year 6" (UK school year:
    10), "18 months", and a date of birth."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 0 <= text <= 120 else Unusable(f"{text} can't be an age. {AGE_HINT}")
    said = str(text or "")
    if is_unknown(said):
        return NOT_KNOWN
    lowered = said.lower()
    if _NEGATIVE_AGE.search(lowered):
        return Unusable(f"An age can't be below zero. {AGE_HINT}")
    if now is not None and _DOB.search(lowered):
        return _age_from_birth(lowered, now)
    if year := _SCHOOL_YEAR.search(lowered):
        # Year 1 children are 5 to 6, Year 6 are 10 to 11: record the lower.
        return int(year.group(1)) + 4 if 1 <= int(year.group(1)) <= 13 else Unusable(f"{AGE_HINT}")
    if months := _MONTHS.search(lowered):
        return int(months.group(1)) // 12
    match = re.search(r"\b(\d{1,4})\b", lowered)
    age = int(match.group(1)) if match else None
    if age is None:
        age = next((n for n, w in reversed(list(enumerate(_NUMBER_WORDS))) if re.search(rf"\b{w}\b", lowered)), None)
    if age is None:
        return None
    return age if age <= 120 else Unusable(f"{age} is older than anyone can be. {AGE_HINT}")


def _age_from_birth(lowered: str, now: datetime) -> int | str | None:
    phrase = re.sub(r"\b(?:born|dob|date of birth|birthday|on|is|was|:)\b", " ", lowered)
    born = dateparser.parse(phrase, languages=["en"], settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"})
    if born is None:
        return None
    today = now.date()
    if born.date() > today:
        return Unusable(f"That date of birth is in the future. {AGE_HINT}")
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def parse_age(text: object, now: datetime | None = None) -> int | str | None:
    """An age in years (0 to 120), NOT_KNOWN, or None when no age could be read (see read_age)."""
    age = read_age(text, now)
    return None if isinstance(age, Unusable) else age


WHEN_HINT = 'Try something like "just now", "yesterday at 3pm", "last Tuesday after school", or say "don\'t know".'
# A time phrase inside a sentence: "she told me this morning at football".
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_AT = r"at \d{1,2}(?::\d\d)?\s*(?:am|pm)?"
_PART = rf"(?:morning|afternoon|evening|night|after school|at lunch ?time|{_AT})"
WHEN_PHRASE = re.compile(
    rf"\b(?:just now|earlier today|this (?:morning|afternoon|evening|lunch ?time)"
    rf"|(?:at lunch(?: ?time)? )?(?:today|yesterday)(?: {_PART})?"
    rf"|tonight|last night|yesterday(?: {_PART})?|(?:last |on |this )?{_DAY}(?: {_PART})?"
    rf"|(?:an?|\d{{1,2}}) (?:minutes?|hours?|days?) ago)\b",
    re.IGNORECASE,
)


def read_when(text: str, now: datetime, time_zone: str) -> datetime | str | None:
    """parse_when, but Unusable(reason) for a time in the future, and a time phrase found inside a sentence
    ("it was yesterday after school") when the whole answer can't be read."""
    if is_unknown(text):
        return NOT_KNOWN
    when = _parse_when(text, now, time_zone)
    if when is None and (phrase := WHEN_PHRASE.search(text or "")):
        when = _parse_when(phrase.group(0), now, time_zone)
    if isinstance(when, datetime) and when > now.astimezone(UTC).replace(microsecond=0) + _GRACE:
        return Unusable(f"That time is still to come; I need when it happened, or when you were told. {WHEN_HINT}")
    return when


def parse_when(text: str, now: datetime, time_zone: str) -> datetime | str | None:
    """An aware UTC datetime from phrases like "just now", "yesterday at 3", "Tuesday morning"; NOT_KNOWN;
    or None when it cannot be read or lies in the future."""
    when = read_when(text, now, time_zone)
    return None if isinstance(when, Unusable) else when


def _parse_when(text: str, now: datetime, time_zone: str) -> datetime | str | None:
    if _NOW.match(text or ""):
        return now.astimezone(UTC)
    if iso := _iso(text):
        return iso
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
    return parsed


def _iso(text: str) -> datetime | None:
    """A value this module wrote before (a prefilled or re-validated slot)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None
    return value if value.tzinfo else None


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
