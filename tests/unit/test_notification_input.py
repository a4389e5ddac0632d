"""Validation of a new notification's fields (shared by the form and the API) and the
action-card file. No database needed: an app context gives the Danish messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from config import TestConfig
from tracker import create_app
from tracker.cases.action_cards import age_on
from tracker.cases.input import birth_date_from_cpr, local_received_at, validate_notification

NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="module", autouse=True)
def app_context():
    with create_app(TestConfig).app_context():
        yield


def valid(**overrides) -> dict:
    data = {
        "received_at": NOW - timedelta(hours=1),
        "channel": "email",
        "notifier_kind": "professional",
        "notifier_contact": "Skolen",
        "child_reference": "SAG-1",
        "concerns": ["neglect"],
        "summary": "Bekymring.",
    }
    data.update(overrides)
    return data


def check(**overrides):
    return validate_notification(valid(**overrides), team_id=1, caseworker_id=None, now=NOW)


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("0101001234", date(1900, 1, 1)),  # 7th digit 0-3: 1900s
        ("3112993999", date(1999, 12, 31)),
        ("0101364000", date(2036, 1, 1)),  # 4 or 9: 2000-2036, else 1900s
        ("0101374000", date(1937, 1, 1)),
        ("0101369000", date(2036, 1, 1)),
        ("0101379000", date(1937, 1, 1)),
        ("0101575000", date(2057, 1, 1)),  # 5-8: 2000-2057, else 1800s
        ("0101588000", date(1858, 1, 1)),
        ("2902004000", date(2000, 2, 29)),
    ],
)
def test_cpr_century_from_the_seventh_digit(cpr, born):
    assert birth_date_from_cpr(cpr) == born


def test_cpr_without_a_real_date_is_refused_and_modulus_11_is_not_required():
    assert birth_date_from_cpr("2902001000") is None  # 1900 was no leap year
    assert check(cpr_number="290200-1000").errors["cpr_number"]
    result = check(cpr_number="010115-4001")  # fails modulus 11, valid since 2007
    assert result.ok and result.value.cpr_number == "0101154001"
    assert result.value.child_birth_date == date(2015, 1, 1)


def test_the_future_tolerance_is_five_minutes():
    assert check(received_at=NOW + timedelta(minutes=5)).ok
    assert "received_at" in check(received_at=NOW + timedelta(minutes=5, seconds=1)).errors


def test_received_at_as_iso_text_needs_an_offset():
    assert check(received_at="2026-03-10T15:40:00+01:00").ok
    assert "received_at" in check(received_at="2026-03-10T15:40:00").errors
    assert "received_at" in check(received_at="yesterday").errors


def test_contact_rules_follow_the_notifier_kind():
    assert check(notifier_kind="anonymous", notifier_contact="").ok
    assert "notifier_contact" in check(notifier_kind="anonymous").errors
    for kind in ("professional", "citizen", "police", "other"):
        assert "notifier_contact" in check(notifier_kind=kind, notifier_contact=" ").errors


def test_text_is_stripped_and_limited():
    assert check(child_reference="  SAG-1  ").value.child_reference == "SAG-1"
    assert "child_reference" in check(child_reference="x" * 65).errors
    assert "child_reference" in check(child_reference="a\nb").errors
    assert check(summary="linje 1\r\nlinje 2").value.summary == "linje 1\nlinje 2"
    assert "summary" in check(summary=123).errors


def test_local_received_at_gap_and_fold():
    with pytest.raises(ValueError, match="02:30"):
        local_received_at(date(2026, 3, 29), time(2, 30))
    autumn = local_received_at(date(2026, 10, 25), time(2, 30))
    assert autumn.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_age_on_the_day_of_receipt():
    assert age_on(date(2008, 3, 11), date(2026, 3, 11)) == 18
    assert age_on(date(2008, 3, 12), date(2026, 3, 11)) == 17


def test_several_concerns_each_once_the_first_first():
    assert check(concerns=["violence", "neglect"]).value.concerns == ("violence", "neglect")
    assert check(concerns="violence").value.concerns == ("violence",)
    assert check(concerns=[]).errors["concerns"] == ["Vælg mindst én årsag."]
    assert check(concerns=["neglect", "neglect"]).errors["concerns"]
    assert check(concerns=["neglect", "haircut"]).errors["concerns"]


def test_gender_defaults_to_unknown_and_the_sector_must_be_offered():
    assert check().value.child_gender == "unknown"
    assert check(child_gender="girl").value.child_gender == "girl"
    assert check(child_gender="female").errors["child_gender"]
    assert check(notifier_sector="police_court").value.notifier_sector == "police_court"
    assert check(notifier_sector="").value.notifier_sector is None
    assert check(notifier_sector="mars").errors["notifier_sector"]


def test_an_unborn_child_has_an_expected_date_of_birth_and_nothing_else():
    received_on = (NOW - timedelta(hours=1)).date()
    result = check(expected_birth_date=(received_on + timedelta(days=90)).isoformat())
    assert result.value.expected_birth_date == received_on + timedelta(days=90)
    assert check(expected_birth_date=received_on - timedelta(days=1)).errors["expected_birth_date"]
    assert check(expected_birth_date=received_on + timedelta(days=301)).errors[
        "expected_birth_date"
    ]
    with_cpr = check(expected_birth_date=received_on, cpr_number="010115-4001")
    assert "ufødt" in with_cpr.errors["expected_birth_date"][0].lower()
    assert check(expected_birth_date=received_on, age_group="0-5").errors
    assert check(age_group="unborn").errors["age_group"]
