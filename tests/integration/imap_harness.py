"""A real IMAP server for the intake tests: Dovecot from Debian's packages, unprivileged.

The fixture writes a configuration of its own (a temporary mail folder, a loopback port,
TLS with a throw-away certificate the client trusts as its CA, one user with a password)
and starts `dovecot -F -c <config>` as an ordinary user: the caller if that is not root,
else Debian's `dovecot` system user (through setpriv), so no part of it runs as root.
Messages are delivered with IMAP APPEND, which sets the server's arrival time
(INTERNALDATE) as the test asks.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient
from smtp_harness import HOST, Certificate, free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "underretning", "hemmelig-test"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
auth_mechanisms = plain
auth_failure_delay = 0
disable_plaintext_auth = yes
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
protocol imap {{
  mail_max_userip_connections = 50
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = {host}
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # No growing delay for repeated failed logins from one address (the tests fail on purpose).
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""


def _run_as() -> tuple[int, int, str, str]:
    if os.getuid() != 0:
        return (
            os.getuid(),
            os.getgid(),
            pwd.getpwuid(os.getuid()).pw_name,
            grp.getgrgid(os.getgid()).gr_name,
        )
    user = pwd.getpwnam("dovecot")
    return user.pw_uid, user.pw_gid, user.pw_name, grp.getgrgid(user.pw_gid).gr_name


class Dovecot:
    """A running Dovecot on 127.0.0.1:port over TLS, with one mailbox (USER, PASSWORD)."""

    def __init__(self, certificate: Certificate) -> None:
        # A folder of its own under /tmp (not pytest's, which only its owner may enter),
        # with a copy of the certificate, so the server's user reads all it needs.
        self.root = Path(tempfile.mkdtemp(prefix="fristsporing-dovecot-"))
        self.certificate = certificate
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        uid, gid, user, group = _run_as()
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        cert, key = self.root / "cert.pem", self.root / "key.pem"
        shutil.copyfile(self.certificate.cert_file, cert)
        shutil.copyfile(self.certificate.key_file, key)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                host=HOST,
                port=self.port,
                cert=cert,
                key=key,
                user=user,
                group=group,
                uid=uid,
                gid=gid,
            )
        )
        command = [DOVECOT, "-F", "-c", str(config)]
        if os.getuid() == 0:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, uid, gid)
            command = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", *command]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait_until_listening()

    def _wait_until_listening(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot stopped: {self.process.stderr.read().decode()}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self) -> IMAPClient:
        """Return a logged-in client (trusting the fixture's certificate)."""
        client = IMAPClient(
            HOST, port=self.port, ssl=True, ssl_context=self.certificate.client_context()
        )
        client.normalise_times = False
        client.login(USER, PASSWORD)
        return client

    def deliver(self, raw: bytes, *, arrived_at: datetime, folder: str = "INBOX") -> None:
        """Put a message in a folder with the given arrival time (INTERNALDATE)."""
        with self.client() as client:
            client.append(folder, raw, msg_time=arrived_at)

    def uids(self, folder: str) -> list[int]:
        with self.client() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            return list(client.search("ALL"))

    def settings(self, **overrides) -> dict[str, str | None]:
        """Return the TRACKER_INTAKE_<NAME>_* values of this mailbox, as config holds them."""
        return {
            "name": "central",
            "host": HOST,
            "port": str(self.port),
            "user": USER,
            "password": PASSWORD,
            "folder": None,
            "done_folder": None,
            "team": None,
            "ca_file": str(self.certificate.cert_file),
            **overrides,
        }
