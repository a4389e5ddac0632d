"""Render an e-mail's text and HTML from templates/email/, in the app's default locale."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale


def render_email(template_base: str, **context: Any) -> tuple[str, str]:
    """Render templates/email/<base>.txt and .html in the app's default (Danish) locale."""
    # A mail is rendered for its recipient, not for whoever's request happens to be running.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"email/{template_base}.txt", **context)
        html = render_template(f"email/{template_base}.html", **context)
    return text.strip() + "\n", html
