"""Case list, case view and every change the DSL makes; each view and change is audited."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from casebook.pdf import referral_form
from casebook.web.common import blueprint, parse_local
from casebook.web.state import actor, db, may_read, now, requires, signed_in, state
from core.access.audit import audit
from core.casework import service
from core.casework.models import AGENCIES, OUTCOMES
from core.casework.queries import PER_PAGE, Filters, case_detail, list_cases, search_terms_ok
from core.store.concerns import find_by_reference
from core.store.models import CATEGORIES, STATUSES, Concern

CASE_ROLES = ("dsl", "deputy")


def create() -> Blueprint:
    bp = blueprint("casebook_cases", __name__, "/casebook/cases")

    @bp.get("/")
    @requires(*CASE_ROLES)
    def case_list() -> str:
        query = request.args.get("q", "").strip()
        filters = Filters(
            status=_choice(request.args.get("status", "open"), ("open", "all", *STATUSES), "open"),
            category=_choice(request.args.get("category", ""), CATEGORIES, ""),
            urgency=_choice(request.args.get("urgency", ""), ("urgent", "standard"), ""),
            query=query if search_terms_ok(query) else "",
        )
        page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
        s, t = db(), now()
        rows, total = list_cases(s, signed_in(), filters, page, state().profile, t)
        # The search text is not logged: it could be typed in error as a child's name.
        audit(s, actor().username, "cases.list", detail=f"status={filters.status} category={filters.category} "
              f"urgency={filters.urgency} page={page}", address=actor().address, now=t)  # fmt: skip
        s.commit()
        pages = max(1, -(-total // PER_PAGE))
        return render_template(
            "casebook/cases.html", rows=rows, total=total, page=page, pages=pages, filters=filters,
            categories=CATEGORIES, statuses=STATUSES,
        )  # fmt: skip

    @bp.get("/<reference>")
    @requires(*CASE_ROLES)
    def case_view(reference: str) -> str:
        concern = _readable(reference)
        s = db()
        service.record_view(s, concern, actor(), now())
        s.commit()
        detail = case_detail(s, concern, state().profile)
        show_views = request.args.get("views") == "1"
        events = [e for e in concern.events if show_views or e.kind != "viewed"]
        return render_template(
            "casebook/case.html", d=detail, c=concern, events=events, show_views=show_views,
            view_count=sum(1 for e in concern.events if e.kind == "viewed"), outcomes=OUTCOMES, agencies=AGENCIES,
            la=state().profile.local_authority,
        )  # fmt: skip

    @bp.get("/<reference>/referral.pdf")
    @requires(*CASE_ROLES)
    def referral_pdf(reference: str) -> Response:
        concern = _readable(reference)
        s = db()
        service.record_view(s, concern, actor(), now(), what="referral_pdf")
        s.commit()
        body = referral_form(case_detail(s, concern, state().profile), state().profile, now())
        response = make_response(body)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f'attachment; filename="{concern.reference}-referral.pdf"'
        return response

    @bp.post("/<reference>/<change>")
    @requires(*CASE_ROLES)
    def change(reference: str, change: str) -> Response:
        concern = _readable(reference)
        handler = _CHANGES.get(change)
        if handler is None:
            abort(404)
        s = db()
        try:
            message = handler(concern)
            s.commit()
            flash(message)
        except service.CaseworkError as exc:
            s.rollback()
            flash(str(exc), "error")
        return redirect(url_for(".case_view", reference=concern.reference))

    return bp


def _choice(value: str, allowed: tuple[str, ...], default: str) -> str:
    return value if value in allowed else default


def _readable(reference: str) -> Concern:
    concern = find_by_reference(db(), reference[:24])
    if concern is None or not may_read(signed_in(), concern):
        if concern is not None:
            audit(db(), actor().username, "case.refused", concern.reference, address=actor().address, now=now())
            db().commit()
        abort(404)  # the same answer whether it exists or not
    return concern


def _required_time(field: str, what: str) -> datetime:
    value = parse_local(request.form.get(field))
    if value is None:
        raise service.CaseworkError(f"{what}: give a date and time")
    return value


def _acknowledge(concern: Concern) -> str:
    service.acknowledge(db(), concern, actor(), now(), state().profile)
    return "Acknowledged."


def _decide(concern: Concern) -> str:
    f = request.form
    service.decide(db(), concern, actor(), f.get("outcome", ""), f.get("rationale", ""), now(), state().profile)
    return "Decision recorded."


def _refer(concern: Concern) -> str:
    f = request.form
    service.record_referral(
        db(), concern, actor(), f.get("agency", ""), _required_time("referred_at", "Referred at"), now(),
        state().profile, person=f.get("person"), person_role=f.get("person_role"), phone=f.get("phone"),
    )  # fmt: skip
    return "Referral recorded."


def _response(concern: Concern) -> str:
    f = request.form
    service.record_response(
        db(), concern, actor(), f.get("referral_id", type=int) or 0, _required_time("received_at", "Received at"),
        f.get("summary", ""), now(), is_outcome=f.get("is_outcome") == "1",
    )  # fmt: skip
    return "Response recorded."


def _follow_up(concern: Concern) -> str:
    due = _required_time("due_at", "Follow up on")
    service.add_follow_up(db(), concern, actor(), due, request.form.get("note", ""), now())
    return "Follow-up set."


def _follow_up_done(concern: Concern) -> str:
    service.complete_follow_up(db(), concern, actor(), request.form.get("follow_up_id", type=int) or 0, now())
    return "Follow-up done."


def _close(concern: Concern) -> str:
    service.close(db(), concern, actor(), request.form.get("outcome", ""), now())
    return "Case closed."


def _legal_hold(concern: Concern) -> str:
    hold = request.form.get("hold") == "1"
    service.set_legal_hold(db(), concern, actor(), hold, request.form.get("reason", ""), now())
    return "Legal hold set." if hold else "Legal hold lifted."


_CHANGES = {
    "acknowledge": _acknowledge,
    "decide": _decide,
    "refer": _refer,
    "response": _response,
    "follow-up": _follow_up,
    "follow-up-done": _follow_up_done,
    "close": _close,
    "legal-hold": _legal_hold,
}
