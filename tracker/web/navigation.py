"""The main menu: one list, filtered to the endpoints the app has and the user may use."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

# (endpoint, label, who may see it); `who` gets the current user (or None) and answers yes/no.
MENU: list[tuple[str, object, Callable[[object], bool]]] = [
    ("main.index", _l("Deadlines"), lambda user: user is not None),
    ("reports.compliance", _l("Compliance report"), lambda user: _has_role(user, "leader")),
    ("reports.intake", _l("Intake statistics"), lambda user: _has_role(user, "leader")),
    ("intake.index", _l("Not registered"), lambda user: _has_team(user)),
    ("cases.new", _l("Register notification"), lambda user: _has_team(user)),
    ("cases.index", _l("Open cases"), lambda user: _has_team(user)),
    ("calc.calculator", _l("Deadline calculator"), lambda user: user is not None),
    ("cards.index", _l("Action cards"), lambda user: True),
    ("oncall.rota", _l("On call"), lambda user: user is not None),
    ("admin.audit_log", _l("Audit log"), lambda user: _has_role(user, "leader", "admin")),
    ("admin.users", _l("Users"), lambda user: _has_role(user, "admin")),
    ("admin.teams", _l("Teams"), lambda user: _has_role(user, "admin")),
    ("admin.api_tokens", _l("API tokens"), lambda user: _has_role(user, "admin")),
    ("admin.outbox_messages", _l("Outgoing mail"), lambda user: _has_role(user, "admin")),
    ("admin.intake_status", _l("Intake mailboxes"), lambda user: _has_role(user, "admin")),
    ("admin.sign_in_locks", _l("Locked sign-ins"), lambda user: _has_role(user, "admin")),
    ("settings.page", _l("My settings"), lambda user: user is not None),
]


def _has_team(user) -> bool:
    return user is not None and user.team_id is not None


def _has_role(user, *roles: str) -> bool:
    return user is not None and user.role in roles


def nav_items() -> list[tuple[str, str]]:
    """Return the (endpoint, label) pairs of the menu for the current request."""
    user = _current_user()
    return [
        (endpoint, str(label))
        for endpoint, label, allowed in MENU
        if endpoint in current_app.view_functions and allowed(user)
    ]


def _current_user():
    try:
        from flask_login import current_user
    except ImportError:  # pragma: no cover
        return None
    return current_user if getattr(current_user, "is_authenticated", False) else None


def init_app(app: Flask) -> None:
    """Make nav_items() available to templates."""
    app.context_processor(lambda: {"nav_items": nav_items})
