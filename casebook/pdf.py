"""The referral form: the concern and the DSL's casework as a PDF to send to MASH, the LADO or the police."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import manimgx_fonts
from fpdf import FPDF

from core.casework.models import AGENCIES, OUTCOMES
from core.casework.queries import CaseDetail
from core.profile import Profile

# Fonts from a locked PyPI package, so every machine embeds the same ones: Noto Sans for Latin (Polish
# and the rest), Greek and Cyrillic, Noto Sans Arabic (Arabic, Urdu, Persian) and Noto Emoji as fallbacks.
# Arabic script is not shaped (no HarfBuzz): letters are drawn unjoined, but every character is kept and
# the text layer reads back exactly.
_FONTS = Path(manimgx_fonts.__file__).resolve().parent
_BODY = _FONTS / "NotoSans[wght].ttf"
_FALLBACKS = {"arabic": _FONTS / "NotoSansArabic[wght].ttf", "emoji": _FONTS / "NotoEmoji[wght].ttf"}

_RECORD_FIELDS = (
    ("Child (name or initials)", "child_name"),
    ("Setting or group", "child_setting"),
    ("Additional needs, language", "child_needs"),
    ("The child's own words", "child_words"),
    ("What was observed", "observed"),
    ("Injuries and where on the body", "injuries"),
    ("Questions asked and answers", "questions_asked"),
    ("Who was present", "present"),
    ("Source (first-hand? how it arrived)", "source"),
    ("Already discussed with", "discussed_with"),
    ("Actions taken so far", "actions_taken"),
    ("Reporter", "reporter_name"),
    ("Reporter's contact", "reporter_contact"),
)


def referral_form(detail: CaseDetail, profile: Profile, now: datetime) -> bytes:
    zone = ZoneInfo(profile.organisation.time_zone)
    c = detail.concern
    pdf = _Document(profile.organisation.name, c.reference)
    pdf.add_page()
    pdf.heading(f"Safeguarding referral - {c.reference}")
    pdf.pair("Organisation", profile.organisation.name)
    pdf.pair("Category / urgency", f"{c.category} / {c.urgency}")
    pdf.pair("Concern raised", _time(c.concern_at or c.created_at, zone))
    pdf.pair("Recorded", _time(c.created_at, zone))
    pdf.pair("Child's age", "" if c.child_age is None else str(c.child_age))
    pdf.pair("Reporter's role", c.reporter_role or "")
    pdf.pair("About someone working with children", "yes (LADO route)" if c.about_staff else "no")
    pdf.heading("The concern")
    for label, name in _RECORD_FIELDS:
        pdf.pair(label, getattr(c, name) or "")
    pdf.heading("Decisions and reasons")
    for d in detail.decisions:
        pdf.pair(f"{_time(d.at, zone)} by {d.by}", f"{OUTCOMES[d.outcome]}. Reason: {d.rationale}")
    pdf.heading("Referrals")
    for r in detail.referrals:
        who = ", ".join(x for x in (r.person, r.person_role, r.phone) if x)
        pdf.pair(f"{_time(r.referred_at, zone)}", f"{AGENCIES.get(r.agency, r.agency)}: {who}")
    pdf.ln(4)
    pdf.small(f"Exported {_time(now, zone)}. Special-category personal data: share only with those who need it.")
    return bytes(pdf.output())


def _time(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%d %b %Y %H:%M") if value else ""


class _Document(FPDF):
    def __init__(self, organisation: str, reference: str) -> None:
        super().__init__(format="A4")
        self._footer = f"{organisation} - {reference} - OFFICIAL-SENSITIVE"
        self.set_auto_page_break(auto=True, margin=15)
        self.add_font("body", "", _BODY, variations={"wght": 400.0})
        self.add_font("body", "B", _BODY, variations={"wght": 700.0})
        for name, path in _FALLBACKS.items():
            self.add_font(name, "", path, variations={"wght": 400.0})
            self.add_font(name, "B", path, variations={"wght": 700.0})
        self.set_fallback_fonts(list(_FALLBACKS))
        self._family = "body"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self._family, "", 8)
        self.cell(0, 8, f"{self._footer} - page {self.page_no()}", align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(self._family, "B", 13)
        self.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def pair(self, label: str, value: str) -> None:
        self.set_font(self._family, "B", 10)
        self.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
        self.set_font(self._family, "", 10)
        self.multi_cell(0, 5, value or "-", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def small(self, text: str) -> None:
        self.set_font(self._family, "", 8)
        self.multi_cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")
