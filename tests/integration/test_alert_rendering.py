"""Alerts rendered from cached template pieces read exactly as a full Jinja render."""

from __future__ import annotations

import pytest

from config import TestConfig
from tracker.alerts import email_skeletons
from tracker.alerts.email_skeletons import render_cached
from tracker.mail.render import render_email

FACTS = {
    "kind_label": "24-timers vurdering",
    "reference": "U-2026-000123",
    "due_local": "onsdag 11. marts 2026 kl. 14:30",
    "time_phrase": "overskredet med 2 timer",
    "case_url": "https://fristsporing.kommune.dk/cases/123",
}

VARIANTS = [
    {},
    {"reference": "Æ<b>&\"'Ø</b>", "case_url": "https://x.dk/cases/1?a=1&b=<2>"},
    {"time_phrase": ""},
    {"due_local": "fredag 13. marts 2026", "time_phrase": "om 2 hverdage"},
    {"reference": "{{ 7 * 7 }} {% raw %}", "kind_label": "Børnefaglig undersøgelse  "},
]


@pytest.fixture
def mail_app(tmp_path):
    from tracker import create_app

    config = type("MailTestConfig", (TestConfig,), {"INSTANCE_PATH": str(tmp_path)})
    app = create_app(config)
    with app.app_context():
        yield app


@pytest.mark.parametrize("stage", ["warn_4h", "warn_3d", "overdue", "escalation"])
@pytest.mark.parametrize("variant", range(len(VARIANTS)))
def test_cached_pieces_render_exactly_as_jinja(mail_app, stage, variant):
    facts = FACTS | VARIANTS[variant]
    expected = render_email("alert", stage=stage, **facts)

    assert render_cached("alert", {"stage": stage}, facts) == expected
    # The second time comes from the cache, and must not have kept the first one's facts.
    assert render_cached("alert", {"stage": stage}, facts) == expected
    other = FACTS | {"reference": "U-2026-999999"}
    assert render_cached("alert", {"stage": stage}, other) == render_email(
        "alert", stage=stage, **other
    )


def test_an_empty_fact_is_its_own_shape(mail_app):
    render_cached("alert", {"stage": "overdue"}, FACTS)
    empty = FACTS | {"time_phrase": ""}
    assert render_cached("alert", {"stage": "overdue"}, empty) == render_email(
        "alert", stage="overdue", **empty
    )


@pytest.mark.parametrize("cut", [2, 6])  # [:2] breaks the marker, [:6] keeps it whole
def test_a_template_that_transforms_a_fact_is_rendered_in_full(mail_app, monkeypatch, cut):
    def shortening(template_base, **context):  # as a template with {{ reference[:cut] }}
        short = context["reference"][:cut]
        return f"Sag {short}\n", f"<p>{short}</p>"

    monkeypatch.setattr(email_skeletons, "render_email", shortening)
    for reference in ("U-2026-000123", "X-2027-000456"):
        facts = FACTS | {"reference": reference}
        short = reference[:cut]
        assert render_cached("alert", {"stage": "overdue"}, facts) == (
            f"Sag {short}\n",
            f"<p>{short}</p>",
        )


def test_the_cache_is_per_app_and_off_while_templates_reload(mail_app):
    render_cached("alert", {"stage": "overdue"}, FACTS)
    assert mail_app.extensions["tracker.alerts.sweep.email_skeletons"]
    mail_app.extensions.pop("tracker.alerts.sweep.email_skeletons")
    mail_app.jinja_env.auto_reload = True
    assert render_cached("alert", {"stage": "overdue"}, FACTS) == render_email(
        "alert", stage="overdue", **FACTS
    )
    assert "tracker.alerts.sweep.email_skeletons" not in mail_app.extensions
