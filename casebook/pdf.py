"""The referral form: the concern and the DSL's casework as a PDF to send to MASH, the LADO or the police."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF

from casebook.casework.models import AGENCIES, OUTCOMES
from casebook.casework.queries import CaseDetail
from casebook.profile import Profile

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

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
        self.unicode = _FONT.exists() and _BOLD.exists()
        if self.unicode:
            self.add_font("body", "", str(_FONT))
            self.add_font("body", "B", str(_BOLD))
            self._family = "body"
        else:  # core font: Latin-1 only
            self._family = "helvetica"

    def _clean(self, text: str) -> str:
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self._family, "", 8)
        self.cell(0, 8, self._clean(f"{self._footer} - page {self.page_no()}"), align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(self._family, "B", 13)
        self.multi_cell(0, 8, self._clean(text), new_x="LMARGIN", new_y="NEXT")

    def pair(self, label: str, value: str) -> None:
        self.set_font(self._family, "B", 10)
        self.multi_cell(0, 5, self._clean(label), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self._family, "", 10)
        self.multi_cell(0, 5, self._clean(value or "-"), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def small(self, text: str) -> None:
        self.set_font(self._family, "", 8)
        self.multi_cell(0, 4, self._clean(text), new_x="LMARGIN", new_y="NEXT")
