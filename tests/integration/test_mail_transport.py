"""Sending e-mail over a real SMTP server on loopback, and rendering it in Danish."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from factories import settings
from smtp_harness import SmtpServer

from tracker.mail.message import OutgoingMessage, message_id_domain, message_id_for
from tracker.mail.render import render_email
from tracker.mail.transport import ConsoleTransport, SmtpTransport, transport_from_config

ALERT_CONTEXT = {
    "stage": "overdue",
    "kind_label": "24-timers vurdering",
    "reference": "U-2026-000123",
    "due_local": "onsdag 11. marts 2026 kl. 14:30",
    "time_phrase": "overskredet med 2 timer",
    "case_url": "https://fristsporing.kommune.dk/cases/123",
}


def message(n: int, to: str = "sagsbehandler@kommune.dk") -> OutgoingMessage:
    return OutgoingMessage(
        to=[to],
        subject=f"Frist overskredet: 24-timers vurdering, U-2026-{n:06d}",
        text=f"Sag U-2026-{n:06d}\n",
        html=f"<p>Sag U-2026-{n:06d}</p>",
        message_id=message_id_for(f"alert-{n}", "fristsporing.kommune.dk"),
        date=datetime(2026, 3, 11, 13, 30, tzinfo=UTC),
    )


def test_a_batch_is_sent_over_one_connection(smtp_server: SmtpServer):
    batch = [message(n) for n in (1, 2, 3)]

    results = smtp_server.transport().send_batch(batch)

    assert [r.ok for r in results] == [True, True, True]
    assert smtp_server.connections == 1
    assert len({mail.peer for mail in smtp_server.received}) == 1
    received = smtp_server.messages
    assert [m["Message-ID"] for m in received] == [m.message_id for m in batch]
    first = received[0]
    assert first["Subject"] == "Frist overskredet: 24-timers vurdering, U-2026-000001"
    assert first["To"] == "sagsbehandler@kommune.dk"
    assert first["From"] == "Fristsporing <fristsporing@tracker.test>"
    assert first["Auto-Submitted"] == "auto-generated"
    assert first["Date"] == "Wed, 11 Mar 2026 13:30:00 +0000"
    assert first.get_body(("plain",)).get_content() == "Sag U-2026-000001\n"
    assert first.get_body(("html",)).get_content().strip() == "<p>Sag U-2026-000001</p>"
    assert smtp_server.received[0].rcpt_tos == ("sagsbehandler@kommune.dk",)


def test_each_batch_opens_and_closes_its_own_connection(smtp_server: SmtpServer):
    transport = smtp_server.transport()
    transport.send_batch([message(1)])
    transport.send_batch([message(2)])
    assert smtp_server.connections == 2
    assert transport.send_batch([]) == []
    assert smtp_server.connections == 2


def test_refused_connections_give_errors_per_message_and_a_later_retry_delivers_once(
    smtp_server: SmtpServer,
):
    batch = [message(1), message(2)]
    transport = smtp_server.transport()

    with smtp_server.refusing():
        results = transport.send_batch(batch)

    assert [r.ok for r in results] == [False, False]
    assert all("ConnectionRefusedError" in r.error for r in results)
    assert not any(r.permanent for r in results)
    assert smtp_server.messages == []

    assert all(r.ok for r in transport.send_batch(batch))
    assert [m["Message-ID"] for m in smtp_server.messages] == [m.message_id for m in batch]


def test_a_refused_message_does_not_stop_the_rest_of_the_batch(smtp_server: SmtpServer):
    smtp_server.fail_next(1, "451 4.3.0 Try again later")
    results = smtp_server.transport().send_batch([message(1), message(2)])

    assert results[0].error == "SMTPDataError: 451 4.3.0 Try again later"
    assert not results[0].permanent
    assert results[1].ok
    assert [m["Subject"][-6:] for m in smtp_server.messages] == ["000002"]
    assert smtp_server.connections == 1


def test_a_permanent_rejection_is_marked_permanent(smtp_server: SmtpServer):
    smtp_server.fail_next(1, "550 5.7.1 Message rejected")
    [result] = smtp_server.transport().send_batch([message(1)])
    assert result.permanent
    assert "550 5.7.1 Message rejected" in result.error


def test_a_dropped_connection_is_reopened_once_and_the_message_resent(smtp_server: SmtpServer):
    smtp_server.drop_next(1)
    batch = [message(1), message(2), message(3)]

    results = smtp_server.transport().send_batch(batch)

    assert all(r.ok for r in results)
    assert smtp_server.connections == 2
    assert [m["Message-ID"] for m in smtp_server.messages] == [m.message_id for m in batch]


def test_a_second_drop_in_one_batch_fails_the_rest_without_raising(smtp_server: SmtpServer):
    smtp_server.drop_next(2)
    results = smtp_server.transport().send_batch([message(1), message(2)])
    assert [r.ok for r in results] == [False, False]
    assert smtp_server.messages == []
    assert smtp_server.connections == 2


def test_a_message_that_cannot_be_built_fails_alone(smtp_server: SmtpServer):
    broken = OutgoingMessage(["a@kommune.dk"], "Frist\nBcc: x@evil", "t", None, "<b@x>")
    results = smtp_server.transport().send_batch([broken, message(2)])
    assert results[0].permanent
    assert results[0].error.startswith("invalid message:")
    assert results[1].ok
    assert len(smtp_server.messages) == 1

    [outbox_result] = ConsoleTransport("f@localhost", stream=io.StringIO()).send_batch([broken])
    assert outbox_result.permanent


def test_starttls_with_login(make_smtp_server):
    server = make_smtp_server(security="starttls", users={"fristsporing": "hemmeligt"})
    results = server.transport().send_batch([message(1), message(2)])
    assert all(r.ok for r in results)
    assert len(server.messages) == 2
    assert server.connections == 1


def test_a_wrong_password_fails_every_message_with_the_servers_reply(make_smtp_server):
    server = make_smtp_server(security="starttls", users={"fristsporing": "hemmeligt"})
    results = server.transport(password="forkert").send_batch([message(1), message(2)])
    assert [r.ok for r in results] == [False, False]
    assert all(r.error.startswith("SMTPAuthenticationError: 535") for r in results)
    assert server.messages == []


def test_implicit_tls(make_smtp_server):
    server = make_smtp_server(security="ssl")
    assert server.transport().send_batch([message(1)])[0].ok
    assert len(server.messages) == 1


def test_an_untrusted_certificate_is_refused(make_smtp_server):
    server = make_smtp_server(security="ssl")
    [result] = server.transport(ssl_context=None).send_batch([message(1)])
    assert "CERTIFICATE_VERIFY_FAILED" in result.error
    assert server.messages == []


def test_the_outbox_prints_the_message_and_counts_it_sent():
    stream = io.StringIO()
    results = ConsoleTransport("Fristsporing <f@localhost>", stream=stream).send_batch([message(1)])
    assert [r.ok for r in results] == [True]
    printed = stream.getvalue()
    assert "Subject: Frist overskredet: 24-timers vurdering, U-2026-000001" in printed
    assert "Message-ID: <fristsporing.alert-1@fristsporing.kommune.dk>" in printed
    assert "Sag U-2026-000001" in printed


def test_the_transport_follows_the_configuration():
    assert isinstance(transport_from_config(settings(MAIL_SMTP_HOST=None)), ConsoleTransport)
    smtp = transport_from_config(
        settings(
            MAIL_SMTP_HOST="smtp.kommune.dk",
            MAIL_SMTP_PORT=587,
            MAIL_SMTP_SECURITY="STARTTLS",
            MAIL_SMTP_USERNAME="fristsporing",
            MAIL_SMTP_PASSWORD="x",
            MAIL_FROM="Fristsporing <fristsporing@kommune.dk>",
        )
    )
    assert isinstance(smtp, SmtpTransport)
    assert (smtp.host, smtp.port, smtp.security, smtp.username) == (
        "smtp.kommune.dk",
        587,
        "starttls",
        "fristsporing",
    )
    with pytest.raises(ValueError, match="security"):
        transport_from_config(settings(MAIL_SMTP_HOST="h", MAIL_SMTP_SECURITY="tls"))


def test_message_ids_are_stable_and_well_formed():
    domain = message_id_domain("https://fristsporing.kommune.dk:8443/app")
    assert domain == "fristsporing.kommune.dk"
    assert message_id_for("alert-42", domain) == message_id_for("alert-42", domain)
    assert message_id_for("alert-42", domain) == "<fristsporing.alert-42@fristsporing.kommune.dk>"
    assert message_id_for("alert 42/<x>", "") == "<fristsporing.alert-42-x@localhost>"


def test_an_alert_renders_in_danish_as_text_and_html(mail_app, smtp_server: SmtpServer):
    text, html = render_email("alert", **ALERT_CONTEXT)
    assert text.startswith("Fristen er overskredet.\n\nFrist: 24-timers vurdering\n")
    assert "Sag: U-2026-000123" in text
    assert "Udløber: onsdag 11. marts 2026 kl. 14:30" in text
    assert "Åbn sagen: https://fristsporing.kommune.dk/cases/123" in text
    assert "indeholder ingen personoplysninger" in text
    assert '<a href="https://fristsporing.kommune.dk/cases/123">' in html
    assert "<strong>Fristen er overskredet.</strong>" in html

    alert = OutgoingMessage(["leder@kommune.dk"], "Frist overskredet", text, html, "<a@b>")
    assert smtp_server.transport().send_batch([alert])[0].ok
    [received] = smtp_server.messages
    assert received.get_body(("plain",)).get_content() == text


@pytest.mark.parametrize(
    ("stage", "headline"),
    [
        ("warn_4h", "En frist nærmer sig."),
        ("escalation", "Du får denne e-mail som leder af teamet."),
    ],
)
def test_the_headline_follows_the_stage(mail_app, stage, headline):
    text, html = render_email("alert", **(ALERT_CONTEXT | {"stage": stage}))
    assert headline in text
    assert headline in html


def test_html_escapes_what_it_is_given(mail_app):
    _text, html = render_email("alert", **(ALERT_CONTEXT | {"reference": "<b>U-1</b>"}))
    assert "&lt;b&gt;U-1&lt;/b&gt;" in html


def test_a_server_without_smtputf8_refuses_a_non_ascii_address_permanently(
    smtp_server: SmtpServer,
):
    transport = smtp_server.transport()
    connect = transport.connect

    def connect_to_a_server_without_smtputf8():
        conn = connect()
        conn.esmtp_features.pop("smtputf8", None)  # as an older server's EHLO would say
        return conn

    transport.connect = connect_to_a_server_without_smtputf8
    # Retrying would fail the same way each time: the server will not learn SMTPUTF8.
    [result] = transport.send_batch([message(1, to="søren@kommune.dk")])
    assert result.permanent
    assert "SMTPUTF8" in result.error
    assert smtp_server.received == []
