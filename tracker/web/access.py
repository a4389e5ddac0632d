"""Who may see what: the one place for authentication and authorisation.

Every endpoint requires a signed-in user unless it is on PUBLIC_ENDPOINTS, so a
new blueprint is protected without doing anything. Users sign in with a session
cookie (forms carry CSRF tokens) or, for integrations, with
`Authorization: Bearer <token>` (no CSRF: a browser never adds that header on
its own). Case data is scoped to teams: use visible_team_ids()/team_scope() in
queries and get_visible_or_404() for single objects, so another team's case
answers 404 and does not reveal that it exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import wraps

from flask import Flask, abort, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from tracker import clock
from tracker.extensions import csrf, db, login_manager
from tracker.models import Role, User
from tracker.text.labels import ROLE_LABELS
from tracker.web.ids import is_id

# exports.calendar_feed authenticates by the secret token in its address, not a session.
# The action cards (cards.*) hold no case data: a professional outside the department
# follows them without an account.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "static",
        "health.healthz",
        "health.readyz",
        "reports.calendar_feed",
        "cards.index",
        "cards.show",
        "cards.contacts",
    }
)
# Answered without looking at the session at all: a signed-in browser's cookie would load
# the user from the database, and the health checks must work while it is away.
SESSIONLESS_ENDPOINTS = frozenset({"static", "health.healthz", "health.readyz"})
PUBLIC_ENDPOINT_PREFIXES = ("auth.oidc_",)
SEEN_AT_KEY = "seen_at"
# Sent by the dashboard's minute-by-minute table refresh: not a sign that anyone is there.
AUTO_REFRESH_HEADER = "X-Auto-Refresh"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def init_app(app: Flask) -> None:
    """Install the session and bearer-token loaders and the per-request guard."""
    login_manager.login_view = "auth.login"
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(load_token_user)
    login_manager.unauthorized_handler(unauthorized)
    app.before_request(guard_request)
    app.add_template_global(role_label)


def role_label(role: Role | str) -> str:
    """Return the Danish name of a role."""
    return str(ROLE_LABELS[Role(role)])


def is_public(endpoint: str | None) -> bool:
    """Tell whether an endpoint may be used without signing in."""
    if endpoint is None:  # no route matched: the 404/405 follows
        return True
    return endpoint in PUBLIC_ENDPOINTS or endpoint.startswith(PUBLIC_ENDPOINT_PREFIXES)


def is_api_request() -> bool:
    """Tell whether the request is for the JSON API."""
    return request.path.startswith("/api/") or request.path == "/api"


def bearer_token() -> str | None:
    """Return the token of an `Authorization: Bearer` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def load_session_user(identity: str) -> User | None:
    """Load the user of a session cookie, if the session is still valid for them."""
    if bearer_token() is not None:
        return None  # a request with a token is authenticated by the token alone
    user_id, _, version = identity.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def load_token_user(_request) -> User | None:
    """Authenticate a request by its bearer token."""
    from tracker.people import tokens

    token = bearer_token()
    found = tokens.user_for_token(token) if token else None
    if found is None:
        return None
    user, row = found
    g.auth_via = "token"
    g.api_token_id = row.id
    tokens.note_token_use(row, clock.now())
    return user


def authenticated_by_token() -> bool:
    """Tell whether this request's user came from a bearer token."""
    return g.get("auth_via") == "token"


def guard_request():
    """Expire idle sessions, require sign-in outside the allow-list, check CSRF tokens."""
    if request.endpoint in SESSIONLESS_ENDPOINTS:
        return None
    if current_user.is_authenticated and not authenticated_by_token() and _session_idle():
        logout_user()
        session.clear()
        flash(_l("You were signed out after a period of inactivity."), "warning")
    if not is_public(request.endpoint) and not current_user.is_authenticated:
        return unauthorized()
    if (
        request.method in UNSAFE_METHODS
        and current_app.config["WTF_CSRF_ENABLED"]
        and not authenticated_by_token()
    ):
        csrf.protect()
    return None


def _session_idle() -> bool:
    """Tell whether the session has been idle too long; otherwise note this request."""
    now = int(time.time())
    seen_at = session.get(SEEN_AT_KEY)
    limit = current_app.permanent_session_lifetime.total_seconds()
    if not isinstance(seen_at, int) or now - seen_at > limit:
        return True
    if not request.headers.get(AUTO_REFRESH_HEADER):
        session[SEEN_AT_KEY] = now
    return False


def start_session(user: User) -> None:
    """Begin a fresh, expiring session for a user who just proved who they are."""
    from flask_login import login_user

    session.clear()  # nothing from before sign-in carries over
    login_user(user)
    session.permanent = True
    session[SEEN_AT_KEY] = int(time.time())


def unauthorized():
    """Answer a request that needs a signed-in user: 401 JSON for the API, else the login page."""
    if is_api_request() or bearer_token() is not None:
        response = jsonify(error="unauthorized", message=str(_l("Sign-in required.")))
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="fristsporing"'
        return response
    if request.headers.get("HX-Request"):
        # htmx would swap the login page into a fragment; send the whole page there instead.
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = url_for("auth.login")
        return response
    target = request.full_path if request.method == "GET" else None
    if target and target.endswith("?"):
        target = target[:-1]
    return redirect(url_for("auth.login", next=target if target not in (None, "/") else None))


def visible_team_ids(user) -> list[int]:
    """Return the teams whose cases the user may see: their own team, if they have one."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return []
    # Caseworkers and leaders see their team; admins see case content only through a team.
    return [user.team_id] if user.team_id is not None else []


def can_register_cases(user) -> bool:
    """Tell whether the user may register underretninger (and so ask about repeats): a team's."""
    return bool(visible_team_ids(user))


def can_see_team(user, team_id: int | None) -> bool:
    """Tell whether the user may see the cases of a team."""
    return team_id is not None and team_id in visible_team_ids(user)


def require_team(team_id: int | None) -> None:
    """Abort with 404 unless the current user may see the team's cases."""
    if not can_see_team(current_user, team_id):
        abort(404)


def team_scope(team_column):
    """Return a WHERE clause limiting a query to the current user's visible teams."""
    return team_column.in_(visible_team_ids(current_user))


def get_visible_or_404(model, object_id, *, team_attr: str = "team_id"):
    """Load one object by id, or 404 if it does not exist or belongs to another team."""
    # Routes take ids through the bounded `id` converter; this guards the odd caller that
    # does not (no row has such an id, and PostgreSQL would refuse the query).
    if not is_id(object_id):
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None or not can_see_team(current_user, getattr(obj, team_attr)):
        abort(404)
    return obj


def has_role(user, *roles: Role) -> bool:
    """Tell whether the user is signed in with one of the roles."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles


def is_leader(user) -> bool:
    """Tell whether the user leads a team (and so receives its escalations)."""
    return has_role(user, Role.LEADER)


def is_admin(user) -> bool:
    """Tell whether the user administers users, teams and settings."""
    return has_role(user, Role.ADMIN)


def ensure_role(*roles: Role) -> None:
    """Abort with 403 unless the current user has one of the roles."""
    if not has_role(current_user, *roles):
        abort(403)


def require_role(*roles: Role) -> Callable:
    """Decorate a view so only the given roles may use it (403 for the others)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            ensure_role(*roles)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def endpoints_requiring_login(app: Flask) -> Iterable[str]:
    """Return every endpoint of the app that needs a signed-in user (for tests and audits)."""
    return sorted(endpoint for endpoint in app.view_functions if not is_public(endpoint))
