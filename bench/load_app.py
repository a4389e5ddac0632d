"""The load test's baseline: a minimal Flask app with one endpoint doing one INSERT.

bench/load.py serves it with gunicorn beside the tracker, on the same database, so the
tracker's registrations per second can be set against what Flask, gunicorn, SQLAlchemy's
pool and one committed INSERT cost on this machine at the same moment.
Run: gunicorn 'bench.load_app:create_app()' with LOAD_DATABASE_URL set (bench/load.py does).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, request
from sqlalchemy import create_engine, text

TABLE = "load_bench_inserts"
CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    reference varchar(40) NOT NULL,
    received_at timestamptz NOT NULL,
    summary text NOT NULL
)"""


def create_app() -> Flask:
    """Return the app: POST /insert writes one row and answers its id."""
    app = Flask(__name__)
    engine = create_engine(os.environ["LOAD_DATABASE_URL"], pool_pre_ping=True)
    insert = text(
        f"INSERT INTO {TABLE} (reference, received_at, summary) "
        "VALUES (:reference, :received_at, :summary) RETURNING id"
    )

    @app.post("/insert")
    def insert_one():
        values = {
            "reference": request.form.get("reference", "x")[:40],
            "received_at": datetime.now(UTC),
            "summary": request.form.get("summary", ""),
        }
        with engine.begin() as conn:
            row_id = conn.execute(insert, values).scalar_one()
        return {"id": row_id}, 201

    return app
