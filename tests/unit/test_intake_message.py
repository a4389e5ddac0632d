"""Reading a raw e-mail for an intake item: headers, text, attachments, a key without Message-ID."""

from __future__ import annotations

from email.message import EmailMessage

from tracker.intake.message import parse_message


def test_a_danish_message_with_an_attachment():
    message = EmailMessage()
    message["From"] = "Søren Ærbø <soeren@skole.dk>"
    message["Subject"] = "Bekymring for Åse"
    message["Message-ID"] = "<1@skole.dk>"
    message.set_content("Åse er sulten.")
    message.add_attachment(b"abc", maintype="application", subtype="pdf", filename="skema.pdf")
    parsed = parse_message(bytes(message))
    assert parsed.sender == "Søren Ærbø <soeren@skole.dk>"
    assert parsed.subject == "Bekymring for Åse"
    assert parsed.message_id == "<1@skole.dk>"
    assert parsed.body_text.strip() == "Åse er sulten."
    assert parsed.attachments == [
        {"filename": "skema.pdf", "content_type": "application/pdf", "size": 3}
    ]


def test_an_html_only_message_is_read_as_text_without_scripts():
    raw = (
        b"Subject: hej\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>Barnet <b>gr\xc3\xa6d</b></p><script>alert(1)</script>"
    )
    parsed = parse_message(raw)
    assert parsed.body_text == "Barnet græd"
    assert parsed.message_id.startswith("sha256:")  # no Message-ID: the content's digest


def test_a_broken_message_still_becomes_an_item():
    parsed = parse_message(b"\xff\xfe garbage without headers")
    assert parsed.subject is None and parsed.sender is None
    assert parsed.message_id.startswith("sha256:")
