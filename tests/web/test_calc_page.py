"""The deadline calculator page: a bookmarkable GET form, Danish results and Danish errors."""

from __future__ import annotations

import re

import pytest


@pytest.fixture(autouse=True)
def signed_in(login_as):
    """Every page but the login page needs a signed-in user (tracker.web.access)."""
    login_as()


def page(client, **query):
    response = client.get("/calc", query_string=query)
    return response, response.get_data(as_text=True)


def test_empty_form_is_shown_without_results(client):
    response, html = page(client)
    assert response.status_code == 200
    assert "<h1>Fristberegner</h1>" in html
    assert 'type="date"' in html
    assert 'type="time"' in html
    assert 'method="get"' in html
    assert '<label class="form-label" for="received_date">Modtagelsesdato</label>' in html
    assert "<table" not in html
    assert 'role="alert"' not in html


def test_results_show_every_deadline_with_local_times_basis_and_trace(client):
    response, html = page(
        client, received_date="2026-04-01", received_time="09:00", notifier="professional"
    )
    assert response.status_code == 200
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert rows == [
        "24-timers vurdering",
        "Bekræftelse af modtagelse",
        "Orientering af underretteren",
        "Børnefaglig undersøgelse",
    ]
    # The receipt: Tuesday 14 April, overdue from midnight Danish time.
    assert '<time datetime="2026-04-14">' in html
    assert "15. apr. 2026 kl. 00:00" in html
    assert "§ 137" not in html
    assert "barnets lov § 136" in html
    assert html.count("Lovhenvisningen bør bekræftes af kommunens jurist.") == 2
    assert '<details class="details">' in html
    assert "<li>2026-04-03 langfredag: springes over</li>" in html
    # The assessment: 24 hours later, in Danish time.
    assert "2. apr. 2026 kl. 09:00" in html


def test_form_keeps_the_entered_values_for_a_bookmarkable_result(client):
    _response, html = page(
        client,
        received_date="2026-04-30",
        received_time="14:00",
        notifier="citizen",
        decision_date="2026-05-04",
        decision_kind="frivillig",
    )
    assert 'value="2026-04-30"' in html
    assert 'value="14:00"' in html
    assert '<option selected value="citizen">' in html
    assert '<option selected value="frivillig">' in html
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert "Orientering af underretteren" not in rows  # a private notifier
    assert "Barnets plan / ungeplan" in rows
    assert '<time datetime="2026-08-04">' in html


def test_a_police_notifier_and_a_started_acute_measure_of_a_15_year_old(client):
    response, html = page(
        client,
        received_date="2026-04-30",
        received_time="14:00",
        notifier="police",
        decision_date="2026-05-04",
        decision_kind="akut-stoettende",
        started_on="2026-05-06",
        birth_date="2010-11-30",
    )
    assert response.status_code == 200
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert rows == [
        "24-timers vurdering",
        "Bekræftelse af modtagelse",
        "Orientering af underretteren",
        "Barnets plan / ungeplan",
        "Børnefaglig undersøgelse",
        "Første opfølgning",
        "Ungeplan ved 16 år",
    ]
    assert '<time datetime="2026-08-06">' in html  # the follow-up
    assert '<time datetime="2027-02-28">' in html  # the ungeplan: 30 Nov 2026 + 3 months
    assert "barnets lov § 95, stk. 2" in html


def test_placement_without_consent_shows_the_precondition(client):
    response, html = page(
        client,
        received_date="2026-04-30",
        received_time="14:00",
        decision_date="2026-05-04",
        decision_kind="uden-samtykke",
    )
    assert response.status_code == 200
    assert "Betingelse:" in html
    assert "før afgørelsen om anbringelse uden samtykke efter § 47 træffes" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"received_date": "", "received_time": "10:00"}, "received_date", "Angiv datoen for"),
        ({"received_date": "2026-04-01", "received_time": ""}, "received_time", "Angiv klokkes"),
        (
            {"received_date": "2026-02-30", "received_time": "10:00"},
            "received_date",
            "&#39;2026-02-30&#39; er ikke en dato (brug ÅÅÅÅ-MM-DD).",
        ),
        (
            {"received_date": "2026-04-01", "received_time": "25:00"},
            "received_time",
            "&#39;25:00&#39; er ikke et klokkeslæt (brug TT:MM).",
        ),
        (
            {"received_date": "2026-04-01", "received_time": "14:00+02:00"},
            "received_time",
            "&#39;14:00+02:00&#39; er ikke et klokkeslæt (brug TT:MM).",
        ),
        (
            {"received_date": "2026-03-29", "received_time": "02:30"},
            "received_time",
            "Klokken 02:30 findes ikke den 2026-03-29: uret springer fra 02:00 til 03:00",
        ),
        (
            {
                "received_date": "2026-04-30",
                "received_time": "14:00",
                "decision_date": "2026-04-01",
            },
            "decision_date",
            "Afgørelsen (2026-04-01) kan ikke ligge før modtagelsen af underretningen "
            "(2026-04-30).",
        ),
        (
            {"received_date": "2026-04-30", "received_time": "14:00", "notifier": "nabo"},
            "notifier",
            "Ikke et gyldigt valg.",
        ),
        (
            {"received_date": "2026-04-30", "received_time": "14:00", "decision_kind": "x"},
            "decision_kind",
            "Ikke et gyldigt valg.",
        ),
        (
            {"received_date": "0999-04-30", "received_time": "14:00"},
            "received_date",
            "Beregneren understøtter årene 1900–2200.",
        ),
        (
            {"received_date": "2026-04-30", "received_time": "14:00", "investigation_start": "x"},
            "investigation_start",
            "&#39;x&#39; er ikke en dato",
        ),
        (
            {"received_date": "2026-04-30", "received_time": "14:00", "started_on": "2026-05-04"},
            "started_on",
            "Angiv også afgørelsens dato.",
        ),
        (
            {
                "received_date": "2026-04-30",
                "received_time": "14:00",
                "decision_date": "2026-05-04",
                "started_on": "2026-05-01",
            },
            "started_on",
            "Indsatsen (2026-05-01) kan ikke være iværksat før afgørelsen (2026-05-04).",
        ),
    ],
)
def test_bad_input_shows_the_form_with_danish_errors_and_status_400(client, query, field, message):
    response, html = page(client, **query)
    assert response.status_code == 400
    assert "<table" not in html
    assert 'role="alert"' in html
    assert f'<a href="#{field}">' in html  # the summary links to the field
    assert f'id="{field}-error"' in html
    assert re.search(rf'aria-describedby="[^"]*{field}-error"[^>]*aria-invalid="true"', html) or (
        re.search(rf'aria-invalid="true"[^>]*aria-describedby="[^"]*{field}-error"', html)
    )
    assert message in html


def test_input_is_escaped_in_error_messages(client):
    response, html = page(client, received_date="<script>x</script>", received_time="10:00")
    assert response.status_code == 400
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_the_menu_links_to_the_calculator(client):
    _response, html = page(client)
    assert re.search(
        r'<li class="active current"><a href="/calc" class="nav-link" aria-current="page">'
        r"<span>Fristberegner</span>",
        html,
    )
