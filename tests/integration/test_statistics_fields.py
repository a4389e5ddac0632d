"""Item 8 of issue 11: gender, notifier sector, several concerns, unborn child; the
migration of the one concern (SQLite and PostgreSQL) and the statistics that use them."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from deadline_data import make_notification
from factories import make_team, make_user
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from test_migrations import (  # noqa: F401  (fixtures)
    assert_schema_matches_models,
    empty_database_url,
    fresh_app,
)

from tracker.cases import actions
from tracker.cases.notifier_sectors import DEFAULT_FILE, NotifierSectorsError, load, parse
from tracker.extensions import db
from tracker.models import AgeGroup, Notification
from tracker.reporting import reports
from tracker.reporting.intake_export import intake_rows
from tracker.reporting.reports import ReportQuery

STATISTICS_FIELDS = "5e1f0c7a9b21"


def _revision_before(revision: str) -> str:
    """The statistics fields' down_revision (the lead may re-chain it at merge time)."""
    folder = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    [path] = folder.glob(f"{revision}_*.py")
    spec = importlib.util.spec_from_file_location("statistics_fields_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.down_revision


BEFORE = _revision_before(STATISTICS_FIELDS)
T0 = "2026-01-05 09:00:00+00:00"


@pytest.mark.slow
def test_the_one_concern_becomes_the_first_of_the_list_and_comes_back(fresh_app):  # noqa: F811
    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        conn.execute(text(f"INSERT INTO teams (id, name, created_at) VALUES (1, 'Nord', '{T0}')"))
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, role, team_id, active, session_version,"
                f" digest_enabled, created_at) VALUES (1, 'a@x.dk', 'A', 'caseworker', 1, TRUE,"
                f" 1, FALSE, '{T0}')"
            )
        )
        for number, concern in ((1, "violence"), (2, "negative_social_control")):
            conn.execute(
                text(
                    "INSERT INTO notifications (id, reference, received_at, registered_at,"
                    " registered_by_id, channel, notifier_kind, child_reference,"
                    " concern_category, summary, team_id, status) VALUES"
                    f" ({number}, 'U-2026-00000{number}', '{T0}', '{T0}', 1, 'email',"
                    f" 'professional', 'BARN-{number}', '{concern}', 'x', 1, 'open')"
                )
            )
    upgrade(revision=STATISTICS_FIELDS)
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT notification_id, position, category FROM notification_concerns"
                " ORDER BY notification_id"
            )
        ).all()
        genders = conn.execute(text("SELECT DISTINCT child_gender FROM notifications")).all()
    assert [tuple(r) for r in rows] == [(1, 0, "violence"), (2, 0, "negative_social_control")]
    assert [g[0] for g in genders] == ["unknown"]
    upgrade()
    assert_schema_matches_models()
    downgrade(revision=BEFORE)
    with db.engine.connect() as conn:
        back = conn.execute(
            text("SELECT id, concern_category FROM notifications ORDER BY id")
        ).all()
    assert [tuple(r) for r in back] == [(1, "violence"), (2, "negative_social_control")]


def test_the_shipped_sectors_file_has_the_issue_s_sectors():
    labels = list(load(DEFAULT_FILE).labels.values())
    assert labels == [
        "Skole",
        "Dagtilbud",
        "Sundhedsvæsen",
        "Politi eller domstol",
        "Døgninstitution",
        "Anden kommune",
        "Forældre",
        "Barnet selv",
        "Anden borger",
        "Anonym",
        "Andre",
    ]


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"format": 1, "sectors": []}, "sectors"),
        ({"format": 1, "sectors": [{"key": "Skole!", "label": "Skole"}]}, "sectors[0].key"),
        (
            {"format": 1, "sectors": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]},
            "sectors[1].key",
        ),
        ({"format": 1, "sectors": [{"key": "a", "label": "A", "colour": "red"}]}, "colour"),
        ({"format": 2, "sectors": [{"key": "a", "label": "A"}]}, "format"),
    ],
)
def test_a_broken_sectors_file_is_refused_naming_the_key(data, named):
    with pytest.raises(NotifierSectorsError, match=named.replace("[", r"\[").replace("]", r"\]")):
        parse(data, source="kommunen.toml")


def test_a_retired_sector_is_named_but_not_offered():
    sectors = parse(
        {
            "format": 1,
            "sectors": [{"key": "a", "label": "A"}, {"key": "b", "label": "B", "retired": True}],
        }
    )
    assert [s.key for s in sectors.offered] == ["a"]
    assert sectors.labels == {"a": "A", "b": "B"}
    assert not sectors.is_offered("b")


def test_a_broken_sectors_file_stops_the_app(tmp_path):
    from config import TestConfig
    from tracker import create_app

    broken = tmp_path / "sectors.toml"
    broken.write_text('format = 1\n[[sectors]]\nkey = "x"\n', encoding="utf-8")
    settings = {"NOTIFIER_SECTORS_FILE": str(broken), "INSTANCE_PATH": str(tmp_path)}
    with pytest.raises(NotifierSectorsError, match=r"sectors\[0\]\.label"):
        create_app(type("BrokenSectors", (TestConfig,), settings))


def _register(team, user, **fields):
    values = dict(
        received_at=datetime(2026, 2, 3, 9, 0, tzinfo=UTC),
        channel="email",
        notifier_kind="professional",
        notifier_contact="Skolen",
        child_reference="BARN-1",
        cpr_number=None,
        child_birth_date=None,
        age_group=None,
        concerns=("neglect",),
        summary="Hemmeligt resumé",
        team_id=team.id,
        caseworker_id=user.id,
    )
    values.update(fields)
    return actions.register_notification(
        actions.NotificationInput(**values),
        registered_by=user,
        now=datetime(2026, 2, 3, 10, 0, tzinfo=UTC),
    )


def test_registration_stores_the_fields_and_the_statistics_count_them(app):
    nord = make_team("Team Nord")
    anna = make_user(team=nord)
    _register(
        nord,
        anna,
        concerns=("violence", "neglect"),
        child_gender="girl",
        notifier_sector="school",
        child_birth_date=date(2015, 2, 4),  # 10 years old the day before her birthday
    )
    _register(
        nord,
        anna,
        child_reference="BARN-2",
        notifier_kind="citizen",
        expected_birth_date=date(2026, 6, 1),
    )
    db.session.commit()
    first, unborn = db.session.query(Notification).order_by(Notification.id).all()
    assert first.concern_categories == ["violence", "neglect"]
    assert (first.child_gender, first.notifier_sector) == ("girl", "school")
    assert unborn.age_group == AgeGroup.UNBORN
    assert unborn.child_gender == "unknown"
    stats = reports.intake_statistics(ReportQuery((nord.id,), "2026-02", "2026-02"))
    assert stats.totals == {"2026-02": 2}
    assert stats.by_dimension["concerns"] == {
        "violence": {"2026-02": 1},
        "neglect": {"2026-02": 2},
    }
    assert stats.by_dimension["notifier_sector"] == {
        "school": {"2026-02": 1},
        "not_stated": {"2026-02": 1},
    }
    assert stats.by_dimension["child_gender"] == {
        "girl": {"2026-02": 1},
        "unknown": {"2026-02": 1},
    }
    assert stats.by_dimension["age_group"] == {"6-11": {"2026-02": 1}, "unborn": {"2026-02": 1}}
    rows = list(intake_rows(ReportQuery((nord.id,), "2026-02", "2026-02")))
    assert [(r.age, r.age_group, r.concerns) for r in rows] == [
        (10, "6-11", ["violence", "neglect"]),
        (None, "unborn", ["neglect"]),
    ]


def test_old_rows_without_the_new_fields_still_count(app):
    nord = make_team("Team Nord")
    anna = make_user(team=nord)
    make_notification(nord, anna, received_at=datetime(2026, 2, 3, 9, 0, tzinfo=UTC))
    db.session.commit()
    stats = reports.intake_statistics(ReportQuery((nord.id,), "2026-02", "2026-02"))
    assert stats.by_dimension["notifier_sector"] == {"not_stated": {"2026-02": 1}}
    assert stats.by_dimension["child_gender"] == {"unknown": {"2026-02": 1}}
