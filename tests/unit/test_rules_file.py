"""The rules file: the shipped one parses and cites every kind; a broken one is refused by key."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from rulebooks import SHIPPED

from tracker.cases.legal_rules import DEFAULT_FILE, RulesFileError, load, parse
from tracker.domain.kinds import BARNETS_LOV_KINDS, DeadlineKind


def shipped_data() -> dict:
    return tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def test_the_shipped_file_parses_and_every_kind_has_a_citation_with_sources():
    [version] = SHIPPED.versions
    assert version.id == "barnets-lov-2024"
    assert version.effective_from == date(2024, 1, 1)
    sources = SHIPPED.by_source_id
    for kind in BARNETS_LOV_KINDS:
        basis = version.basis(kind)
        assert basis.paragraph.startswith("barnets lov"), kind
        assert basis.text, kind
        assert basis.sources, kind
        for source in basis.sources:
            assert sources[source].url.startswith("https://")
            assert sources[source].read_on <= date(2026, 12, 1)
            assert sources[source].says


def test_the_shipped_citations_are_the_corrected_ones():
    version = SHIPPED.versions[0]
    assert version.basis(DeadlineKind.ASSESSMENT).paragraph == "barnets lov § 136"
    assert not version.basis(DeadlineKind.ASSESSMENT).to_confirm
    for kind in (DeadlineKind.RECEIPT, DeadlineKind.ORIENTATION):
        basis = version.basis(kind)
        assert "§ 137" not in basis.paragraph and "§ 137" not in basis.text
        # Not confirmed from the statute's own text: cited without a number, for the jurist.
        assert basis.to_confirm
    assert version.basis(DeadlineKind.FOLLOW_UP).paragraph == "barnets lov § 95, stk. 2"
    assert version.basis(DeadlineKind.YOUTH_PLAN).paragraph == "barnets lov § 108, stk. 3"


def test_police_and_professionals_are_the_shipped_section_133_notifiers():
    version = SHIPPED.versions[0]
    assert version.section_133_notifiers == {"professional", "police"}
    assert version.orientation_working_days == 6
    assert version.receipt_for_private_notifiers is True


def test_a_later_version_inherits_what_it_does_not_change():
    data = shipped_data()
    data["versions"].append(
        {
            "id": "lokal-2027",
            "effective_from": date(2027, 1, 1),
            "title": "Kortere orientering",
            "local": {"orientation_working_days": 4},
            "kinds": {"assessment": {"paragraph": "barnets lov § 136, stk. 2"}},
        }
    )
    book = parse(data)
    first, later = book.versions
    assert later.orientation_working_days == 4
    assert later.receipt_for_private_notifiers is first.receipt_for_private_notifiers
    assert later.section_133_notifiers == first.section_133_notifiers
    assert later.basis("assessment").paragraph == "barnets lov § 136, stk. 2"
    assert later.basis("assessment").text == first.basis("assessment").text
    assert later.basis("receipt") == first.basis("receipt")
    assert book.in_force_on(date(2026, 12, 31)) is first
    assert book.in_force_on(date(2027, 1, 1)) is later


def test_the_adults_threat_assessment_has_a_24_hour_target_and_the_follow_up_none():
    targets = SHIPPED.versions[0].adult_task_targets
    assert targets["threat_assessment"].hours == 24
    assert "follow_up" not in targets


def _broken(change) -> str:
    data = shipped_data()
    change(data)
    with pytest.raises(RulesFileError) as raised:
        parse(data, source="regler.toml")
    return str(raised.value)


def _kind(data, name):
    return data["versions"][0]["kinds"][name]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["versions"][0]["kinds"].pop("follow_up"),
            "regler.toml: versions[0].kinds: the first version needs every kind; "
            "missing: follow_up",
        ),
        (
            lambda d: _kind(d, "receipt").pop("paragraph"),
            "regler.toml: versions[0].kinds.receipt: missing paragraph",
        ),
        (
            lambda d: _kind(d, "receipt").update(paragraf="§ 1"),
            "regler.toml: versions[0].kinds.receipt.paragraf: is not a known key here",
        ),
        (
            lambda d: _kind(d, "plan").update(text="x" * 301),
            "regler.toml: versions[0].kinds.plan.text: is 301 characters; at most 300",
        ),
        (
            lambda d: _kind(d, "plan").update(sources=["lovbog"]),
            "regler.toml: versions[0].kinds.plan.sources: names no entry of [[sources]]: lovbog",
        ),
        (
            lambda d: _kind(d, "plan").update(to_confirm="ja"),
            "regler.toml: versions[0].kinds.plan.to_confirm: must be true or false",
        ),
        (
            lambda d: d["versions"][0]["kinds"].update(genvurdering={}),
            "regler.toml: versions[0].kinds.genvurdering: is not a deadline kind",
        ),
        (
            lambda d: d["versions"][0].update(effective_from="2024-01-01"),
            "regler.toml: versions[0].effective_from: must be a date written as YYYY-MM-DD",
        ),
        (
            lambda d: d["versions"][0].update(section_133_notifiers=["professional", "politi"]),
            "regler.toml: versions[0].section_133_notifiers: 'politi' is not a notifier kind",
        ),
        (
            lambda d: d["versions"][0]["local"].update(orientation_working_days=-1),
            "regler.toml: versions[0].local.orientation_working_days: must be a whole number",
        ),
        (
            lambda d: d["versions"].append(
                {"id": "tidligere", "effective_from": date(2023, 1, 1), "title": "Før"}
            ),
            "regler.toml: versions[1].effective_from: must be after the previous version's",
        ),
        (
            lambda d: d["sources"][0].update(url="retsinformation"),
            "regler.toml: sources[0].url: must be a web address",
        ),
        (
            lambda d: d["versions"][0]["local"]["adult_tasks"].update(safety_plan={"hours": 5}),
            "regler.toml: versions[0].local.adult_tasks.safety_plan: unknown task; known: "
            "follow_up, threat_assessment",
        ),
        (
            lambda d: d["versions"][0]["local"]["adult_tasks"].update(
                threat_assessment={"working_days": 1}
            ),
            "regler.toml: versions[0].local.adult_tasks.threat_assessment: the target of "
            "threat_assessment is given in hours",
        ),
        (lambda d: d.update(format=2), "regler.toml: format: must be 1"),
        (lambda d: d.pop("versions"), "regler.toml: (top level): missing versions"),
    ],
)
def test_a_broken_file_is_refused_naming_the_key_and_the_problem(change, message):
    assert _broken(change).startswith(message)


def test_a_file_that_is_not_toml_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "regler.toml"
    path.write_text("[[versions]\n", encoding="utf-8")
    with pytest.raises(RulesFileError, match=r"regler\.toml: not valid TOML"):
        load(path)
    with pytest.raises(RulesFileError, match="Cannot read the rules file"):
        load(tmp_path / "missing.toml")


def app_with_rules(path, tmp_path):
    from config import TestConfig
    from tracker import create_app

    settings = type(
        "RulesConfig",
        (TestConfig,),
        {"RULES_FILE": str(path), "INSTANCE_PATH": str(tmp_path / "instance")},
    )
    return create_app(settings)


def test_a_broken_file_stops_the_app_at_start_with_the_problem_named(tmp_path):
    broken = tmp_path / "regler.toml"
    broken.write_text(
        DEFAULT_FILE.read_text(encoding="utf-8").replace('paragraph = "barnets lov § 136"', ""),
        encoding="utf-8",
    )
    with pytest.raises(RulesFileError, match=r"regler\.toml: versions\[0\]\.kinds\.assessment"):
        app_with_rules(broken, tmp_path)


def test_a_file_broken_while_running_keeps_the_last_good_rules(tmp_path, caplog):
    import os

    from tracker.cases import legal_rules

    path = tmp_path / "regler.toml"
    path.write_text(DEFAULT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    app = app_with_rules(path, tmp_path)
    with app.app_context():
        good = legal_rules.rules_for_app()
        path.write_text("this is [ not toml", encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert legal_rules.rules_for_app() is good
    assert "Keeping the last good version of the rules file" in caplog.text


def test_the_reassessment_cites_section_137_subsection_1_with_a_local_target():
    version = SHIPPED.versions[0]
    assert version.basis(DeadlineKind.REASSESSMENT).paragraph == "barnets lov § 137, stk. 1"
    assert version.reassessment_hours == 24
