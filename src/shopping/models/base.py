"""Declarative base: one metadata, a naming convention so migrations name constraints stably."""

from __future__ import annotations

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Dintero account ids: `T` (test) or `P` (production) and 8 digits.
ACCOUNT_ID_LENGTH = 9


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def account_id_column() -> Mapped[str]:
    """Every table is keyed by account first: isolation is obvious and a deployment that
    outgrows one Postgres can distribute every table by `account_id`."""
    return mapped_column(String(ACCOUNT_ID_LENGTH), primary_key=True)
