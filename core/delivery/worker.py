"""The delivery worker. Its process is `python -m channels.notifier [--once]`, which registers the transports.

Transports register with the worker rather than the worker importing them: core owns e-mail and the signed
webhook (`core_transports`), channels own Telegram and Teams, and the entry point hands `run` the lot. A row
for a transport nobody registered waits (TransportUnavailable) until a notifier that has it picks it up.

Each round it stores spooled concerns, escalates overdue ones and sends due outbox rows. Delivery is at
least once: a row is claimed by pushing its next_attempt_at forward by a lease, and only marked sent after
the transport succeeded, so a worker killed mid-send leaves the row to be sent again after the lease.
The outbox is kept by hand rather than a task queue: its row is written in the same transaction as the concern,
so a notification exists exactly when the record does, with no broker to run or lose.

Several workers may run at once on PostgreSQL: claims are conditional updates and escalation locks rows with
SKIP LOCKED, so each notification is sent by one of them (tests/production/test_two_notifiers.py).

Timing and the health endpoint come from Settings (SG_DELIVERY_*, SG_NOTIFIER_HEALTH_*: docs/settings.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from core.delivery.email import EmailTransport
from core.delivery.escalation import escalate_due
from core.delivery.health import Heartbeat, serve
from core.delivery.notification import Notification
from core.delivery.transport import Transport, TransportUnavailable
from core.delivery.webhook import WebhookTransport
from core.profile import Profile, profile_for
from core.settings import Settings
from core.store import spool
from core.store.base import open_store
from core.store.concerns import record_event
from core.store.models import Concern, OutboxMessage

log = logging.getLogger("core.delivery")
SEND_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Timing:
    poll: float = 1.0
    lease: float = 120.0
    retry: float = 15.0
    retry_max: float = 900.0

    @classmethod
    def of(cls, settings: Settings) -> Timing:
        return cls(
            poll=settings.delivery_poll_seconds,
            lease=settings.delivery_lease_seconds,
            retry=settings.delivery_retry_seconds,
            retry_max=settings.delivery_retry_max_seconds,
        )

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.retry * 2 ** max(attempts - 1, 0), self.retry_max))


def core_transports(settings: Settings) -> dict[str, Transport]:
    """The generic transports core owns (e-mail, signed webhook); channels add their own (channels/notifier.py)."""
    transports: dict[str, Transport] = {"email": EmailTransport(settings)}
    if settings.webhook_url and settings.webhook_secret:
        transports["webhook"] = WebhookTransport(settings)
    elif settings.webhook_url:
        log.warning("SG_WEBHOOK_URL is set without SG_WEBHOOK_SECRET: webhook notifications are held")
    return transports


class Worker:
    def __init__(
        self,
        sessions: sessionmaker,
        profile: Profile,
        settings: Settings,
        transports: dict[str, Transport],
        timing: Timing | None = None,
    ) -> None:
        self.sessions = sessions
        self.profile = profile
        self.settings = settings
        self.transports = transports
        self.timing = timing or Timing()
        self.heartbeat = Heartbeat(stale_after=max(60.0, 10 * self.timing.poll))

    async def run_round(self) -> int:
        """One pass of spool, escalation and delivery; each part survives the others failing."""
        ok = True
        for job in (self.drain_spool, self.escalate):
            try:
                await asyncio.to_thread(job)
            except Exception as exc:  # the database may be down: keep going, the spool keeps concerns safe
                ok = False
                log.warning("%s failed: %s", job.__name__, type(exc).__name__)
        try:
            sent = await self.deliver_due()
        except Exception as exc:
            ok, sent = False, 0
            log.warning("delivery round failed: %s", type(exc).__name__)
        self.heartbeat.beat(database_ok=ok)
        return sent

    def drain_spool(self) -> None:
        for reference in spool.drain(self.sessions, self.profile, self.settings):
            log.info("spooled concern stored as %s", reference)

    def escalate(self, now: datetime | None = None) -> None:
        with self.sessions.begin() as session:
            for reference in escalate_due(session, self.profile, self.settings, now or _now()):
                log.info("escalated %s", reference)

    async def deliver_due(self) -> int:
        now = _now()
        with self.sessions() as session:
            due = session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.next_attempt_at)
                .limit(50)
            ).all()
        sent = 0
        for row_id in due:
            sent += await self._deliver(row_id)
        return sent

    async def _deliver(self, row_id: int) -> int:
        claimed = await asyncio.to_thread(self._claim, row_id)
        if claimed is None:
            return 0
        note, row = claimed
        member = self.profile.member(row.recipient_id)
        transport = self.transports.get(row.transport)
        try:
            if member is None:
                raise LookupError("recipient is no longer in the organisation profile")
            if transport is None:
                raise TransportUnavailable(row.transport)
            await asyncio.wait_for(transport.send(note, member), SEND_TIMEOUT_SECONDS)
        except Exception as exc:  # any failure is retried; only the class is kept (messages may hold addresses)
            await asyncio.to_thread(self._failed, row, type(exc).__name__)
            log.warning("delivery %s/%s failed: %s", note.reference, row.transport, type(exc).__name__)
            return 0
        await asyncio.to_thread(self._sent, row)
        log.info("delivered %s to %s via %s", note.reference, row.recipient_id, row.transport)
        return 1

    def _claim(self, row_id: int) -> tuple[Notification, OutboxMessage] | None:
        now = _now()
        with self.sessions.begin() as session:
            result = session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == row_id, OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now
                )
                .values(next_attempt_at=now + timedelta(seconds=self.timing.lease), attempts=OutboxMessage.attempts + 1)
            )
            if result.rowcount != 1:  # another worker has it, or it was sent meanwhile
                return None
            row = session.get(OutboxMessage, row_id)
            concern = session.get(Concern, row.concern_id)
            return Notification.for_delivery(concern, row, self.settings), row

    def _sent(self, row: OutboxMessage) -> None:
        now = _now()
        with self.sessions.begin() as session:
            session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row.id).values(sent_at=now, last_error=None)
            )
            concern = session.get(Concern, row.concern_id)
            record_event(session, concern, "notified", actor="system", now=now, **_delivery_detail(row))

    def _failed(self, row: OutboxMessage, error: str) -> None:
        now = _now()
        with self.sessions.begin() as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.sent_at.is_(None))
                .values(next_attempt_at=now + self.timing.backoff(row.attempts), last_error=error[:200])
            )
            concern = session.get(Concern, row.concern_id)
            detail = _delivery_detail(row)
            record_event(session, concern, "delivery_failed", actor="system", now=now, error=error, **detail)

    async def run_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            sent = await self.run_round()
            if not sent:  # busy rounds go straight on; idle ones wait for the poll interval
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.timing.poll)


def _delivery_detail(row: OutboxMessage) -> dict[str, object]:
    return {
        "recipient": row.recipient_id,
        "transport": row.transport,
        "step": row.escalation_step,
        "attempt": row.attempts,
    }


def _now() -> datetime:
    return datetime.now(UTC)


async def run(settings: Settings, transports: dict[str, Transport], *, once: bool = False) -> None:
    """Run the worker with the transports its process entry point registered, until SIGTERM or SIGINT."""
    sessions = open_store(settings)
    worker = Worker(sessions, profile_for(settings), settings, transports, Timing.of(settings))
    if once:
        await worker.run_round()
        return
    if settings.notifier_health_port:
        serve(worker.heartbeat, settings.notifier_health_port, settings.notifier_health_host)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("delivery worker started with %s", ", ".join(sorted(transports)))
    await worker.run_forever(stop)
