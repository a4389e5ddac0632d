"""People and access: teams, users, API tokens and the append-only audit log.

Every schema change here comes with an Alembic revision in migrations/versions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Index, Integer, String, and_, event
from sqlalchemy.orm import Mapped, Session, foreign, mapped_column, relationship

from tracker.extensions import db
from tracker.models.column_types import UTCDateTime

__all__ = [
    "ApiToken",
    "AuditEvent",
    "AuditRetentionPermit",
    "Role",
    "SignInFailure",
    "Team",
    "UTCDateTime",
    "User",
    "db",
    "utcnow",
]


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the default for timestamp columns)."""
    return datetime.now(UTC)


class Role(StrEnum):
    """What a user may do: see and edit the team's cases, lead a team, or administer."""

    CASEWORKER = "caseworker"  # myndighedsrådgiver
    LEADER = "leader"  # nærmeste leder
    ADMIN = "admin"


class Team(db.Model):
    """A team of caseworkers and their leaders; cases belong to a team."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="team", order_by="User.name")
    # Leaders are the team's active users with the leader role: one fact, stored once.
    leaders: Mapped[list[User]] = relationship(
        primaryjoin=lambda: and_(
            foreign(User.team_id) == Team.id, User.role == Role.LEADER, User.active.is_(True)
        ),
        order_by="User.name",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<Team {self.id}>"


class User(UserMixin, db.Model):
    """A person who signs in: caseworker, leader or administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(
        Enum(
            Role,
            name="role",
            native_enum=False,
            create_constraint=True,
            length=16,
            values_callable=lambda roles: [role.value for role in roles],
        )
    )
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # None: the user signs in only through the municipality's identity provider.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Bumped on password reset and deactivation, so every existing session stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # The language of the user's pages ("da", "en"); None: the browser's, Danish by default.
    language: Mapped[str | None] = mapped_column(String(5))
    calendar_token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team | None] = relationship(back_populates="members")
    api_tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", order_by="ApiToken.id")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    def get_id(self) -> str:
        """Return the session identity: the id and the session version."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for an integration, acting as one user; only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters only, so people can tell their tokens apart; useless for signing in.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the token may do: None, the case API as its user; "intake", only POST /api/v1/intake.
    scope: Mapped[str | None] = mapped_column(String(16))

    user: Mapped[User] = relationship(back_populates="api_tokens")

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}>"


class SignInFailure(db.Model):
    """One failed password sign-in, counted per account and per address (tracker.people.throttle).

    In the database, so the limit holds across every web worker and host. Rows older than
    the window are pruned; an administrator lifting a lock deletes its rows. The account
    is the SHA-256 of the e-mail address tried, so no address typed at the login page is
    stored (the audit log has who, for accounts that exist).
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_account_at", "account", "at"),
        Index("ix_sign_in_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(45))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuditEvent(db.Model):
    """One line of the append-only audit log: who did what to which object, when, from where.

    Ids and action names only, never case content. Write rows with tracker.audit.record().
    """

    __tablename__ = "audit_events"
    # Searches filter by case, user or team and sort by time; no foreign keys to cases or
    # teams, because the log must outlive the rows it speaks about.
    __table_args__ = (
        Index("ix_audit_events_case_id_at", "case_id", "at"),
        Index("ix_audit_events_user_id_at", "user_id", "at"),
        Index("ix_audit_events_team_id_at", "team_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    # The case (notification) the event concerns, so a citizen's request finds every row.
    case_id: Mapped[int | None] = mapped_column(Integer)
    # The team owning the object, so leaders can search their own team's events.
    team_id: Mapped[int | None] = mapped_column(Integer)
    remote_addr: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"


class AuditRetentionPermit(db.Model):
    """Lets the transaction holding it delete audit rows older than `before`: retention only.

    tracker.operations.retention adds one, deletes the old rows and removes it again in the same
    transaction, so the table is always empty to everyone else. The database's triggers
    on audit_events allow a DELETE only while such a row exists (migration 9d3a1afe7989).
    """

    __tablename__ = "audit_retention_permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    before: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete a row of the audit log."""


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_audit_change(mapper, connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_audit_change(state) -> None:
    # The one sanctioned deletion, retention (tracker.operations.retention), deletes old rows
    # through the table, not the mapper, under a permit the database's triggers check.
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEvent for mapper in state.all_mappers
    ):
        raise AuditLogIsAppendOnly("the audit log cannot be changed or deleted")
