"""The DSL's path through a case in the web app: list, view, acknowledge, decide, refer, respond, close."""

from __future__ import annotations

from sqlalchemy import select

from core.access.models import AuditEntry
from core.casework.models import Decision
from core.store.models import ConcernEvent
from tests.casebook.conftest import SECRET_WORDS, csrf_of, find


def _post(client, path: str, page_path: str, **data: str):
    data["csrf_token"] = csrf_of(client.get(page_path).get_data(as_text=True))
    return client.post(path, data=data)


def test_list_shows_unacknowledged_urgent_first(dsl_client, add_concern) -> None:
    standard = add_concern(category="neglect")
    urgent = add_concern(category="sexual")
    page = dsl_client.get("/casebook/cases/").get_data(as_text=True)
    assert page.index(urgent) < page.index(standard)
    assert "Decide / refer (24h)" in page
    assert SECRET_WORDS not in page  # the list never shows narrative


def test_acknowledge_decide_refer_respond_close(dsl_client, add_concern, sessions) -> None:
    ref = add_concern()
    case = f"/casebook/cases/{ref}"
    page = dsl_client.get(case).get_data(as_text=True)
    assert "I am scared to go home" in page
    assert _post(dsl_client, f"{case}/acknowledge", case).status_code == 302
    assert find(sessions, ref).status == "acknowledged"

    # No further action needs a full reason.
    _post(dsl_client, f"{case}/decide", case, outcome="nfa", rationale="not needed")
    assert "at least 60 characters" in dsl_client.get(case).get_data(as_text=True)
    _post(dsl_client, f"{case}/decide", case, outcome="mash", rationale="Disclosure of physical harm at home: refer.")
    _post(dsl_client, f"{case}/refer", case, agency="mash", person="Duty social worker", person_role="Duty SW",
          phone="01632 960001", referred_at="2026-03-10T10:20")  # fmt: skip
    with sessions() as s:
        decision = s.scalar(select(Decision))
        assert decision.outcome == "mash"
        referral_id = s.scalar(select(ConcernEvent).where(ConcernEvent.kind == "referred")).detail["referral_id"]
    _post(dsl_client, f"{case}/response", case, referral_id=str(referral_id), received_at="2026-03-10T10:40",
          summary="MASH acknowledged; strategy discussion planned", is_outcome="1")  # fmt: skip
    _post(dsl_client, f"{case}/follow-up", case, due_at="2026-03-17T10:00", note="Check strategy outcome")
    _post(dsl_client, f"{case}/close", case, outcome="Child protection enquiry opened by the local authority.")
    concern = find(sessions, ref)
    assert concern.status == "closed"
    with sessions() as s:
        kinds = [e.kind for e in s.scalars(select(ConcernEvent).where(ConcernEvent.concern_id == concern.id))]
        actions = [a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.reference == ref))]
    for kind in ("created", "acknowledged", "viewed", "decided", "referred", "response_received", "closed"):
        assert kind in kinds
    for action in ("case.view.record", "case.acknowledge", "case.decide", "case.refer", "case.response", "case.close"):
        assert action in actions


def test_referral_pdf_and_reports(dsl_client, add_concern) -> None:
    ref = add_concern()
    pdf = dsl_client.get(f"/casebook/cases/{ref}/referral.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    report = dsl_client.get("/casebook/reports/").get_data(as_text=True)
    assert "<svg" in report and "physical" in report
    csv = dsl_client.get("/casebook/reports/categories.csv").get_data(as_text=True)
    assert csv.splitlines()[0] == "quarter,category,concerns" and "physical" in csv
