"""Each alert e-mail is rendered with its own facts, even among many of the same stage."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from alerting import RECEIVED, make_people, register, run_scheduler
from jinja2 import ChoiceLoader, DictLoader

from tracker.extensions import db
from tracker.models import Notification

OVERDUE = RECEIVED + timedelta(hours=24)


def overdue_mails_by_reference(smtp_server) -> dict[str, tuple[str, str]]:
    """Return (text, html) of each overdue assessment e-mail, by the case in its subject."""
    mails = {}
    for message in smtp_server.messages:
        subject = message["Subject"]
        if subject.startswith("Frist overskredet: 24-timers vurdering, "):
            reference = subject.rsplit(", ", 1)[1]
            text = message.get_body(("plain",)).get_content()
            mails[reference] = (text, message.get_body(("html",)).get_content())
    return mails


def test_e_mails_of_one_stage_each_carry_their_own_facts(app, smtp_server):
    people = make_people(digest=False)
    # Three cases received an hour apart: one batch of overdue e-mails, facts all different.
    cases = [register(people, received_at=RECEIVED + timedelta(hours=h)) for h in (0, 1, 2)]
    run_scheduler(OVERDUE + timedelta(hours=3), smtp_server.transport())

    mails = overdue_mails_by_reference(smtp_server)
    assert sorted(mails) == sorted(case.reference for case in cases)
    for case, due, late in zip(cases, ("10:00", "11:00", "12:00"), (3, 2, 1), strict=True):
        text, html = mails[case.reference]
        others = [c.reference for c in cases if c is not case]
        assert text.startswith("Fristen er overskredet.\n")
        assert f"Sag: {case.reference}\n" in text
        assert f"Udløber: torsdag 12. marts 2026 kl. {due}\n" in text
        assert f"Status: {late} time{'r' if late > 1 else ''} over fristen\n" in text
        assert f"/cases/{case.id}\n" in text
        assert f'<a href="http://127.0.0.1:5000/cases/{case.id}">' in html
        assert f"<td>{case.reference}</td>" in html
        assert not any(other in text or other in html for other in others)


@pytest.fixture
def branching_alert_template(app) -> Iterator[None]:
    """Put an alert template that branches on a fact (the case) in front of the real one."""
    branch = (
        "{% if reference.endswith('2') %}Den anden sag{% else %}En sag{% endif %}:"
        " {{ reference }} ({{ time_phrase }})"
    )
    original = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader(
        [
            DictLoader({"email/alert.txt": branch, "email/alert.html": f"<p>{branch}</p>"}),
            original,
        ]
    )
    app.jinja_env.cache.clear()
    yield
    app.jinja_env.loader = original
    app.jinja_env.cache.clear()


def test_a_template_that_branches_on_a_fact_is_right_for_every_e_mail(
    app, smtp_server, branching_alert_template
):
    people = make_people(digest=False)
    cases = [register(people, received_at=RECEIVED + timedelta(hours=h)) for h in (0, 1)]
    run_scheduler(OVERDUE + timedelta(hours=2), smtp_server.transport())

    mails = overdue_mails_by_reference(smtp_server)
    first, second = (c.reference for c in cases)
    # The first e-mail takes the branch a stand-in for the fact would: a template rendered
    # once and filled in afterwards would get the second one wrong.
    assert second.endswith("2") and not first.endswith("2")
    assert mails[first][0] == f"En sag: {first} (2 timer over fristen)\n"
    assert mails[second][0] == f"Den anden sag: {second} (1 time over fristen)\n"
    assert mails[second][1].strip() == f"<p>Den anden sag: {second} (1 time over fristen)</p>"


def test_facts_are_escaped_in_the_html_and_kept_as_they_are_in_the_text(app, smtp_server):
    people = make_people(digest=False)
    case = register(people)
    reference = "U-<b>&\"'Æ</b>"
    db.session.get(Notification, case.id).reference = reference
    db.session.commit()
    run_scheduler(OVERDUE + timedelta(hours=1), smtp_server.transport())

    text, html = overdue_mails_by_reference(smtp_server)[reference]
    assert f"Sag: {reference}\n" in text
    assert "<td>U-&lt;b&gt;&amp;&#34;&#39;Æ&lt;/b&gt;</td>" in html
