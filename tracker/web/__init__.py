"""The web delivery layer: one blueprint a module or package, registered here."""

from __future__ import annotations

from flask import Flask

from tracker.web import (
    access,
    acknowledge,
    admin,
    api,
    auth,
    calc,
    cards,
    cases,
    dashboard,
    errors,
    filters,
    headers,
    health,
    ids,
    intake,
    language,
    main,
    navigation,
    oidc,
    oncall,
    reports,
    settings,
)


def init_app(app: Flask) -> None:
    """Register blueprints, template filters and response headers."""
    filters.init_app(app)
    language.init_app(app)
    headers.init_app(app)
    navigation.init_app(app)
    access.init_app(app)
    errors.init_app(app)
    oidc.init_app(app)
    ids.init_app(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(calc.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(cards.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(intake.bp)
    app.register_blueprint(oncall.bp)
    app.register_blueprint(acknowledge.bp)
