"""`tracker calc`: the JSON for scripts, the Danish table for people, and exit 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from config import TestConfig
from tracker import create_app

TRACKER = Path(sys.executable).with_name("tracker")


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    config = type("CalcConfig", (TestConfig,), {"INSTANCE_PATH": str(tmp_path_factory.mktemp("i"))})
    app = create_app(config)
    runner = app.test_cli_runner()

    def invoke(*args: str):
        return runner.invoke(args=["calc", *args])

    return invoke


def test_json_lists_every_deadline_with_dates_offsets_basis_and_trace(cli):
    result = cli(
        "--received", "2026-04-30T14:00", "--decision", "2026-05-04", "--json"
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["received_at"] == "2026-04-30T14:00:00+02:00"
    kinds = [d["kind"] for d in data["deadlines"]]
    assert kinds == ["assessment", "receipt", "orientation", "plan", "investigation"]
    assessment, receipt, _orientation, plan, investigation = data["deadlines"]
    assert assessment["due_date"] == "2026-05-01"
    assert assessment["overdue_from"] == "2026-05-01T14:00:00+02:00"
    assert assessment["legal_basis"]["paragraph"] == "barnets lov § 136"
    assert assessment["legal_basis"]["to_confirm"] is False
    assert "vej-9471-afsnit-39" in assessment["legal_basis"]["sources"]
    assert assessment["rules_version"] == "barnets-lov-2024"
    assert "§ 137" not in receipt["legal_basis"]["paragraph"]
    assert "§ 137" not in _orientation["legal_basis"]["paragraph"]
    assert receipt["legal_basis"]["to_confirm"] is True
    assert receipt["due_date"] == "2026-05-08"
    assert receipt["overdue_from"] == "2026-05-09T00:00:00+02:00"
    assert "2026-05-02 lørdag: springes over" in receipt["trace"]
    assert plan["due_date"] == "2026-08-04"
    assert investigation["due_date"] == "2026-08-30"


def test_an_offset_is_taken_as_given_and_a_naive_time_is_danish(cli):
    naive = json.loads(cli("--received", "2026-01-15T09:00", "--json").stdout)
    utc = json.loads(cli("--received", "2026-01-15T08:00Z", "--json").stdout)
    assert naive["deadlines"][0]["overdue_from"] == "2026-01-16T09:00:00+01:00"
    assert utc["deadlines"] == naive["deadlines"]


def test_placement_without_consent_has_no_date_but_a_precondition(cli):
    result = cli(
        "--received", "2026-04-30T14:00", "--decision", "2026-05-04",
        "--decision-kind", "uden-samtykke", "--json",
    )  # fmt: skip
    plan = json.loads(result.stdout)["deadlines"][3]
    assert plan["kind"] == "plan"
    assert plan["due_date"] is None
    assert plan["overdue_from"] is None
    assert "§ 47" in plan["precondition"]


def test_anonymous_notifier_gets_neither_receipt_nor_orientation(cli):
    result = cli("--received", "2026-04-30T14:00", "--notifier", "anonymous", "--json")
    kinds = [d["kind"] for d in json.loads(result.stdout)["deadlines"]]
    assert kinds == ["assessment", "investigation"]


def test_without_json_a_danish_table(cli):
    result = cli("--received", "2026-04-01T09:00")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Modtaget 2026-04-01 09:00 (dansk tid)"
    assert lines[2].split() == ["Frist", "Fristdato", "Overskredet", "fra", "Lovgrundlag"]
    receipt_row = next(line for line in lines if line.startswith("Bekræftelse af modtagelse "))
    assert "2026-04-14  2026-04-15 00:00  barnets lov: pligten til at bekræfte" in receipt_row
    assert receipt_row.endswith(" *")
    assert "* Lovhenvisningen bør bekræftes af kommunens jurist." in lines
    assert "  2026-04-03 langfredag: springes over" in lines
    assert not any("§ 137" in line for line in lines)


def test_a_police_notifier_gets_receipt_and_orientation(cli):
    result = cli("--received", "2026-04-30T14:00", "--notifier", "police", "--json")
    kinds = [d["kind"] for d in json.loads(result.stdout)["deadlines"]]
    assert kinds == ["assessment", "receipt", "orientation", "investigation"]


def test_a_start_adds_the_follow_up_and_a_birth_date_the_youth_plan(cli):
    result = cli(
        "--received", "2026-04-30T14:00", "--decision", "2026-05-04",
        "--decision-kind", "akut-stoettende", "--started", "2026-05-06",
        "--birth-date", "2010-11-30", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = {d["kind"]: d for d in json.loads(result.stdout)["deadlines"]}
    assert found["follow_up"]["due_date"] == "2026-08-06"
    assert found["follow_up"]["legal_basis"]["paragraph"] == "barnets lov § 95, stk. 2"
    assert found["youth_plan"]["due_date"] == "2027-02-28"  # 30 Nov 2026 + 3 months


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--received", "2026-13-01T10:00"],
            "Fejl: --received '2026-13-01T10:00' er ikke en dato og et klokkeslæt",
        ),
        (["--received", "2026-04-30"], "Fejl: --received '2026-04-30' er ikke en dato og et"),
        (
            ["--received", "2026-03-29T02:30"],
            "Fejl: --received '2026-03-29T02:30' findes ikke i dansk tid",
        ),
        (
            ["--received", "2026-04-30T14:00", "--decision", "2026-04-29"],
            "Fejl: --decision 2026-04-29 ligger før underretningen blev modtaget (2026-04-30).",
        ),
        (
            ["--received", "2026-04-30T14:00", "--decision", "30-04-2026"],
            "Fejl: --decision '30-04-2026' er ikke en dato (brug ÅÅÅÅ-MM-DD).",
        ),
        (
            ["--received", "2026-04-30T14:00", "--investigation-start", "i går"],
            "Fejl: --investigation-start 'i går' er ikke en dato (brug ÅÅÅÅ-MM-DD).",
        ),
        (
            ["--received", "2026-04-30T14:00", "--decision", "2026-05-04", "--decision-kind", "x"],
            "Fejl: --decision-kind 'x' er ikke en af: stoettende, frivillig, uden-samtykke, "
            "akut-stoettende, akut-anbringelse.",
        ),
        (
            ["--received", "2026-04-30T14:00", "--decision-kind", "frivillig"],
            "Fejl: --decision-kind kræver en --decision-dato.",
        ),
        (
            ["--received", "2026-04-30T14:00", "--started", "2026-05-04"],
            "Fejl: --started kræver en --decision-dato.",
        ),
        (
            [
                "--received",
                "2026-04-30T14:00",
                "--decision",
                "2026-05-04",
                "--started",
                "2026-05-03",
            ],
            "Fejl: --started 2026-05-03 ligger før afgørelsen (2026-05-04).",
        ),
        (
            ["--received", "2026-04-30T14:00", "--notifier", "nabo"],
            "Fejl: --notifier 'nabo' er ikke en af: professional, citizen, anonymous, police, "
            "other.",
        ),
        (
            ["--received", "2026-04-30T14:00", "--decision", "9999-12-31"],
            "Fejl: --decision '9999-12-31' ligger uden for de år, beregneren understøtter",
        ),
        (
            ["--received", "0001-01-01T00:30"],
            "Fejl: --received '0001-01-01T00:30' ligger uden for de år",
        ),
        ([], "Fejl: --received skal angives, fx --received 2026-04-30T14:00."),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_value(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_installed_command_never_shows_a_traceback(tmp_path):
    env = {"TRACKER_INSTANCE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [str(TRACKER), "calc", "--received", "2026-03-29T02:30", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Fejl: --received '2026-03-29T02:30' findes ikke i dansk tid: uret springer fra "
        "02:00 til 03:00, når sommertiden begynder."
    ]
