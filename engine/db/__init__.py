"""Persistence: the only code that sees the ORM (typed SQLAlchemy 2.0 models and stores)."""
