"""Which language a page is in: the signed-in user's choice, else the browser's.

Danish is the default and always complete; English is the second language. Before
sign-in (and for a user who chose nothing) the browser's Accept-Language decides among
the two; anything else, or nothing, gives Danish. E-mails and the scheduler stay Danish.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError

LANGUAGES = ("da", "en")


def init_app(app) -> None:
    """Give templates the page's language (for <html lang>)."""

    @app.context_processor
    def page_language() -> dict[str, str]:
        from flask_babel import get_locale

        return {"page_language": str(get_locale() or "da")}


def select_locale() -> str:
    """Return the locale of the current request's pages."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    # Only a user already loaded for this request: loading one here would ask the database,
    # and a page about the database being down must still be rendered (a 503, never a 500).
    user = g.get("_login_user")
    try:
        chosen = getattr(user, "language", None) if user is not None else None
    except SQLAlchemyError:
        # The user was expired by a rollback and the database is gone: the 503 page is
        # rendered in the browser's language rather than not at all.
        chosen = None
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default=default) or default
