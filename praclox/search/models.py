"""The search index: per searchable record, the keyed terms of its words (``blind.py``), and which key built them.

One table per kind of record, each with a foreign key that deletes a record's terms with the record (an
erased contact, a deleted office or contact moment leaves no term behind, however it was deleted).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, BigInteger, ForeignKey, Index, SmallInteger, String, event
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from praclox.db import Base, UTCDateTime


class _Terms:
    """A term of one record: the primary key (term, record) is also the lookup index of a search."""

    #: the keyed hash of a word or a word's beginning (``blind.record_terms``); meaningless without the key
    term: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    #: how much a match counts: names above other fields, other fields above free text
    weight: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    _target: str

    @declared_attr
    def record_id(cls) -> Mapped[int]:  # noqa: N805  (declared_attr receives the class)
        return mapped_column(ForeignKey(f"{cls._target}.id", ondelete="CASCADE"), primary_key=True,
                             autoincrement=False, index=True)


class OfficeTerm(_Terms, Base):
    __tablename__ = "office_search_terms"
    # offices and contacts rank a word's records by weight, then newest: read in this index's order, without the
    # table and without sorting every record holding a common name (contact moments have one weight: the
    # primary key's order is their rank)
    __table_args__ = (Index("ix_office_search_terms_rank", "term", "weight", "record_id"),)
    _target = "offices"


class ContactTerm(_Terms, Base):
    __tablename__ = "contact_search_terms"
    __table_args__ = (Index("ix_contact_search_terms_rank", "term", "weight", "record_id"),)
    _target = "contacts"


class InteractionTerm(_Terms, Base):
    __tablename__ = "interaction_search_terms"
    _target = "interactions"


class SearchIndexState(Base):
    """One row: the fingerprint of the key the index was built with (NULL: nothing indexed yet)."""

    __tablename__ = "search_index_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    key_check: Mapped[str | None] = mapped_column(String(32))
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# the one row exists from the start, so writers only ever update it (the migration inserts it too)
event.listen(SearchIndexState.__table__, "after_create", DDL("INSERT INTO search_index_state (id) VALUES (1)"))
