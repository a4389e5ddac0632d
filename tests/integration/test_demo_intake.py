"""The demo's intake items: Team Nord's leader sees them waiting, with their clocks."""

from __future__ import annotations

from datetime import UTC, datetime

from factories import login, new_client
from sqlalchemy import func, select

from tracker.cli.demo import create_demo_data
from tracker.extensions import db
from tracker.models import IntakeItem, User

NOW = datetime(2026, 3, 11, 11, 0, tzinfo=UTC)  # a Wednesday


def test_the_demo_has_unregistered_arrivals_on_the_dashboard(app, clock):
    create_demo_data(NOW)
    db.session.commit()
    create_demo_data(NOW)  # idempotent
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(IntakeItem)) == 3

    lene = db.session.scalar(select(User).where(User.email == "lene@nord.demo"))
    page = login(new_client(app), lene).get("/dashboard").get_data(as_text=True)
    assert "Ikke registreret (3)" in page
    assert "om 2 timer" in page  # the one that arrived 22 hours ago
    carl = db.session.scalar(select(User).where(User.email == "carl@syd.demo"))
    assert "intake-items" not in login(new_client(app), carl).get("/dashboard").get_data(
        as_text=True
    )
