"""Reading answers that hold more than one thing: "Jess, she's 13", "Jo, volunteer, 07700 900111",
"no, it's her stepdad"."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Roles a reporter gives, as the record stores them.
ROLE_WORDS = (
    "teaching assistant",
    "youth worker",
    "support worker",
    "social worker",
    "head teacher",
    "headteacher",
    "teacher",
    "volunteer",
    "mentor",
    "coach",
    "leader",
    "tutor",
    "nurse",
    "parent",
    "carer",
    "foster carer",
    "governor",
    "trustee",
    "staff",
    "manager",
    "instructor",
    "childminder",
)
# Who a concern is about: people who work with children (LADO route), and everyone else.
STAFF_RELATIONS = (
    "teacher",
    "teaching assistant",
    "coach",
    "volunteer",
    "leader",
    "youth worker",
    "mentor",
    "tutor",
    "instructor",
    "staff",
    "member of staff",
    "colleague",
    "childminder",
    "minibus driver",
    "caretaker",
)
OTHER_RELATIONS = (
    "stepdad",
    "step-dad",
    "stepfather",
    "step-father",
    "stepmum",
    "step-mum",
    "stepmother",
    "dad",
    "daddy",
    "father",
    "mum",
    "mummy",
    "mom",
    "mother",
    "uncle",
    "aunt",
    "auntie",
    "grandad",
    "grandpa",
    "grandma",
    "nan",
    "brother",
    "sister",
    "cousin",
    "boyfriend",
    "girlfriend",
    "partner",
    "neighbour",
    "friend",
    "older boys",
    "another child",
    "lodger",
    "carer",
)
_PHONE = re.compile(r"(?:\+?\d[\d\s()-]{8,}\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "she's 13", "aged 9", "13 years old", "(13)", "year 6".
_AGE_IN_TEXT = re.compile(
    r"\((\d{1,2})\)|\b(\d{1,2})[- ]?(?:years?|yrs?)[- ]?old\b|\baged? (\d{1,2})\b"
    r"|\b(?:she|he|they)(?:'s| is| are) (?:only |just )?"
    r"(\d{1,2}|[a-z]+teen|ten|eleven|twelve|nine|eight|seven|six|five|four)\b(?! (?:minutes|mins|hours|days))"
    r"|\b(?:in )?(?:year|yr) (\d{1,2})\b",
    re.IGNORECASE,
)
_NAME_LEAD = re.compile(
    r"^\s*(?:(?:i'?m|i am|my name is|it'?s|this is|name:?|her name is|his name is|called)\s+)", re.IGNORECASE
)


def age_phrase(text: str) -> str | None:
    """The part of a sentence that gives a child's age, for read_age."""
    match = _AGE_IN_TEXT.search(text)
    if not match:
        return None
    if match.group(5):
        return f"year {match.group(5)}"
    return next(g for g in match.groups() if g)


def split_child(text: str) -> tuple[str, str | None]:
    """The child's name or initials, and the age phrase if one came in the same answer."""
    age = age_phrase(text) or (m.group(0) if (m := re.search(r",\s*(\d{1,2})\s*$", text)) else None)
    name = re.split(r",|\b(?:she|he|they)(?:'s| is| are)\b|\baged?\b|\(|\b\d", text, maxsplit=1)[0]
    name = re.sub(r"\s+(?:and|who|is|but)$", "", _NAME_LEAD.sub("", name).strip(" ,;-"))
    return (name or text.strip()), (age.strip(", ") if age else None)


@dataclass(frozen=True)
class ReporterParts:
    name: str
    role: str | None
    contact: str | None
    looks_like_child: bool


def split_reporter(text: str) -> ReporterParts:
    """Name, role and contact from one answer, in any order."""
    contact = None
    if m := _EMAIL.search(text) or _PHONE.search(text):
        contact = m.group(0).strip()
    rest = text.replace(contact, " ") if contact else text
    parts = [p.strip() for p in re.split(r"[,;\n]", rest) if p.strip()]
    role, name = None, ""
    # "Sam Teacher, teacher": the role is the part after the name, so a surname is never taken for it.
    for index, part in enumerate(parts):
        found = next((r for r in ROLE_WORDS if re.search(rf"\b{re.escape(r)}\b", part.lower())), None)
        # A single part: "Jo Smith teacher", not "Alex Parent" (a capitalised role word is a surname).
        single = len(parts) == 1 and re.search(rf"\b{re.escape(found)}\b", part) if found else False
        if found and role is None and (index > 0 or single):
            role = found
            part = re.sub(rf"\b(?:i'?m |i am )?(?:an? |the )?{re.escape(found)}\b", " ", part, flags=re.IGNORECASE)
            parts[index] = part
    for part in parts:
        part = re.sub(r"\b(?:on|at|email|e-mail|phone|mobile|tel|number|contact|and)\b", " ", part, flags=re.I)
        if candidate := re.sub(r"\s{2,}", " ", _NAME_LEAD.sub("", part.strip())).strip(" .,;-"):
            name = candidate
            break
    child_like = bool(re.search(r"\b(?:she|he)(?:'s| is) \d{1,2}\b", text, re.IGNORECASE)) and contact is None
    return ReporterParts(name=name or text.strip(), role=role, contact=contact, looks_like_child=child_like)


def relation_in(text: str) -> str | None:
    """Who it is about, when a sentence says so: "her stepdad hits her" gives "stepdad"."""
    lowered = text.lower()
    for word in (*STAFF_RELATIONS, *OTHER_RELATIONS):
        pattern = rf"\b(?:her|his|their|the|a|one of the|an)\s+(?:\w+\s)?{re.escape(word)}s?\b"
        for match in re.finditer(pattern, lowered):
            # "I'm a volunteer" is the reporter, not who it is about.
            if not re.search(r"(?:\bi'?m|\bi am|\bas|\bi work as)\s*$", lowered[: match.start()]):
                return word
    return None


def about_staff_from(text: str) -> bool | None:
    """True when an answer names someone who works with children, False for family or peers, else None."""
    relation = relation_in(text) or next(
        (w for w in (*STAFF_RELATIONS, *OTHER_RELATIONS) if re.search(rf"\b{re.escape(w)}\b", text.lower())), None
    )
    if relation is None:
        return None
    if relation in STAFF_RELATIONS:
        # "no, not a teacher" is still no.
        return not re.match(r"^\s*(?:no|not|nope)\b", text, re.IGNORECASE)
    return False
