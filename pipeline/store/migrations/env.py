"""Alembic environment: runs on the connection that ``pipeline.store.migrate`` hands over.

No ``alembic.ini`` is needed: the store opens a connection, takes its lock, and passes the
connection in ``config.attributes["connection"]``; the migrations run inside that connection's
transaction, so a failed upgrade leaves the store as it was.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("pipeline.store migrations run through pipeline.store.open_store()")

context.configure(
    connection=connection,
    target_metadata=None,
    render_as_batch=connection.dialect.name == "sqlite",
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
