"""The web delivery layer: one blueprint a module, registered here."""

from __future__ import annotations

from flask import Flask

from tracker.web import (
    access,
    admin,
    api,
    api_cases,
    audit_log,
    auth,
    calc,
    case_actions,  # noqa: F401  (adds the case actions to cases.bp)
    cases,
    dashboard,
    errors,
    exports,
    filters,
    headers,
    ids,
    main,
    navigation,
    oidc,
    outbox,
    reports,
    settings,
)


def init_app(app: Flask) -> None:
    """Register blueprints, template filters and response headers."""
    filters.init_app(app)
    headers.init_app(app)
    navigation.init_app(app)
    access.init_app(app)
    errors.init_app(app)
    oidc.init_app(app)
    ids.init_app(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(calc.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_cases.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(audit_log.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(outbox.bp)
    app.register_blueprint(settings.bp)
