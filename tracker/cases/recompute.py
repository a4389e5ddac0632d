"""Recomputing open deadlines: when the rules change, and when a follow-up comes earlier.

recompute() computes a stored deadline afresh from the case's own rows under a rule
book; pending_changes() lists the open deadlines whose date or citation that would
change (`tracker rules check`), and apply_changes() recomputes them (`tracker rules
apply`). move() is the one way a stored deadline gets a new date or citation: the row
takes the new computation, its trace keeps the earlier one under a dated line, and an
audit row and a timeline entry on the case (DEADLINE_MOVED, or RULES_APPLIED when only
the citation changed) name the reason and the rules version. Completed deadlines (and those marked
not applicable) are never touched. The edge commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import audit
from tracker.audit import AuditAction
from tracker.cases.rules_inputs import parallel_investigation_finished_on
from tracker.cases.timeline import add_entry
from tracker.domain.kinds import ComputedDeadline, DeadlineKind, DecisionKind
from tracker.domain.local_time import COPENHAGEN, local_date
from tracker.domain.months import (
    compute_follow_up_deadline,
    compute_investigation_deadline,
    compute_plan_deadline,
    compute_youth_plan_deadline,
)
from tracker.domain.notification import (
    assessment_deadline,
    orientation_deadline,
    reassessment_deadline,
    receipt_deadline,
)
from tracker.domain.rulebook import RuleBook
from tracker.extensions import db
from tracker.models import Deadline, Notification, TimelineKind, User

BATCH = 500

# Why a deadline was recomputed: stored in the audit row, told in the trace.
REASON_RULES = "rules_apply"
REASON_INVESTIGATION_FINISHED = "investigation_finished"
REASON_TEXTS = {
    REASON_RULES: "reglerne blev ændret (tracker rules apply)",
    REASON_INVESTIGATION_FINISHED: "den sideløbende børnefaglige undersøgelse blev afsluttet",
}


def recompute(deadline: Deadline, rules: RuleBook) -> ComputedDeadline | None:
    """Compute a stored deadline afresh from its case's rows, or None if it cannot be.

    The inputs are the ones its use case had: the receipt instant, the decision, the day
    of awareness, the start of the indsats, the birth date.
    """
    notification = deadline.notification
    decision = deadline.decision
    match deadline.kind:
        case DeadlineKind.ASSESSMENT:
            return assessment_deadline(notification.received_at, rules)
        case DeadlineKind.RECEIPT:
            return receipt_deadline(notification.received_at, rules)
        case DeadlineKind.ORIENTATION:
            return orientation_deadline(notification.received_at, rules)
        case DeadlineKind.PLAN if decision is not None:
            return compute_plan_deadline(DecisionKind(decision.kind), decision.decided_on, rules)
        case DeadlineKind.INVESTIGATION:
            return compute_investigation_deadline(local_date(deadline.starts_at), rules)
        case DeadlineKind.FOLLOW_UP if decision is not None and decision.started_on is not None:
            return compute_follow_up_deadline(
                DecisionKind(decision.kind),
                decision.started_on,
                rules,
                investigation_finished_on=parallel_investigation_finished_on(
                    notification, decision
                ),
            )
        case DeadlineKind.YOUTH_PLAN if notification.child_birth_date is not None:
            return compute_youth_plan_deadline(notification.child_birth_date, rules)
        case DeadlineKind.REASSESSMENT:
            return reassessment_deadline(notification.received_at, rules)
    return None  # a kind these rules do not compute, or its inputs are gone


def differs(deadline: Deadline, computed: ComputedDeadline) -> bool:
    """Tell whether a recomputation would change the deadline's date or its citation."""
    return (
        deadline.due_date != computed.due_date
        or deadline.overdue_from != computed.overdue_from
        or deadline.legal_paragraph != computed.legal_basis.paragraph
        or deadline.legal_text != computed.legal_basis.text
        or deadline.precondition != computed.precondition
    )


@dataclass(frozen=True)
class Change:
    """An open deadline, what it said when listed, and what the rules make of it now."""

    deadline: Deadline
    computed: ComputedDeadline
    old_due: date | None
    old_overdue_from: datetime | None
    old_paragraph: str
    old_text: str

    @classmethod
    def of(cls, deadline: Deadline, computed: ComputedDeadline) -> Change:
        return cls(
            deadline,
            computed,
            deadline.due_date,
            deadline.overdue_from,
            deadline.legal_paragraph,
            deadline.legal_text,
        )

    @property
    def moves(self) -> bool:
        """Whether the date changes (else only the citation)."""
        return (self.old_due, self.old_overdue_from) != (
            self.computed.due_date,
            self.computed.overdue_from,
        )

    @property
    def new_citation(self) -> bool:
        """Whether the paragraph changes."""
        return self.old_paragraph != self.computed.legal_basis.paragraph

    @property
    def new_text(self) -> bool:
        """Whether the legal text changes."""
        return self.old_text != self.computed.legal_basis.text


def pending_changes(rules: RuleBook) -> list[Change]:
    """List the open deadlines whose date or citation the rule book would change, by id."""
    changes = []
    for deadline in _open_deadlines():
        computed = recompute(deadline, rules)
        if computed is not None and differs(deadline, computed):
            changes.append(Change.of(deadline, computed))
    return changes


def apply_changes(rules: RuleBook, *, now: datetime) -> list[Change]:
    """Recompute every open deadline the rule book changes; each gets an audit row.

    Done by the system (a command run on the server): the audit rows have no user.
    """
    changes = pending_changes(rules)
    for change in changes:
        move(change.deadline, change.computed, by=None, now=now, reason=REASON_RULES)
    audit.record(
        AuditAction.RULES_APPLY,
        actor=None,
        at=now,
        object_type="rules",
        detail={
            "deadlines": len(changes),
            "versions": sorted({c.computed.rules_version for c in changes}),
        },
    )
    return changes


def move(
    deadline: Deadline, computed: ComputedDeadline, *, by: User | None, now: datetime, reason: str
) -> None:
    """Give an open deadline a new computation, keeping the earlier one in its trace."""
    if not deadline.is_open:
        raise ValueError("a completed deadline is never recomputed")
    old_due, old_overdue_from = deadline.due_date, deadline.overdue_from
    when = now.astimezone(COPENHAGEN).strftime("%Y-%m-%d %H:%M")
    history = [
        f"Genberegnet {when} (dansk tid), fordi {REASON_TEXTS[reason]}: "
        f"frist {_day(old_due)} blev {_day(computed.due_date)}",
        "Den tidligere beregning:",
        *(f"  {line}" for line in deadline.trace),
    ]
    citation_changed = deadline.legal_paragraph != computed.legal_basis.paragraph
    deadline.due_date = computed.due_date
    deadline.overdue_from = computed.overdue_from
    deadline.precondition = computed.precondition
    deadline.legal_paragraph = computed.legal_basis.paragraph
    deadline.legal_text = computed.legal_basis.text
    deadline.trace = [*computed.trace, *history]
    # The sweep works out the alerts of the new date; `now` makes it look once.
    deadline.next_alert_at = now if computed.overdue_from else None
    moved = (old_due, old_overdue_from) != (computed.due_date, computed.overdue_from)
    detail = {
        "kind": deadline.kind,
        "reason": reason,
        "rules_version": computed.rules_version,
        "old_due": _day(old_due),
        "new_due": _day(computed.due_date),
        "citation_changed": citation_changed,
    }
    # On the case's timeline: the date moved, or (the date kept) the rules gave a new citation.
    add_entry(
        deadline.notification,
        TimelineKind.DEADLINE_MOVED if moved else TimelineKind.RULES_APPLIED,
        by=by,
        now=now,
        deadline=deadline,
        details=detail,
    )
    audit.record(
        AuditAction.DEADLINE_RECOMPUTE,
        actor=by,
        at=now,
        object_type="deadline",
        object_id=deadline.id,
        case_id=deadline.notification_id,
        team_id=deadline.team_id,
        detail=detail,
    )


def bring_follow_ups_forward(
    notification: Notification, *, by: User, now: datetime, rules: RuleBook
) -> None:
    """Move open follow-ups of acute indsatser to the investigation's end, if that is earlier.

    Called when the case's investigation deadline is completed.
    """
    for deadline in notification.deadlines:
        if deadline.kind != DeadlineKind.FOLLOW_UP or not deadline.is_open:
            continue
        computed = recompute(deadline, rules)  # with the undersøgelse's end, if alongside
        if computed is not None and computed.due_date < deadline.due_date:
            move(deadline, computed, by=by, now=now, reason=REASON_INVESTIGATION_FINISHED)


def _day(day: date | None) -> str:
    return day.isoformat() if day else "ingen dato"


def _open_deadlines() -> Iterator[Deadline]:
    """Every open deadline, by id, read in batches with its case and decision."""
    last_id = 0
    while True:
        batch = list(
            db.session.scalars(
                select(Deadline)
                .where(Deadline.is_open, Deadline.id > last_id)
                .order_by(Deadline.id)
                .limit(BATCH)
                .options(selectinload(Deadline.notification), selectinload(Deadline.decision))
            )
        )
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
