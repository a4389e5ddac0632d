"""The wire format of our e-mails, as a real SMTP server receives and a mail client reads it."""

from __future__ import annotations

from datetime import UTC, datetime

from smtp_harness import SmtpServer

from tracker.mail.message import OutgoingMessage, message_id_for
from tracker.mail.wire import Sender, wire_message

DANISH_SUBJECT = "Frist nærmer sig: Orientering af underretter, Æble-Øst/Å-2026-000042"
DANISH_TEXT = "En frist nærmer sig.\n\nÅbn sagen: https://fristsporing.kommune.dk/cases/42\n"
DANISH_HTML = "<p><strong>En frist nærmer sig.</strong></p>\n<p>Åbn sagen &amp; læs</p>\n"


def danish(n: int = 42, **overrides) -> OutgoingMessage:
    fields = {
        "to": ["sagsbehandler@kommune.dk"],
        "subject": DANISH_SUBJECT,
        "text": DANISH_TEXT,
        "html": DANISH_HTML,
        "message_id": message_id_for(f"alert-{n}", "fristsporing.kommune.dk"),
        "headers": {"X-Fristsporing-Alert": str(n)},
        "date": datetime(2026, 3, 11, 13, 30, tzinfo=UTC),
    }
    return OutgoingMessage(**(fields | overrides))


def test_danish_letters_round_trip_through_smtp(smtp_server: SmtpServer):
    results = smtp_server.transport().send_batch([danish()])

    assert [r.ok for r in results] == [True]
    [received] = smtp_server.messages
    assert received.defects == []
    assert received["Subject"] == DANISH_SUBJECT
    assert received.get_content_type() == "multipart/alternative"
    assert received.get_body(("plain",)).get_content() == DANISH_TEXT
    assert received.get_body(("html",)).get_content() == DANISH_HTML
    assert received.get_body(("plain",)).get_content_charset() == "utf-8"


def test_the_wire_format_is_ascii_with_encoded_words_and_short_header_lines(
    smtp_server: SmtpServer,
):
    assert smtp_server.transport().send_batch([danish()])[0].ok
    [mail] = smtp_server.received

    text = mail.data.decode("ascii")  # no 8-bit bytes: the bodies are quoted-printable
    head, _body = text.split("\r\n\r\n", 1)
    subject = head.split("\r\nSubject: ", 1)[1].split("\r\n", 1)[0]
    assert "=?utf-8?q?" in subject.lower()  # Danish letters as RFC 2047 encoded words
    assert mail.message["Subject"] == DANISH_SUBJECT
    assert all(len(line) <= 78 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")  # CRLF line endings only, as SMTP wants
    assert (mail.mail_from, mail.rcpt_tos) == (
        "fristsporing@tracker.test",
        ("sagsbehandler@kommune.dk",),
    )


def test_every_e_mail_carries_the_fixed_headers(smtp_server: SmtpServer):
    smtp_server.transport().send_batch([danish(7), danish(8, html=None)])

    for n, received in zip((7, 8), smtp_server.messages, strict=True):
        assert received["Message-ID"] == "<fristsporing.alert-" + f"{n}@fristsporing.kommune.dk>"
        assert received["Date"] == "Wed, 11 Mar 2026 13:30:00 +0000"
        assert received["From"] == "Fristsporing <fristsporing@tracker.test>"
        assert received["To"] == "sagsbehandler@kommune.dk"
        assert received["Auto-Submitted"] == "auto-generated"
        assert received["X-Auto-Response-Suppress"] == "All"
        assert received["Content-Language"] == "da"
        assert received["X-Fristsporing-Alert"] == str(n)
        assert received["MIME-Version"] == "1.0"
    text_only = smtp_server.messages[1]
    assert text_only.get_content_type() == "text/plain"
    assert text_only.get_content() == DANISH_TEXT


def test_a_danish_sender_name_is_encoded(smtp_server: SmtpServer):
    transport = smtp_server.transport(sender="Børne- og Familieafdelingen <frister@kommune.dk>")
    assert transport.send_batch([danish()])[0].ok
    [mail] = smtp_server.received
    assert mail.message["From"] == "Børne- og Familieafdelingen <frister@kommune.dk>"
    assert mail.mail_from == "frister@kommune.dk"


def test_long_lines_and_ascii_bodies_arrive_unchanged(smtp_server: SmtpServer):
    long_text = "Sag " + "x" * 200 + "\n.a line that starts with a dot\nFrom the start\n"
    ascii_html = "<p>" + "y" * 150 + "</p>"
    smtp_server.transport().send_batch([danish(text=long_text, html=ascii_html)])
    [received] = smtp_server.messages
    assert received.get_body(("plain",)).get_content() == long_text
    assert received.get_body(("html",)).get_content().rstrip("\n") == ascii_html


def test_a_header_with_a_line_break_is_refused_before_sending(smtp_server: SmtpServer):
    broken = [
        danish(subject="Frist\r\nBcc: x@evil"),
        danish(to=["a@kommune.dk\nBcc: x@evil"]),
        danish(headers={"X-Fristsporing-Alert": "1\nBcc: x@evil"}),
        danish(message_id="<a@b>\nBcc: x@evil"),
    ]
    results = smtp_server.transport().send_batch([*broken, danish(1)])
    assert [r.permanent for r in results[:-1]] == [True] * 4
    assert all(r.error.startswith("invalid message:") for r in results[:-1])
    assert results[-1].ok
    assert len(smtp_server.messages) == 1


def test_a_non_ascii_address_goes_out_with_smtputf8(smtp_server: SmtpServer):
    results = smtp_server.transport().send_batch([danish(to=["søren@kommune.dk"]), danish(2)])
    assert [r.ok for r in results] == [True, True]
    first = smtp_server.received[0]
    assert first.rcpt_tos == ("søren@kommune.dk",)
    assert first.message["To"] == "søren@kommune.dk"
    assert first.message["Subject"] == DANISH_SUBJECT


def test_a_sender_that_is_no_address_fails_each_message(smtp_server: SmtpServer):
    results = smtp_server.transport(sender="Fristsporing").send_batch([danish(1), danish(2)])
    assert [r.permanent for r in results] == [True, True]
    assert all(r.error.startswith("invalid sender: not an e-mail address") for r in results)
    assert smtp_server.received == []


def test_the_boundary_never_occurs_in_a_part():
    sender = Sender.parse("f@kommune.dk")
    wire = wire_message(sender, ["a@b.dk"], "s", "<m@x>", datetime.now(UTC), "t\n", "<p>h</p>")
    boundary = wire.data.split(b'boundary="', 1)[1].split(b'"', 1)[0]
    assert wire.data.count(b"--" + boundary) == 3  # two parts and the closing delimiter
