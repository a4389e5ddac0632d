"""`tracker db grant-runtime-role ROLE`: what the app's runtime role may do (PostgreSQL).

In production two roles: the owner of the schema runs the migrations (and the access
log's purge); the web and the scheduler connect as a runtime role that owns nothing, so
it cannot alter a table, disable a trigger or drop one. This command, run as the owner
after every `tracker db upgrade`, gives the runtime role exactly what the app needs and
takes away anything else it was given on the schema's tables: idempotent.

What it needs: every table's rows (SELECT, INSERT, UPDATE, DELETE) and the sequences
behind the ids, except the access log (SELECT and INSERT only: append-only against the
app itself), the retention permits (nothing: the purge runs as the owner) and Alembic's
revision (SELECT: /readyz compares it with the code's).
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from flask_migrate.cli import db as db_group
from sqlalchemy import inspect, text

from tracker.extensions import db

ROW_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
# Tables the runtime role gets less on than ROW_RIGHTS; None: nothing at all.
NARROWER_RIGHTS: dict[str, str | None] = {
    "audit_events": "SELECT, INSERT",
    "audit_retention_permits": None,
    "alembic_version": "SELECT",
}


def runtime_role_statements(quote, role: str, database: str, schema: str, tables) -> list[str]:
    """Return the GRANT and REVOKE statements for the runtime role, names quoted by `quote`."""
    role, schema = quote(role), quote(schema)
    statements = [
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        # Start from nothing, so a wider grant made by hand earlier is narrowed too.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
    for table in sorted(tables):
        rights = NARROWER_RIGHTS.get(table, ROW_RIGHTS)
        if rights is not None:
            statements.append(f"GRANT {rights} ON {schema}.{quote(table)} TO {role}")
    return statements


@db_group.command("grant-runtime-role")
@click.argument("role")
@click.option("--print-only", is_flag=True, help="Print the SQL instead of running it.")
@with_appcontext
def grant_runtime_role_command(role: str, print_only: bool) -> None:
    """Give the app's runtime ROLE its rights on the schema (run as the schema's owner).

    ROLE must exist (CREATE ROLE ... LOGIN PASSWORD ...) and must not own the schema. Run
    it again after every `tracker db upgrade`: new tables get their rights then.
    """
    engine = db.engine
    if engine.dialect.name != "postgresql":
        raise click.ClickException("The runtime role is a PostgreSQL matter: SQLite has no roles.")
    with engine.connect() as connection:
        database, schema, me = connection.execute(
            text("SELECT current_database(), current_schema(), current_user")
        ).one()
        if not connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}):
            raise click.ClickException(f"No role {role!r}: create it first (CREATE ROLE ...).")
        if role == me:
            raise click.ClickException(
                f"{role!r} is the role running this command (the owner): the runtime role "
                "must be another one."
            )
        tables = inspect(connection).get_table_names(schema=schema)
    statements = runtime_role_statements(
        engine.dialect.identifier_preparer.quote, role, database, schema, tables
    )
    if print_only:
        click.echo(";\n".join(statements) + ";")
        return
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    click.echo(f"Granted {role} the runtime rights on {len(tables)} tables of {database}.")
