"""The compliance report and intake statistics against a hand-made data set, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from deadline_data import make_deadline, make_notification
from factories import make_team, make_user

from tracker.domain.local_time import end_of_local_day
from tracker.extensions import db
from tracker.reporting import reports
from tracker.reporting.reports import ReportLine, ReportQuery

NOW = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
H = timedelta(hours=1)


def build_report_data(nord, syd, anna, carl) -> None:
    """The data set of EXPECTED below (durations are hours from start to completion)."""
    january = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # due 2026-01-06 10:00 local
    for hours in (2, 4, 10, 30, 50):  # 30 and 50 are past the 24 hours: late
        make_deadline(nord, anna, starts_at=january, completed_at=january + hours * H)
    make_deadline(nord, anna, starts_at=january, not_applicable="dublet")  # left out
    make_deadline(nord, anna, starts_at=datetime(2026, 1, 20, 8, 0, tzinfo=UTC))  # still overdue
    receipt_start = datetime(2026, 1, 7, 9, 0, tzinfo=UTC)
    for hours in (24, 72):  # due at the end of 2026-01-15: both on time
        make_deadline(
            nord,
            anna,
            kind="receipt",
            starts_at=receipt_start,
            due_date=date(2026, 1, 15),
            overdue_from=end_of_local_day(date(2026, 1, 15)),
            completed_at=receipt_start + hours * H,
        )
    february = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
    make_deadline(nord, anna, starts_at=february, completed_at=february + 12 * H)
    # Due 2026-02-28 23:30 UTC = 2026-03-01 00:30 in Copenhagen: a March deadline.
    edge = datetime(2026, 2, 27, 23, 30, tzinfo=UTC)
    make_deadline(nord, anna, starts_at=edge, completed_at=edge + 5 * H)
    make_deadline(nord, anna, starts_at=NOW - H)  # due tomorrow: not yet due
    # Another team's deadlines in the same months never count.
    make_deadline(syd, carl, starts_at=january, completed_at=january + 40 * H)
    make_deadline(syd, carl, starts_at=february)
    db.session.commit()


EXPECTED = [
    ReportLine("2026-01", "assessment", 3, 2, 1, 0, 10.0, 42.0),
    ReportLine("2026-01", "receipt", 2, 0, 0, 0, 48.0, 67.2),
    ReportLine("2026-02", "assessment", 1, 0, 0, 0, 12.0, 12.0),
    ReportLine("2026-03", "assessment", 1, 0, 0, 0, 5.0, 5.0),
    ReportLine("2026-04", "assessment", 0, 0, 0, 1, None, None),
]


@pytest.fixture
def people(app):
    nord, syd = make_team("Team Nord"), make_team("Team Syd")
    anna, carl = make_user(team=nord), make_user(team=syd)
    return nord, syd, anna, carl


def rounded(lines):
    return [
        (
            line.month,
            line.kind,
            line.met_on_time,
            line.met_late,
            line.overdue,
            line.pending,
            *(None if v is None else round(v, 6) for v in (line.median_hours, line.p90_hours)),
        )
        for line in lines
    ]


def test_compliance_report_matches_the_hand_made_figures(people):
    nord, syd, anna, carl = people
    build_report_data(nord, syd, anna, carl)
    lines = reports.compliance_report(ReportQuery((nord.id,), "2026-01", "2026-04"), NOW)
    assert rounded(lines) == rounded(EXPECTED)
    assert lines[0].share_on_time == pytest.approx(3 / 6)
    assert lines[-1].share_on_time is None


def test_compliance_report_period_and_team(people):
    nord, syd, anna, carl = people
    build_report_data(nord, syd, anna, carl)
    february = reports.compliance_report(ReportQuery((nord.id,), "2026-02", "2026-02"), NOW)
    assert rounded(february) == rounded(EXPECTED[2:3])
    syd_lines = reports.compliance_report(ReportQuery((syd.id,), "2026-01", "2026-04"), NOW)
    assert [(x.month, x.met_on_time, x.met_late, x.overdue) for x in syd_lines] == [
        ("2026-01", 0, 1, 0),
        ("2026-02", 0, 0, 1),
    ]
    assert syd_lines[0].median_hours == pytest.approx(40.0)


def test_intake_statistics_by_local_month_and_dimension(people):
    nord, syd, anna, carl = people
    received = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
    make_notification(nord, anna, received_at=received, child_reference="BARN-A", age_group="6-11")
    # 23:30 UTC on 31 January is 00:30 on 1 February in Copenhagen.
    make_notification(
        nord,
        anna,
        received_at=datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
        channel="phone",
        notifier_kind="citizen",
        child_reference="BARN-A",
        child_birth_date=date(2014, 5, 1),
    )
    make_notification(
        nord,
        anna,
        received_at=datetime(2026, 2, 20, 12, 0, tzinfo=UTC),
        channel="police",
        notifier_kind="police",
        concerns=("violence",),
        child_reference="BARN-B",
        child_birth_date=date(2010, 1, 1),
    )
    make_notification(
        nord, anna, received_at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC), child_reference="BARN-C"
    )
    make_notification(syd, carl, received_at=received, child_reference="BARN-A")
    db.session.commit()
    stats = reports.intake_statistics(ReportQuery((nord.id,), "2026-01", "2026-03"))
    assert stats.months == ["2026-01", "2026-02", "2026-03"]
    assert stats.totals == {"2026-01": 1, "2026-02": 2, "2026-03": 1}
    assert stats.by_dimension["channel"] == {
        "email": {"2026-01": 1, "2026-03": 1},
        "phone": {"2026-02": 1},
        "police": {"2026-02": 1},
    }
    assert stats.by_dimension["notifier_kind"]["citizen"] == {"2026-02": 1}
    assert stats.by_dimension["concerns"] == {
        "neglect": {"2026-01": 1, "2026-02": 1, "2026-03": 1},
        "violence": {"2026-02": 1},
    }
    # Stored group; 11 years old from the birth date; 16 years old; nothing known.
    assert stats.by_dimension["age_group"] == {
        "6-11": {"2026-01": 1, "2026-02": 1},
        "15-17": {"2026-02": 1},
        "unknown": {"2026-03": 1},
    }
    assert (stats.children, stats.children_repeated) == (3, 1)
    assert stats.share_repeated == pytest.approx(1 / 3)
