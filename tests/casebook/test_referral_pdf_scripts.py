"""The referral PDF read back with pypdf: a child's words in the scripts UK families write in come out as
written, with no '?' or replacement character in their place; a character no font has is named, not dropped."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

WORDS = (
    "Zażółć gęślą jaźń, boi się wrócić do domu",  # Polish
    "Я боюся йти додому",  # Ukrainian
    "我害怕回家",  # Chinese
    "আমি বাড়ি যেতে ভয় পাই",  # Bengali
    "ਮੈਨੂੰ ਘਰ ਜਾਣ ਤੋਂ ਡਰ ਲੱਗਦਾ ਹੈ",  # Punjabi (Gurmukhi)
)
LINEAR_B = "\U00010000"  # in no font the PDF carries


def _pdf_text(client, reference: str) -> str:
    response = client.get(f"/casebook/cases/{reference}/referral.pdf")
    assert response.status_code == 200
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def _childs_words(text: str) -> str:
    found = re.search(r"The child's own words\n(.*?)\nWhat was observed", text, re.DOTALL)
    assert found, text
    return found[1]


def test_the_childs_words_read_back_in_every_script_with_nothing_replaced(dsl_client, add_concern) -> None:
    reference = add_concern(child_words="\n".join(WORDS))
    text = _pdf_text(dsl_client, reference)
    words = _childs_words(text)
    for line in WORDS:
        assert line in words, line
    assert "?" not in words and "\ufffd" not in words
    assert "could not be drawn" not in text


def test_a_character_no_font_has_is_named_not_dropped_silently(dsl_client, add_concern) -> None:
    reference = add_concern(child_words=f"he wrote {LINEAR_B} on the wall")
    text = _pdf_text(dsl_client, reference)
    assert "could not be drawn in this PDF (U+10000)" in " ".join(text.split())
