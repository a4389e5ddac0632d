"""Fristsporing: statutory deadlines for Danish child-welfare notifications."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config
from tracker import redaction
from tracker.extensions import babel, csrf, db, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return a top-level resource folder: the checkout's, or the copy inside a wheel."""
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    return PACKAGE_DIR / name


def create_app(config_class: type = Config) -> Flask:
    """Build the Flask application for the given settings class."""
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        instance_path=str(Path(getattr(config_class, "INSTANCE_PATH", "") or _instance_dir())),
    )
    app.config.from_object(config_class)
    redaction.install(app.logger.name)
    _secure_cookies_over_https(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    from tracker import database, models  # noqa: F401  (models: registers the tables)

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True)
    from tracker.web.language import select_locale

    babel.init_app(
        app,
        default_translation_directories=str(PACKAGE_DIR / "translations"),
        locale_selector=select_locale,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    _trust_proxy_headers(app)

    from tracker import web

    web.init_app(app)

    from tracker import cli

    cli.init_app(app)

    from tracker.cases import action_cards, legal_rules, notifier_sectors

    action_cards.check_at_startup(app)
    legal_rules.check_at_startup(app)
    notifier_sectors.check_at_startup(app)

    from tracker.people import oncall

    oncall.check_at_startup(app)
    return app


def _secure_cookies_over_https(app: Flask) -> None:
    # Follows BASE_URL of the settings in use (not only the environment at import time).
    if app.config["BASE_URL"].startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def _trust_proxy_headers(app: Flask) -> None:
    # Behind a reverse proxy, the client's address (audit log, sign-in throttling) and the
    # scheme come from X-Forwarded-* headers, trusted for exactly PROXY_HOPS proxies.
    hops = app.config["PROXY_HOPS"]
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _instance_dir() -> Path:
    from config import INSTANCE_DIR

    return INSTANCE_DIR
