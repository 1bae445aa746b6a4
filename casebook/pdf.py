"""The referral form: the concern and the DSL's casework as a PDF to send to MASH, the LADO or the police."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import unicodedata
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import manimgx_fonts
import manimgx_fonts_cjk
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer
from fpdf import FPDF

from core.casework.models import AGENCIES, OUTCOMES
from core.casework.queries import CaseDetail
from core.profile import Profile

# Fonts from locked PyPI packages, so every machine embeds the same ones: Noto Sans for Latin (Polish and
# the rest), Greek and Cyrillic; for a character it lacks, the first fallback face that has it: Noto Emoji,
# the Noto Sans face of each other script (Arabic and Urdu, Bengali, Gurmukhi, Gujarati, Devanagari, Tamil,
# Hebrew, Ethiopic, Thai...), then Noto Sans CJK. A face is added to a document only when its text needs it
# (the CJK one is 32 MB). Complex scripts are not shaped (no HarfBuzz): Arabic letters are drawn unjoined,
# but every character is kept and the text layer reads back exactly. A character no face has is named in a
# note at the end rather than silently dropped.
_FONTS = Path(manimgx_fonts.__file__).resolve().parent
_BODY = _FONTS / "NotoSans[wght].ttf"
_CJK = Path(manimgx_fonts_cjk.__file__).resolve().parent / "NotoSansCJK-VF.otf.ttc"
_FALLBACKS = (
    _FONTS / "NotoEmoji[wght].ttf",
    *sorted(p for p in _FONTS.glob("NotoSans*.ttf") if p != _BODY and "Italic" not in p.name),
    _CJK,
)

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
    if pdf.undrawn:
        codes = ", ".join(f"U+{c:04X}" for c in sorted(pdf.undrawn)[:10])
        pdf.small(
            f"Some characters could not be drawn in this PDF ({codes}): the casebook shows the record as written."
        )
    return bytes(pdf.output())


def _time(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%d %b %Y %H:%M") if value else ""


class _Document(FPDF):
    def __init__(self, organisation: str, reference: str) -> None:
        super().__init__(format="A4")
        self._footer = f"{organisation} - {reference} - OFFICIAL-SENSITIVE"
        self.set_auto_page_break(auto=True, margin=15)
        self.add_font("body", "", _static(_BODY, 400))
        self.add_font("body", "B", _static(_BODY, 700))
        self._family = "body"
        self._drawable = set(_characters(_BODY))
        self._faces: list[str] = []
        self.undrawn: set[int] = set()
        self._cover(self._footer)

    def _cover(self, text: str) -> None:
        """Add the fallback faces this text needs, so no character of it is dropped."""
        missing = {ord(c) for c in text if _visible(c)} - self._drawable
        for path in _FALLBACKS:
            if not missing:
                return
            if found := missing & _characters(path):
                self._add_face(path)
                missing -= found
        self.undrawn |= missing

    def _add_face(self, path: Path) -> None:
        name = path.stem.split("[")[0].lower()
        if path == _CJK:  # a collection; choosing its weight takes minutes, so its default instance is used
            self.add_font(name, "", path, collection_font_number=0)
            self.add_font(name, "B", path, collection_font_number=0)
        else:
            self.add_font(name, "", _static(path, 400))
            self.add_font(name, "B", _static(path, 700))
        self._drawable |= _characters(path)
        self._faces.append(name)
        self.set_fallback_fonts(self._faces)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self._family, "", 8)
        self.cell(0, 8, f"{self._footer} - page {self.page_no()}", align="C")

    def heading(self, text: str) -> None:
        self._cover(text)
        self.ln(3)
        self.set_font(self._family, "B", 13)
        self.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def pair(self, label: str, value: str) -> None:
        self._cover(label + value)
        self.set_font(self._family, "B", 10)
        self.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
        self.set_font(self._family, "", 10)
        self.multi_cell(0, 5, value or "-", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def small(self, text: str) -> None:
        self._cover(text)
        self.set_font(self._family, "", 8)
        self.multi_cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")


def prepare_fonts() -> None:
    """Make the body font's static instances now, so the first referral form does not wait seconds for them."""
    _static(_BODY, 400)
    _static(_BODY, 700)


_instancing = threading.Lock()


def _static(path: Path, weight: int) -> Path:
    with _instancing:  # one thread makes each file; no other reads it half-written
        return _made_static(path, weight)


@cache
def _made_static(path: Path, weight: int) -> Path:
    """The variable font at one weight as a static font file, made once per process (it takes seconds)."""
    with TTFont(path) as font:
        instancer.instantiateVariableFont(font, {"wght": weight}, inplace=True, static=True)
        static = _font_dir() / f"{path.stem}-{weight}.ttf"
        font.save(static)
    return static


@cache
def _font_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="sg-pdf-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def _characters(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for (read once per process)."""
    with TTFont(path, fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _visible(character: str) -> bool:
    # Spaces, controls, joiners and variation selectors need no glyph of their own.
    return unicodedata.category(character)[0] not in "CZ" and not 0xFE00 <= ord(character) <= 0xFE0F
