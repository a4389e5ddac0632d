"""An SMTP sink for bench/load.py: accepts every e-mail and writes when it did, and its Message-ID.

Run: python bench/load_sink.py PORT LOGFILE   (127.0.0.1 only; stops on SIGTERM)
Each accepted e-mail adds a line "<unix time>\\t<Message-ID>\\t<number of recipients>".
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


class Recorder:
    """aiosmtpd handler: note the time each message was accepted."""

    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1)  # noqa: SIM115 (open for the process's life)
        self.parser = BytesHeaderParser()

    async def handle_DATA(self, server, session, envelope):
        accepted = time.time()
        headers = self.parser.parsebytes(envelope.original_content or envelope.content)
        message_id = (headers.get("Message-ID") or "").strip()
        self.file.write(f"{accepted:.6f}\t{message_id}\t{len(envelope.rcpt_tos)}\n")
        return "250 OK"


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"sink listening on 127.0.0.1:{port}", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
