"""The alert policy file (TRACKER_ALERT_POLICY_FILE): TOML or JSON over the defaults."""

from __future__ import annotations

import json

import pytest

from tracker.alerts.sweep import policy_from_config
from tracker.domain.policy import DEFAULT_ALERT_POLICY, Audience


def test_no_file_means_the_default_policy():
    assert policy_from_config({"ALERT_POLICY_FILE": None}) is DEFAULT_ALERT_POLICY


def test_a_toml_file_changes_only_what_it_names(tmp_path):
    path = tmp_path / "alerts.toml"
    path.write_text('[plan]\nwarn_days_before = [30, 7]\n\n[receipt]\nlocal_time = "09:00"\n')
    policy = policy_from_config({"ALERT_POLICY_FILE": str(path)})
    assert policy.for_kind("plan").warn_days_before == (30, 7)
    assert policy.for_kind("receipt").local_time.hour == 9
    assert policy.for_kind("assessment") == DEFAULT_ALERT_POLICY.for_kind("assessment")


def test_a_json_file_works_too(tmp_path):
    path = tmp_path / "alerts.json"
    path.write_text(json.dumps({"assessment": {"overdue_to": ["caseworker"]}}))
    policy = policy_from_config({"ALERT_POLICY_FILE": str(path)})
    assert policy.for_kind("assessment").overdue_to == (Audience.CASEWORKER,)


def test_a_mistake_in_the_file_names_the_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[plan]\nwarn_days_before = 14\n")
    with pytest.raises(ValueError, match=r"bad\.toml.*warn_days_before"):
        policy_from_config({"ALERT_POLICY_FILE": str(path)})
