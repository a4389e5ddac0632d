"""Messages for the intake tests: Danish letters, an attachment, a forged Date header."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

FORGED_DATE = datetime(2024, 1, 1, 3, 0, tzinfo=UTC)


def underretning(
    number: int = 1, *, message_id: str | None = None, attachment: bool = True
) -> bytes:
    """Return a raw underretning e-mail; its Date header lies (the sender's clock is wrong)."""
    message = EmailMessage()
    message["From"] = "Skolelærer Søren Ærbø <soeren@skole.dk>"
    message["To"] = "underretning@kommune.dk"
    message["Subject"] = f"Bekymring for Åse, 9 år ({number})"
    message["Date"] = format_datetime(FORGED_DATE)
    if message_id is not False:
        message["Message-ID"] = message_id or f"<underretning-{number}@skole.dk>"
    message.set_content(f"Åse kommer sulten i skole og har blå mærker. Nr. {number}.")
    if attachment:
        message.add_attachment(
            b"%PDF-1.4 underretningsskema",
            maintype="application",
            subtype="pdf",
            filename="underretningsskema æøå.pdf",
        )
    return bytes(message)
