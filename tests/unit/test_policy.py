"""The alert policy: schedules per kind, catch-up after downtime, configuration (no app, no DB)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rulebooks import SHIPPED

from tracker.domain.local_time import COPENHAGEN, end_of_local_day
from tracker.domain.policy import (
    DEFAULT_ALERT_POLICY,
    AlertPolicy,
    Audience,
    Phase,
    PlannedAlert,
    Stage,
    due_alerts,
    first_alert_at,
    next_alert_at,
    planned_alerts,
)
from tracker.domain.rules import DeadlineKind, compute_notification_deadlines

CASEWORKER = (Audience.CASEWORKER,)
LEADERS = (Audience.LEADERS,)
BOTH = (Audience.CASEWORKER, Audience.LEADERS)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=COPENHAGEN).astimezone(UTC)


def day_based(kind: DeadlineKind, due: date, policy: AlertPolicy = DEFAULT_ALERT_POLICY):
    return planned_alerts(kind, due, end_of_local_day(due), policy)


def summary(schedule: list[PlannedAlert]) -> list[tuple[str, datetime, tuple[Audience, ...]]]:
    return [(a.stage, a.at, a.audiences) for a in schedule]


# --- Schedules for every kind ---


def test_assessment_warns_four_hours_before_and_tells_leaders_at_once_when_overdue():
    received = local(2026, 3, 10, 14, 30)  # Tuesday, CET
    [assessment] = [
        d
        for d in compute_notification_deadlines(
            received, notifier_kind="anonymous", notifier_identifiable=False, rules=SHIPPED
        )
        if d.kind is DeadlineKind.ASSESSMENT
    ]
    schedule = planned_alerts(DeadlineKind.ASSESSMENT, assessment.due_date, assessment.overdue_from)
    assert summary(schedule) == [
        ("warn_4h", local(2026, 3, 11, 10, 30), CASEWORKER),
        ("overdue", local(2026, 3, 11, 14, 30), BOTH),
    ]
    assert [a.phase for a in schedule] == [Phase.WARNING, Phase.OVERDUE]


@pytest.mark.parametrize("kind", [DeadlineKind.RECEIPT, DeadlineKind.ORIENTATION])
def test_receipt_and_orientation_warn_on_the_morning_of_the_last_hverdag(kind):
    # Received Wed 2026-04-01; Easter makes Tue 2026-04-14 the 6th hverdag.
    schedule = day_based(kind, date(2026, 4, 14))
    assert summary(schedule) == [
        ("warn_last_day", local(2026, 4, 14, 8, 0), CASEWORKER),
        ("overdue", local(2026, 4, 15, 0, 0), CASEWORKER),
        # One whole hverdag (Wed 15th) to catch up; the leaders hear on Thursday morning.
        ("escalation", local(2026, 4, 16, 8, 0), LEADERS),
    ]


def test_receipt_escalation_skips_easter():
    # Due Wed 2026-04-01: skærtorsdag, langfredag, the weekend and 2. påskedag are no hverdage,
    # so the caseworker's grace hverdag is Tue 7 April and the leaders hear on Wed 8 April.
    schedule = day_based(DeadlineKind.RECEIPT, date(2026, 4, 1))
    assert summary(schedule)[-2:] == [
        ("overdue", local(2026, 4, 2, 0, 0), CASEWORKER),
        ("escalation", local(2026, 4, 8, 8, 0), LEADERS),
    ]


@pytest.mark.parametrize("kind", [DeadlineKind.PLAN, DeadlineKind.INVESTIGATION])
def test_plan_and_investigation_warn_fourteen_and_two_days_before_across_dst(kind):
    # Due Mon 2026-03-30; summer time begins Sun 29 March.
    schedule = day_based(kind, date(2026, 3, 30))
    assert summary(schedule) == [
        ("warn_14d", utc(2026, 3, 16, 7, 0), CASEWORKER),  # Mon 08:00 CET
        ("warn_2d", utc(2026, 3, 27, 7, 0), CASEWORKER),  # Sat 28th -> Fri 27th 08:00 CET
        ("overdue", utc(2026, 3, 30, 22, 0), CASEWORKER),  # midnight CEST
        ("escalation", utc(2026, 4, 1, 6, 0), LEADERS),  # Wed 08:00 CEST
    ]


def test_a_warning_on_a_non_working_day_moves_to_the_hverdag_before():
    # Due Sun 2026-06-07: 2 days before is Fri 5 June, grundlovsdag, so the warning is on Thursday.
    schedule = day_based(DeadlineKind.INVESTIGATION, date(2026, 6, 7))
    assert summary(schedule) == [
        ("warn_14d", local(2026, 5, 22, 8, 0), CASEWORKER),  # Sun 24 May -> Fri 22 May
        ("warn_2d", local(2026, 6, 4, 8, 0), CASEWORKER),
        ("overdue", local(2026, 6, 8, 0, 0), CASEWORKER),
        ("escalation", local(2026, 6, 9, 8, 0), LEADERS),
    ]


@pytest.mark.parametrize(
    ("received", "warning", "overdue"),
    [
        # Spring forward: 24 elapsed hours read 25 on the wall clock; the warning is 4 real hours.
        (local(2026, 3, 28, 20, 0), utc(2026, 3, 29, 15, 0), utc(2026, 3, 29, 19, 0)),
        # Fall back: 23 on the wall clock.
        (local(2026, 10, 24, 20, 0), utc(2026, 10, 25, 14, 0), utc(2026, 10, 25, 18, 0)),
    ],
)
def test_assessment_warning_counts_elapsed_hours_over_a_dst_weekend(received, warning, overdue):
    schedule = planned_alerts(DeadlineKind.ASSESSMENT, None, received + timedelta(hours=24))
    assert [(a.stage, a.at) for a in schedule] == [("warn_4h", warning), ("overdue", overdue)]


def test_a_plan_without_a_due_date_gets_no_alerts():
    # § 47: the plan must exist before the decision; a precondition, not a date.
    assert planned_alerts(DeadlineKind.PLAN, None, None) == []
    assert first_alert_at([]) is None
    assert next_alert_at([], utc(2026, 1, 1)) is None
    assert due_alerts([], utc(2026, 1, 1)) == []


def test_default_stage_names_are_the_stored_strings():
    assert {s.value for s in Stage} == {
        "warn_14d",
        "warn_2d",
        "warn_last_day",
        "warn_4h",
        "overdue",
        "escalation",
        "next_level",
    }
    stages = {
        a.stage
        for kind in DeadlineKind
        for a in planned_alerts(kind, date(2026, 9, 30), end_of_local_day(date(2026, 9, 30)))
    }
    # The next level is off until a municipality sets next_level_after_hours.
    assert stages == {s.value for s in Stage} - {"next_level"}


# --- What the sweep asks: due now, and when next ---


def sweep(schedule, now, since):
    """Do what the sweep does for one deadline: return (stages sent, new next_alert_at)."""
    sent = [a.stage for a in due_alerts(schedule, now, since)]
    return sent, next_alert_at(schedule, now)


def test_each_stage_is_sent_once_when_the_scheduler_runs_on_time():
    schedule = day_based(DeadlineKind.PLAN, date(2026, 3, 30))
    since = first_alert_at(schedule)
    sent = []
    for alert in schedule:
        for now in (alert.at - timedelta(minutes=1), alert.at, alert.at + timedelta(minutes=1)):
            if since is not None and since <= now:
                stages, since = sweep(schedule, now, since)
                sent += stages
    assert sent == ["warn_14d", "warn_2d", "overdue", "escalation"]
    assert since is None


def test_catch_up_after_a_day_down_sends_the_overdue_alert_not_the_moot_warning():
    schedule = day_based(DeadlineKind.RECEIPT, date(2026, 4, 14))
    since = local(2026, 4, 14, 8, 0)  # the last-day warning was next when the scheduler stopped
    stages, since = sweep(schedule, local(2026, 4, 15, 10, 0), since)
    assert stages == ["overdue"]
    assert since == local(2026, 4, 16, 8, 0)


def test_catch_up_after_two_days_down_sends_overdue_and_escalation():
    schedule = day_based(DeadlineKind.RECEIPT, date(2026, 4, 14))
    stages, since = sweep(schedule, local(2026, 4, 16, 9, 0), local(2026, 4, 14, 8, 0))
    assert stages == ["overdue", "escalation"]
    assert since is None


def test_an_assessment_missed_by_a_stopped_scheduler_goes_to_caseworker_and_leaders():
    overdue_from = local(2026, 3, 11, 14, 30)
    schedule = planned_alerts(DeadlineKind.ASSESSMENT, None, overdue_from)
    due = due_alerts(schedule, overdue_from + timedelta(days=1), first_alert_at(schedule))
    assert [(a.stage, a.audiences) for a in due] == [("overdue", BOTH)]


def test_a_deadline_registered_late_gets_only_the_latest_warning():
    schedule = day_based(DeadlineKind.PLAN, date(2026, 3, 30))
    registered = local(2026, 3, 28, 12, 0)  # after both warnings, before the deadline
    stages, since = sweep(schedule, registered, first_alert_at(schedule))
    assert stages == ["warn_2d"]
    assert since == utc(2026, 3, 30, 22, 0)


def test_a_warning_due_before_the_deadline_is_still_sent_late():
    # The scheduler was down at the warning but is back before the deadline: warn now.
    overdue_from = local(2026, 3, 11, 14, 30)
    schedule = planned_alerts(DeadlineKind.ASSESSMENT, None, overdue_from)
    stages, since = sweep(schedule, overdue_from - timedelta(minutes=5), schedule[0].at)
    assert stages == ["warn_4h"]
    assert since == overdue_from


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(list(DeadlineKind)),
    due=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    gaps=st.lists(st.integers(min_value=1, max_value=60 * 24 * 20), min_size=1, max_size=40),
)
def test_any_sweep_pattern_sends_overdue_stages_once_and_never_a_moot_warning(kind, due, gaps):
    schedule = day_based(kind, due)
    since = first_alert_at(schedule)
    now = schedule[0].at - timedelta(days=20)
    sent: list[str] = []
    for gap in gaps:
        now += timedelta(minutes=gap)
        if since is None or since > now:
            continue
        for alert in due_alerts(schedule, now, since):
            assert alert.moot_from is None or now < alert.moot_from
            sent.append(alert.stage)
        since = next_alert_at(schedule, now)
    assert len(sent) == len(set(sent))
    must_arrive = [a.stage for a in schedule if a.phase is not Phase.WARNING and a.at <= now]
    assert [s for s in sent if not s.startswith("warn_")] == must_arrive


# --- Configuration ---


def test_a_municipality_can_override_the_policy_per_kind():
    policy = AlertPolicy.from_mapping(
        {
            "plan": {"warn_days_before": [30, 7]},
            "receipt": {"local_time": "09:00", "escalate_after_working_days": 0},
            "assessment": {"overdue_to": ["caseworker"], "escalate_after_working_days": 0},
        }
    )
    plan = day_based(DeadlineKind.PLAN, date(2026, 3, 30), policy)
    assert [a.stage for a in plan] == ["warn_30d", "warn_7d", "overdue", "escalation"]
    assert plan[0].at == local(2026, 2, 27, 8, 0)  # Sat 28 Feb -> Fri 27 Feb

    receipt = day_based(DeadlineKind.RECEIPT, date(2026, 4, 1), policy)
    assert summary(receipt) == [
        ("warn_last_day", local(2026, 4, 1, 9, 0), CASEWORKER),
        ("overdue", local(2026, 4, 2, 0, 0), CASEWORKER),
        ("escalation", local(2026, 4, 7, 9, 0), LEADERS),  # first hverdag after Easter
    ]

    # Overdue Wed 11 March 14:30: the leaders hear the next hverdag morning instead of at once.
    assessment = planned_alerts(DeadlineKind.ASSESSMENT, None, local(2026, 3, 11, 14, 30), policy)
    assert summary(assessment)[1:] == [
        ("overdue", local(2026, 3, 11, 14, 30), CASEWORKER),
        ("escalation", local(2026, 3, 12, 8, 0), LEADERS),
    ]
    # Untouched kinds keep the defaults.
    assert policy.for_kind("investigation") == DEFAULT_ALERT_POLICY.for_kind("investigation")


def test_the_policy_round_trips_through_plain_data():
    data = DEFAULT_ALERT_POLICY.to_mapping()
    assert data["assessment"] == {
        "warn_hours_before": [4],
        "warn_days_before": [],
        "warn_to": ["caseworker"],
        "overdue_to": ["caseworker", "leaders"],
        "escalate_after_working_days": None,
        "escalate_to": ["leaders"],
        "next_level_after_hours": None,
        "local_time": "08:00",
    }
    assert AlertPolicy.from_mapping(data) == DEFAULT_ALERT_POLICY


def test_the_next_level_is_told_hours_after_the_overdue_instant_once():
    policy = AlertPolicy.from_mapping({"assessment": {"next_level_after_hours": 6}})
    overdue = utc(2026, 3, 12, 9, 0)
    plan = planned_alerts("assessment", None, overdue, policy)
    assert [(a.stage, a.at) for a in plan][-1] == ("next_level", overdue + timedelta(hours=6))
    assert [a.stage for a in plan].count("next_level") == 1
    with pytest.raises(ValueError, match="next_level_after_hours"):
        AlertPolicy.from_mapping({"plan": {"next_level_after_hours": -1}})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hearing": {}}, "unknown deadline kind 'hearing'"),
        ({"plan": {"warn_weeks_before": [2]}}, "unknown alert setting"),
        ({"plan": {"warn_to": ["mayor"]}}, "warn_to"),
        ({"plan": {"warn_to": "caseworker"}}, "warn_to must be a list"),
        ({"plan": {"warn_days_before": [-1]}}, "warn_days_before"),
        ({"assessment": {"warn_hours_before": [0]}}, "warn_hours_before"),
        ({"receipt": {"escalate_after_working_days": -1}}, "escalate_after_working_days"),
        ({"receipt": {"local_time": "8 o'clock"}}, "local_time"),
        ({"receipt": [1]}, "must be a mapping"),
    ],
)
def test_bad_configuration_is_refused_with_the_offending_setting_named(data, message):
    with pytest.raises(ValueError, match=message):
        AlertPolicy.from_mapping(data)


def test_no_warning_is_planned_at_or_after_the_deadline():
    # A 06:00 assessment deadline: "the morning of the due day" would come after it.
    policy = AlertPolicy.from_mapping({"assessment": {"warn_days_before": [0]}})
    schedule = planned_alerts(
        DeadlineKind.ASSESSMENT, date(2026, 3, 11), local(2026, 3, 11, 6, 0), policy
    )
    assert [a.stage for a in schedule] == ["warn_4h", "overdue"]


def test_two_warnings_moved_to_the_same_morning_send_one_e_mail():
    # Due Sun 2026-06-14: "1 day before" and "the last hverdag" are both Friday 08:00.
    policy = AlertPolicy.from_mapping({"plan": {"warn_days_before": [1, 0]}})
    schedule = day_based(DeadlineKind.PLAN, date(2026, 6, 14), policy)
    friday = local(2026, 6, 12, 8, 0)
    assert [(a.stage, a.at) for a in schedule[:2]] == [
        ("warn_1d", friday),
        ("warn_last_day", friday),
    ]
    stages, _next = sweep(schedule, friday, first_alert_at(schedule))
    assert stages == ["warn_last_day"]
