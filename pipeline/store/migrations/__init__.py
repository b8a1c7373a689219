"""Alembic migrations of the store, run programmatically by ``pipeline.store.migrate`` on open."""
