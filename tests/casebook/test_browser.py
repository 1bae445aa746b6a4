"""The casebook in headless Chromium over real HTTP: sign in with TOTP, acknowledge, decide, PDF, charts.

Screenshots go to /tmp/casebook-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.casebook.conftest import PASSWORD, find
from tests.conftest import serve_wsgi

pytestmark = pytest.mark.browser


@pytest.fixture
def site(app) -> Iterator[str]:
    with serve_wsgi(app) as url:
        yield url


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_dsl_signs_in_with_totp_and_works_a_case(page, site, add_user, add_concern, sessions, database_url) -> None:
    backend = database_url.split(":", 1)[0].split("+", 1)[0]
    user = add_user("sam", "dsl", "dsl")
    ref = add_concern(category="sexual", observed="<b>bold?</b> seen at the bus stop")
    add_concern(category="neglect")

    page.goto(f"{site}/casebook/cases/")
    expect(page).to_have_url(f"{site}/casebook/sign-in?next=/casebook/cases/?")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code").fill(pyotp.TOTP(user.totp_secret).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text(ref)  # urgent and unacknowledged first
    page.screenshot(path=f"/tmp/casebook-list-{backend}.png", full_page=True)

    page.get_by_role("link", name=ref).click()
    expect(page.get_by_text("<b>bold?</b> seen at the bus stop")).to_be_visible()  # shown as text, not markup
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged.")).to_be_visible()

    # No further action without a full reason is refused, and the form says why.
    page.get_by_role("radio", name="No further action").check()
    page.get_by_label("Reason for the decision").fill("Not needed, seems fine really.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("alert")).to_contain_text("needs at least 60 characters")
    page.get_by_role("radio", name="Refer to MASH").check()
    page.get_by_label("Reason for the decision").fill(
        "Possible sexual harm disclosed to a mentor; referral to MASH today."
    )
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    page.screenshot(path=f"/tmp/casebook-case-{backend}.png", full_page=True)
    assert find(sessions, ref).status == "decided"

    with page.expect_download() as download:
        page.get_by_role("link", name="Referral form (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename == f"{ref}-referral.pdf"

    page.get_by_role("link", name="Reports").click()
    chart = page.locator("svg.chart").first
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() >= 2
    page.screenshot(path=f"/tmp/casebook-reports-{backend}.png", full_page=True)
