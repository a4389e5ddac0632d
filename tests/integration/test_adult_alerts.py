"""An adult's local task is e-mailed as the municipality's own target, not a legal requirement."""

from __future__ import annotations

from datetime import date, timedelta

from alerting import RECEIVED, make_people, run_scheduler

from tracker.cases import actions
from tracker.extensions import db


def test_the_threat_assessment_is_e_mailed_as_local_policy(app, smtp_server):
    people = make_people(digest=False)
    data = actions.NotificationInput(
        received_at=RECEIVED,
        channel="email",
        notifier_kind="professional",
        notifier_contact="Jobcentret",
        child_reference="SAG-VOKSEN-1",
        cpr_number=None,
        child_birth_date=date(2000, 2, 1),  # 26 at receipt
        age_group=None,
        concerns=("involuntary_stay_abroad",),
        summary="Fortroligt resumé",
        team_id=people.team.id,
        caseworker_id=people.caseworker.id,
    )
    notification = actions.register_notification(
        data, registered_by=people.caseworker, now=RECEIVED
    )
    db.session.commit()
    assert [d.kind for d in notification.deadlines] == ["threat_assessment"]
    run_scheduler(RECEIVED + timedelta(hours=25), smtp_server.transport())
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects, "no alert was sent"
    for message in smtp_server.messages:
        text = message.get_body(("plain",)).get_content()
        assert "kommunens egen frist, ikke et lovkrav" in message["Subject"] + text
        assert "24-timers vurdering" not in message["Subject"] + text
