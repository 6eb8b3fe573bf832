"""Alembic migrations for the skillprobe database, shipped inside the installed package."""
