"""What a notification says: reference, category, urgency and a link. Never any disclosure detail."""

from __future__ import annotations

from dataclasses import dataclass

from core.settings import Settings
from core.store.models import CATEGORY_LABELS, Concern, OutboxMessage

# Where the web app mounts the casebook (casebook.web.URL_PREFIX; not imported, so delivery needs no Flask).
CASEBOOK_PATH = "/casebook"


def case_link(settings: Settings, reference: str) -> str:
    """The case page in the served app. SG_CASEBOOK_URL is the web app's public address; one that already
    ends in /casebook is taken as the casebook's own."""
    base = settings.casebook_url.rstrip("/")
    if not base.endswith(CASEBOOK_PATH):
        base += CASEBOOK_PATH
    return f"{base}/cases/{reference}"


@dataclass(frozen=True)
class Notification:
    reference: str
    category: str
    urgency: str
    link: str
    lado_route: bool
    escalation_step: int
    idempotency_key: str

    @classmethod
    def for_delivery(cls, concern: Concern, row: OutboxMessage, settings: Settings) -> Notification:
        return cls(
            reference=concern.reference,
            category=concern.category,
            urgency=concern.urgency,
            link=case_link(settings, concern.reference),
            lado_route=concern.about_staff,
            escalation_step=row.escalation_step,
            idempotency_key=row.idempotency_key,
        )

    @property
    def subject(self) -> str:
        prefix = "URGENT " if self.urgency == "urgent" else ""
        return f"{prefix}Safeguarding concern {self.reference}"

    def text(self, *, chat_ack: bool = False) -> str:
        lines = [
            f"{self.subject}.",
            f"Category: {CATEGORY_LABELS.get(self.category, self.category)}. Urgency: {self.urgency}.",
        ]
        if self.lado_route:
            lines.append("This is about someone who works with children: LADO route. Do not tell the person concerned.")
        if self.escalation_step > 0:
            lines.append("Escalated: nobody earlier in the chain has acknowledged it yet.")
        lines += ["Read and acknowledge it in the casebook:", self.link]
        if chat_ack:
            lines.append(f"Or reply here: ack {self.reference}")
        return "\n".join(lines)

    def payload(self, recipient_id: str) -> dict[str, object]:
        """The webhook body: the same minimum, as data."""
        return {
            "reference": self.reference,
            "category": self.category,
            "urgency": self.urgency,
            "lado_route": self.lado_route,
            "escalation_step": self.escalation_step,
            "recipient": recipient_id,
            "link": self.link,
        }
