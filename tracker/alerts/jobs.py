"""The scheduler's jobs: the edge that commits, between the use cases of the sweep and dispatch.

`sweep_and_dispatch` writes the due alerts (committing each batch), and the day's digests
if the 07:30 run was missed, and then sends whatever the outbox holds; e-mail leaves only
after the rows that describe it have been committed. `digest_and_dispatch` does the same
for the morning digest. Both run in an app context: the scheduler gives each run its own
(tracker.scheduler), the CLI its command's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import partial

from flask import current_app
from sqlalchemy.orm import Session

from tracker.alerts import compose, digest, heartbeat, mail_trouble, outbox
from tracker.alerts import sweep as alerts
from tracker.clock import now as app_clock
from tracker.database import records_session
from tracker.extensions import db
from tracker.intake import alerts as intake_alerts
from tracker.mail.message import OutgoingMessage
from tracker.mail.transport import MailTransport, SendResult, transport_from_config

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass
class DispatchReport:
    """How a dispatch run went, in counts."""

    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    batches: int = 0


def sweep(now: datetime) -> int:
    """Write every alert due at `now` to the outbox, a committed batch at a time."""
    policy = alerts.policy_from_config(current_app.config)
    written = looked_at = 0
    while True:
        batch = _committed(lambda: alerts.sweep_batch(now, policy))
        if not batch.deadlines:
            break
        looked_at += batch.deadlines
        written += batch.alerts
    if looked_at:
        log.info("Sweep at %s: %d deadlines looked at, %d alerts written", now, looked_at, written)
    intake = _committed(lambda: intake_alerts.sweep_intake(now, policy, current_app.config))
    if intake:
        log.info("Sweep at %s: %d alerts about unregistered intake items written", now, intake)
    return written + intake


def dispatch(
    clock: Clock = app_clock,
    transport: MailTransport | None = None,
    settings: outbox.DispatchSettings | None = None,
) -> DispatchReport:
    """Send every pending e-mail whose time has come, a claimed batch at a time.

    On PostgreSQL MAIL_CONNECTIONS dispatchers work side by side, each with its own session
    and SMTP connection (SKIP LOCKED keeps their batches apart), so one composes while
    another waits for the server. SQLite cannot claim without blocking: one there.
    """
    config = current_app.config
    transport = transport or transport_from_config(config)
    settings = settings or outbox.DispatchSettings.from_config(config)
    workers = settings.connections if db.engine.dialect.name == "postgresql" else 1
    if workers <= 1:
        return _dispatch_serially(clock, transport, settings)
    app = current_app._get_current_object()

    def run() -> DispatchReport:
        with app.app_context():
            return _dispatch_serially(clock, transport, settings)

    with ThreadPoolExecutor(workers, thread_name_prefix="dispatch") as pool:
        reports = [future.result() for future in [pool.submit(run) for _ in range(workers)]]
    return DispatchReport(
        sent=sum(r.sent for r in reports),
        failed=sum(r.failed for r in reports),
        cancelled=sum(r.cancelled for r in reports),
        batches=sum(r.batches for r in reports),
    )


def _dispatch_serially(
    clock: Clock, transport: MailTransport, settings: outbox.DispatchSettings
) -> DispatchReport:
    config = current_app.config
    report = DispatchReport()
    while True:
        held = _committed(partial(outbox.claim, clock(), settings))
        if not held:
            return report
        report.batches += 1
        batch = _committed(partial(_compose, held.ids, clock(), config))
        report.cancelled += sum(len(cancelled) for cancelled in batch.cancelled.values())
        _send_claimed(batch.messages, held, clock, transport, settings, report)


def _send_claimed(
    messages: list[tuple[int, OutgoingMessage]],
    held: outbox.Claim,
    clock: Clock,
    transport: MailTransport,
    settings: outbox.DispatchSettings,
    report: DispatchReport,
) -> None:
    """Send a claimed batch over one connection, recording each e-mail as soon as it went.

    No transaction is open while the SMTP server takes its time. Between two e-mails the
    last one's result is recorded (one statement, committed at once on a connection of
    its own) and the lease renewed when due. An e-mail that could not finish inside the
    lease is not started; what is left goes back for the next claim. A dispatcher killed
    mid-batch leaves at most the e-mail in flight unrecorded: only that one can go twice.
    """
    connection = transport.open()
    done: Sent | None = None
    with records_session(db.engine) as records:
        try:
            for index, (alert_id, message) in enumerate(messages):
                held, go = _between(
                    records, held, done, alert_id, clock(), settings, first=index == 0
                )
                done = None
                if go is _Go.STOP:
                    break
                if go is _Go.SKIP:
                    continue  # our lease ran out and another dispatcher has it now
                result = connection.send(message)
                done = (alert_id, message.message_id, result)
                if result.ok:
                    report.sent += 1
                else:
                    report.failed += 1
        finally:
            connection.close()
        _between(records, held, done, None, clock(), settings)


Sent = tuple[int, str, SendResult]


class _Go(Enum):
    SEND = "send"
    SKIP = "skip"
    STOP = "stop"


def _between(
    records: Session,
    held: outbox.Claim,
    done: Sent | None,
    next_id: int | None,
    now: datetime,
    settings: outbox.DispatchSettings,
    *,
    first: bool = False,
) -> tuple[outbox.Claim, _Go]:
    """Record the e-mail just sent, then say whether the next may go (or give the rest back).

    Each statement commits on its own (`records` autocommits): each is complete by itself.
    """
    if done is not None:
        outbox.record_result(held, *done, now, settings, session=records)
        held = held.without(done[0])
    if next_id is None:
        outbox.release(held, now, session=records)
        return held, _Go.STOP
    if not first:  # the first e-mail of a claim starts at once, whatever the lease
        held = outbox.renew(held, now, settings, session=records)
        if not outbox.may_start(held, now, settings):
            outbox.release(held, now, session=records)
            return held, _Go.STOP
    return held, (_Go.SEND if next_id in held else _Go.SKIP)


def _compose(ids: list[int], now: datetime, config) -> compose.ComposedBatch:
    batch = compose.compose(ids, now, config)
    for reason, cancelled in batch.cancelled.items():
        outbox.cancel(cancelled, reason)
    return batch


def _committed(step):
    try:
        result = step()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def sweep_and_dispatch(
    clock: Clock = app_clock, transport=None, *, outage_since: datetime | None = None
) -> DispatchReport:
    """Run one sweep at the clock's time (and a missed digest), then dispatch the outbox.

    The completed sweep is recorded as the scheduler's heartbeat. `outage_since` (the last
    sweep before a gap, see scheduled_sweep) adds the administrators' notice that the
    scheduler was down and has caught up, in the same transaction as the heartbeat.
    """
    now = clock()
    sweep(now)
    created = _committed(partial(digest.create_missed_digests, now, working_days=_digest_days()))
    if created:
        log.info("Digest caught up at %s: %d e-mails added to the outbox", now, created)
    notices = _committed(partial(_heartbeat, now, outage_since))
    if notices:
        log.warning("No sweep from %s until %s; %d administrators told", outage_since, now, notices)
    report = dispatch(clock, transport)
    _log_dispatch(report)
    told = _committed(partial(mail_trouble.watch, clock()))
    if told:
        log.warning("E-mails are failing; %d administrators told", told)
    return report


def scheduled_sweep(clock: Clock = app_clock, transport=None) -> DispatchReport:
    """The scheduler's every-minute job: sweep and dispatch, telling of an outage before it.

    If no sweep completed for longer than heartbeat.STALE_AFTER (the scheduler was stopped,
    or could not get through), this sweep catches up and the administrators are told once.
    """
    outage = _committed(partial(heartbeat.outage_since, clock()))
    return sweep_and_dispatch(clock, transport, outage_since=outage)


def _heartbeat(now: datetime, outage_since: datetime | None) -> int:
    heartbeat.record_sweep(now)
    return heartbeat.report_outage(outage_since, now) if outage_since is not None else 0


def digest_and_dispatch(clock: Clock = app_clock, transport=None) -> DispatchReport:
    """Add today's digests (on hverdage) to the outbox, then dispatch it."""
    now = clock()
    created = _committed(partial(digest.create_digests, now, working_days=_digest_days()))
    log.info("Digest at %s: %d e-mails added to the outbox", now, created)
    report = dispatch(clock, transport)
    _log_dispatch(report)
    return report


def _digest_days() -> int:
    return current_app.config["DIGEST_WORKING_DAYS"]


def _log_dispatch(report: DispatchReport) -> None:
    if report.batches:
        log.info(
            "Dispatch: %d sent, %d failed, %d cancelled in %d batches",
            report.sent,
            report.failed,
            report.cancelled,
            report.batches,
        )
