"""The concern store: SQLAlchemy 2 models, encryption at rest, and the outbox."""
