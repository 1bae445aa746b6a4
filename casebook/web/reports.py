"""Reports page with SVG charts, and CSV downloads of the same figures."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, make_response, render_template
from werkzeug.wrappers import Response

from casebook import reports
from casebook.web import charts
from casebook.web.common import blueprint
from casebook.web.state import actor, current_user, db, hides_about_dsl, now, requires, state
from core.access.audit import audit


def create() -> Blueprint:
    bp = blueprint("casebook_reports", __name__, "/casebook/reports")

    @bp.get("/")
    @requires("dsl", "deputy")
    def overview() -> str:
        s, zone, hide = db(), _zone(), hides_about_dsl(current_user())
        counts = reports.by_category(s, zone, hide)
        ack = reports.medians(reports.hours_to_acknowledge(s, zone, hide))
        decision = reports.medians(reports.hours_to_decision(s, zone, hide))
        audit(s, actor().username, "reports.view", address=actor().address, now=now())
        s.commit()
        return render_template(
            "casebook/reports.html",
            category_chart=charts.stacked_bars(counts, "Concerns by category per quarter"),
            ack_chart=charts.bars(ack, "Median hours to acknowledge, per quarter", "hours"),
            decision_chart=charts.bars(decision, "Median hours to decision, per quarter", "hours"),
            counts=counts,
        )

    @bp.get("/<name>.csv")
    @requires("dsl", "deputy")
    def download(name: str) -> Response:
        s, zone, hide = db(), _zone(), hides_about_dsl(current_user())
        if name == "categories":
            body = reports.category_csv(reports.by_category(s, zone, hide))
        elif name == "acknowledge":
            body = reports.timing_csv(reports.hours_to_acknowledge(s, zone, hide))
        elif name == "decision":
            body = reports.timing_csv(reports.hours_to_decision(s, zone, hide))
        else:
            abort(404)
        audit(s, actor().username, "reports.download", detail=f"report={name}", address=actor().address, now=now())
        s.commit()
        response = make_response(body)
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    return bp


def _zone() -> ZoneInfo:
    return ZoneInfo(state().profile.organisation.time_zone)
