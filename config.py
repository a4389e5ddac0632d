"""Settings for Fristsporing, every one read from a TRACKER_-prefixed environment variable.

The defaults work on one machine: a SQLite file under instance/ and e-mail kept
in an outbox instead of sent.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("TRACKER_INSTANCE_DIR", Path(__file__).parent / "instance"))

# A fixed, public value: `tracker serve` refuses to start with it outside debug mode.
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105


def env(name: str, default: str | None = None) -> str | None:
    """Return the TRACKER_<name> environment variable, or the default."""
    return os.environ.get(f"TRACKER_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean TRACKER_<name> variable (1/true/yes/on)."""
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Return an integer TRACKER_<name> variable."""
    value = env(name)
    return default if value is None or value == "" else int(value)


def intake_mailboxes_from_env() -> tuple[dict[str, str | None], ...]:
    """Return the settings of each mailbox named in TRACKER_INTAKE_MAILBOXES, as given."""
    names = [n.strip() for n in (env("INTAKE_MAILBOXES") or "").split(",") if n.strip()]
    keys = ("HOST", "PORT", "USER", "PASSWORD", "FOLDER", "DONE_FOLDER", "TEAM", "CA_FILE")
    return tuple(
        {"name": name, **{key.lower(): env(f"INTAKE_{name.upper()}_{key}") for key in keys}}
        for name in names
    )


def local_base_url(host: str | None, port: int | str | None) -> str:
    """Return the address of an app served on host:port (a bind-all host: this machine)."""
    host = host or "127.0.0.1"
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104  (naming the bind-all address, not binding)
        host = "localhost"
    return f"http://{host}:{port or 5000}"


def instance_secret_key() -> str | None:
    """Return the secret key that `make run` generated under instance/, if any."""
    path = INSTANCE_DIR / "secret_key"
    return path.read_text().strip() or None if path.is_file() else None


class Config:
    """Settings for one machine, overridable from the environment."""

    SECRET_KEY = env("SECRET_KEY") or instance_secret_key() or DEFAULT_SECRET_KEY
    DEBUG = env_bool("DEBUG", False)
    TESTING = False
    # The public address in e-mails and the calendar feed. Unset, it follows the host and
    # port the app is served on (`make run PORT=5101` sets TRACKER_HOST and TRACKER_PORT
    # for the web server and the scheduler alike).
    BASE_URL = env("BASE_URL") or local_base_url(env("HOST"), env("PORT"))

    SQLALCHEMY_DATABASE_URI = env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tracker.db'}")
    # hide_parameters: a database error's message would otherwise quote the statement's
    # values (a summary, a CPR number) into logs and tracebacks.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    # Seconds before a database that does not answer fails the request (a Danish 503 page)
    # instead of holding a worker: connecting (PostgreSQL; also waiting for a pooled
    # connection), and one statement (PostgreSQL's statement_timeout, lock waits included;
    # SQLite's busy timeout). Migrations run without the statement timeout. 0: no limit.
    DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 10)

    BABEL_DEFAULT_LOCALE = env("LOCALE", "da")
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    TIMEZONE = "Europe/Copenhagen"

    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 256 * 1024)

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = (BASE_URL or "").startswith("https://")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(hours=env_int("SESSION_IDLE_HOURS", 8))

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None
    # tracker.web.access checks CSRF itself, for every request but bearer-token API calls.
    WTF_CSRF_CHECK_DEFAULT = False

    # Failed password sign-ins allowed per account and per address within the window, counted
    # in the database (every worker and host sees them); then 429 until the window passes.
    LOGIN_FAILURES_ALLOWED = env_int("LOGIN_FAILURES_ALLOWED", 5)
    LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15)

    # The registration form's repeat lookup (tracker.cases.repeats): one user may make this
    # many within the window; more are refused and the administrators are told.
    REPEAT_LOOKUPS_ALLOWED = env_int("REPEAT_LOOKUPS_ALLOWED", 20)
    REPEAT_LOOKUP_WINDOW_MINUTES = env_int("REPEAT_LOOKUP_WINDOW_MINUTES", 15)

    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none).
    PROXY_HOPS = env_int("PROXY_HOPS", 0)

    OIDC_ISSUER = env("OIDC_ISSUER")
    OIDC_CLIENT_ID = env("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
    OIDC_LABEL = env("OIDC_LABEL", "Kommunens login")

    # Mail: with no SMTP host the e-mails stay in the outbox (database + console).
    # An empty variable counts as unset.
    MAIL_SMTP_HOST = env("SMTP_HOST") or None
    MAIL_SMTP_PORT = env_int("SMTP_PORT", 25)
    MAIL_SMTP_SECURITY = env("SMTP_SECURITY") or "none"  # none | starttls | ssl
    MAIL_SMTP_USERNAME = env("SMTP_USERNAME") or None
    MAIL_SMTP_PASSWORD = env("SMTP_PASSWORD") or None
    MAIL_SMTP_TIMEOUT = env_int("SMTP_TIMEOUT", 30)
    MAIL_FROM = env("MAIL_FROM") or "Fristsporing <fristsporing@localhost>"
    MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 8)
    MAIL_RETRY_BASE_SECONDS = env_int("MAIL_RETRY_BASE_SECONDS", 60)
    # The longest wait between two attempts of an e-mail: a temporary failure (the server
    # down, 4xx) is retried at this ceiling for as long as it lasts; only a permanent
    # refusal (5xx) fails an e-mail. MAIL_MAX_ATTEMPTS only bounds an e-mail that was in
    # flight when its dispatcher died, again and again.
    MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 1800)
    # E-mails failed, or failing and waiting this long: the administrators are told, once
    # per episode (an e-mail, /readyz and "Udgående post").
    MAIL_ALARM_AFTER_MINUTES = env_int("MAIL_ALARM_AFTER_MINUTES", 30)
    # E-mails claimed and sent per SMTP connection, and how long a claim lasts before another
    # dispatcher may take the e-mail over (a crashed scheduler's e-mails are sent after it).
    # The dispatcher renews the lease while it works and starts no e-mail within
    # 4 x SMTP_TIMEOUT of its end, so the lease must be longer than that (default 150 s
    # with the 30 s timeout): a dead dispatcher's e-mails are taken over that soon.
    MAIL_BATCH_SIZE = env_int("MAIL_BATCH_SIZE", 200)
    MAIL_LEASE_SECONDS = env_int("MAIL_LEASE_SECONDS", 150)
    # SMTP connections sending side by side, each its own dispatcher (PostgreSQL; SQLite: 1).
    MAIL_CONNECTIONS = env_int("MAIL_CONNECTIONS", 1)

    # A TOML or JSON file with the alert policy per deadline kind, over the shipped defaults,
    # e.g. [plan] warn_days_before = [30, 7]. See tracker/domain/policy.py.
    ALERT_POLICY_FILE = env("ALERT_POLICY_FILE")
    # The daily digest lists open deadlines due within this many hverdage (and overdue ones).
    DIGEST_WORKING_DAYS = env_int("DIGEST_WORKING_DAYS", 5)
    # It lists the most urgent this many, then says how many more, with a link to the dashboard.
    DIGEST_MAX_DEADLINES = env_int("DIGEST_MAX_DEADLINES", 30)

    # The municipality's opening hours (Danish weekday names, ranges allowed), on the hverdag
    # calendar: closed on helligdage, grundlovsdag, 24 and 31 December. Working-day
    # deadlines' alerts wait for the next opening; the 24-hour assessment's alerts outside
    # them go to the on-call service as well. See tracker/domain/opening_hours.py.
    OPENING_HOURS = env("OPENING_HOURS") or "man-tor 08:00-15:00; fre 08:00-13:30"
    # Where on-call alerts go when the rota has a gap (the socialvagt's mailbox); empty: none.
    ONCALL_DEFAULT_EMAIL = env("ONCALL_DEFAULT_EMAIL") or None
    # The escalation level after the team leaders (afdelingsleder): an address; empty: none.
    # When it is told is the alert policy's `next_level_after_hours` per deadline kind.
    ESCALATION_NEXT_LEVEL_EMAIL = env("ESCALATION_NEXT_LEVEL_EMAIL") or None

    # The rules file (TOML): legal bases, § 133 notifiers and local targets such as the
    # orientation's hverdage, in dated versions; empty: the shipped default. See README.
    RULES_FILE = env("RULES_FILE")

    # The notifier sectors (TOML) the municipality counts its underretninger by; empty:
    # the shipped default (tracker/cases/notifier_sectors_default.toml).
    NOTIFIER_SECTORS_FILE = env("NOTIFIER_SECTORS_FILE")

    # A JSON or TOML file with the municipality's action cards; empty: the shipped default.
    ACTION_CARDS_FILE = env("ACTION_CARDS_FILE")

    # Retention, as the municipality decides (`tracker purge`, run from cron): closed cases
    # are anonymised this many months after they were closed, and the access log's rows
    # deleted this many months after they were written. 0 (the default): kept until set.
    RETENTION_MONTHS = env_int("RETENTION_MONTHS", 0)
    AUDIT_RETENTION_MONTHS = env_int("AUDIT_RETENTION_MONTHS", 0)

    # Mailbox intake (tracker.intake): the IMAP mailboxes the underretninger arrive in, by name,
    # e.g. TRACKER_INTAKE_MAILBOXES=central,skole; each name N has TRACKER_INTAKE_<N>_HOST,
    # _PORT (993), _USER, _PASSWORD, _FOLDER (INBOX), _DONE_FOLDER (where a message is moved
    # once it is an intake item), _TEAM (the team it belongs to; empty: INTAKE_CENTRAL_TEAM)
    # and _CA_FILE (a CA to trust besides the system's). Always TLS. See README.
    INTAKE_MAILBOXES = intake_mailboxes_from_env()
    INTAKE_CENTRAL_TEAM = env("INTAKE_CENTRAL_TEAM") or None
    INTAKE_DONE_FOLDER = "registreret i Fristsporing"
    INTAKE_IMAP_TIMEOUT = env_int("INTAKE_IMAP_TIMEOUT", 30)
    # An item not registered this many minutes of opening hours after it arrived raises the
    # alarm to the intake team's leaders (opening hours: OPENING_HOURS, on hverdage).
    INTAKE_REGISTER_WITHIN_MINUTES = env_int("INTAKE_REGISTER_WITHIN_MINUTES", 60)


class TestConfig(Config):
    """Settings for the test suite: an in-memory database unless a test gives one."""

    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    MAIL_SMTP_HOST = None
    INTAKE_MAILBOXES = ()
