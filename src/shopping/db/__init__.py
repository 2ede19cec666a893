"""Database access: engine, transactions and the dialect differences between SQLite and Postgres."""

from shopping.db.database import Database, create_database

__all__ = ["Database", "create_database"]
