"""The referral PDF carries a child's words as written, in any script: read back from the file itself."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.casebook.conftest import find

POLISH = "Zażółć gęślą jaźń, powiedział że boi się wrócić do domu"
URDU = "مجھے ڈر لگتا ہے، گھر نہیں جانا"
ARABIC = "أنا خائف من الذهاب إلى المنزل"
EMOJI = "he hurt me 😢💔🙏"


def _rtl_words(text: str) -> list[str]:
    # Right-to-left words are stored in visual order; each word's characters read back reversed.
    return [word[::-1] for word in text.split()]


def test_the_childs_words_survive_in_every_script(dsl_client, add_concern, sessions) -> None:
    ref = add_concern(child_words="\n".join((POLISH, URDU, ARABIC, EMOJI)))
    assert find(sessions, ref).child_words.count("\n") == 3
    response = dsl_client.get(f"/casebook/cases/{ref}/referral.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert POLISH in text and EMOJI in text
    for line in (URDU, ARABIC):
        assert " ".join(_rtl_words(line)) in " ".join(text.split()), line
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert (
        any("NotoSans" in f for f in fonts) and any("Arabic" in f for f in fonts) and any("Emoji" in f for f in fonts)
    )
