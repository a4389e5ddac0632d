"""Database errors never bring case content into logs or tracebacks."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.models import Notification

SECRET = "Fortroligt resumé om barnet"
CPR = "0102031234"


def failed_insert() -> IntegrityError:
    statement = insert(Notification).values(reference="U-1", summary=SECRET, cpr_number=CPR)
    with pytest.raises(IntegrityError) as failed:
        db.session.execute(statement)  # required columns are missing: the insert fails
    db.session.rollback()
    return failed.value


def test_sqlalchemy_does_not_quote_the_values(app):
    message = str(failed_insert())
    assert "[SQL parameters hidden" in message
    if db.engine.dialect.name == "sqlite":
        assert SECRET not in message and CPR not in message


@pytest.mark.parametrize(
    "logger", ["tracker", "tracker.alerts.jobs", "apscheduler.executors.default"]
)
def test_logged_database_errors_leave_out_values_and_server_details(app, caplog, logger):
    error = failed_insert()
    with caplog.at_level(logging.ERROR):
        logging.getLogger(logger).error("unhandled error", exc_info=error)
    assert "RedactedDatabaseError" in caplog.text
    assert "INSERT INTO notifications" in caplog.text
    # PostgreSQL's "Failing row contains (...)" would quote the row.
    assert SECRET not in caplog.text and CPR not in caplog.text


def test_a_500_is_logged_without_case_content(app, caplog):
    error = failed_insert()
    # What Flask does with an unhandled error in a view, before the 500 page.
    with caplog.at_level(logging.ERROR), app.test_request_context("/cases/new", method="POST"):
        app.log_exception((type(error), error, error.__traceback__))
    assert "RedactedDatabaseError" in caplog.text
    assert SECRET not in caplog.text and CPR not in caplog.text


def test_an_error_raised_while_handling_a_database_error_is_redacted_too(app, caplog):
    error = failed_insert()
    try:
        try:
            raise error
        except IntegrityError as database_error:
            raise RuntimeError("could not register") from database_error
    except RuntimeError as wrapped:
        with caplog.at_level(logging.ERROR):
            logging.getLogger("tracker").error("unhandled error", exc_info=wrapped)
    assert "RuntimeError after a database error" in caplog.text
    assert "INSERT INTO notifications" in caplog.text
    assert SECRET not in caplog.text and CPR not in caplog.text


def test_a_real_500_answers_a_bare_page_and_is_logged_once_redacted(
    app, database_url, tmp_path, caplog, monkeypatch
):
    from factories import another_app

    from tracker.web import access

    other = another_app(database_url, tmp_path / "instance", PROPAGATE_EXCEPTIONS=False)
    error = failed_insert()

    @other.get("/broken")
    def broken():
        raise error

    monkeypatch.setattr(access, "PUBLIC_ENDPOINTS", access.PUBLIC_ENDPOINTS | {"broken"})
    with caplog.at_level(logging.ERROR):
        response = other.test_client().get("/broken")
    assert response.status_code == 500
    assert SECRET not in response.get_data(as_text=True)
    assert len([record for record in caplog.records if record.exc_info]) == 1
    assert SECRET not in caplog.text and CPR not in caplog.text
