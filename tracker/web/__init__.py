"""The web delivery layer: one blueprint a module, registered here."""

from __future__ import annotations

from flask import Flask

from tracker.web import calc, filters, headers, main, navigation


def init_app(app: Flask) -> None:
    """Register blueprints, template filters and response headers."""
    filters.init_app(app)
    headers.init_app(app)
    navigation.init_app(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(calc.bp)
