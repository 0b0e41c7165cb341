"""Offices (clients and prospects), their contacts, and the history of every contact moment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from praclox import phones
from praclox.crypto import EncryptedText
from praclox.db import NEVER_REUSE_IDS, Base, TimestampMixin, UTCDateTime
from praclox.vocabulary import Vocabulary


class OfficeKind(Vocabulary):
    PROSPECT = "prospect", _l("Prospect")
    CLIENT = "client", _l("Client")


class InteractionKind(Vocabulary):
    CALL = "call", _l("Call")
    MEETING = "meeting", _l("Meeting")
    VISIT = "visit", _l("Visit")
    EMAIL = "email", _l("E-mail")
    OTHER = "other", _l("Other")


class TagGroup(Vocabulary):
    """What a tag says about an office; FREE holds the tags staff typed themselves (when the admin allows it)."""

    SECTOR = "sector", _l("Sector")
    SIZE = "size", _l("Size")
    REGION = "region", _l("Region")
    OTHER = "other", _l("Other")
    FREE = "free", _l("Free tag")


#: which office carries which tag; the tag-first index serves the tag filter and the counts
office_tags = Table(
    "office_tags",
    Base.metadata,
    Column("office_id", ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_office_tags_tag_office", "tag_id", "office_id"),
)


class Tag(TimestampMixin, Base):
    """A segment label on offices (sector, size, region, ...), from the admin's list or typed by staff."""

    __tablename__ = "tags"
    __table_args__ = (CheckConstraint(TagGroup.check("tag_group"), name="tag_group_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: unique regardless of case: the services compare lower-cased before they add one
    name: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    tag_group: Mapped[str] = mapped_column(String(16), nullable=False, default=TagGroup.OTHER.value)

    @property
    def group_label(self) -> str:
        return TagGroup.label_of(self.tag_group)

    def __repr__(self) -> str:
        return f"<Tag {self.id}>"


def _name_block(name: str | None) -> str | None:
    from praclox.offices.twins import name_block

    return name_block(name)


def _twin_key(column: str, value: str | None) -> str | None:
    """The normal form the duplicate check compares ``column`` in (``twins.twin_key``), ``None`` when empty."""
    from praclox.offices.twins import twin_key

    return twin_key(column, value)


def _twin_key_default(column: str) -> Any:
    """A column default that fills the key from its column for inserts around the ORM (imports, bulk loads)."""
    return lambda context: _twin_key(column, context.get_current_parameters().get(column))


class Office(TimestampMixin, Base):
    __tablename__ = "offices"
    __table_args__ = (CheckConstraint(OfficeKind.check("kind"), name="kind_known"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default=OfficeKind.PROSPECT.value)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    #: the first letters of the name as the duplicate check compares names (``twins.name_block``), kept by
    #: ``_keep_name_block`` (and filled for bulk inserts by its default): one office's likely twins are one
    #: index look-up instead of a comparison with every office
    name_block: Mapped[str | None] = mapped_column(String(8), index=True, default=lambda context: _name_block(
        context.get_current_parameters().get("name")))
    visit_street: Mapped[str | None] = mapped_column(String(200))
    visit_postcode: Mapped[str | None] = mapped_column(String(10))
    visit_city: Mapped[str | None] = mapped_column(String(100), index=True)
    postal_street: Mapped[str | None] = mapped_column(String(200))
    postal_postcode: Mapped[str | None] = mapped_column(String(10))
    postal_city: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(200))
    #: Chamber of Commerce (KvK) number: eight digits
    kvk_number: Mapped[str | None] = mapped_column(String(8), index=True)
    #: the e-mail address, website host and phone number in the normal forms the duplicate check compares
    #: (``twins.twin_key``), kept by ``_keep_twin_keys``: one office's likely twins are index look-ups, not a
    #: scan of every office's address for a suffix
    email_key: Mapped[str | None] = mapped_column(String(254), index=True, default=_twin_key_default("email"))
    website_key: Mapped[str | None] = mapped_column(String(200), index=True, default=_twin_key_default("website"))
    phone_key: Mapped[str | None] = mapped_column(String(30), index=True, default=_twin_key_default("phone"))
    notes: Mapped[str | None] = mapped_column(Text)
    #: when a prospect became a client; history is kept across the conversion
    became_client_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the colleague who looks after this office ("my offices"); a deleted user leaves it unassigned
    account_manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    account_manager = relationship("User", foreign_keys=[account_manager_id])
    tags: Mapped[list[Tag]] = relationship(secondary=office_tags, order_by="(Tag.tag_group, Tag.name)")

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="office", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(Contact.last_name, Contact.first_name)",
    )
    interactions: Mapped[list[Interaction]] = relationship(
        back_populates="office", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(Interaction.occurred_on.desc(), Interaction.id.desc())",
    )
    conversions: Mapped[list[OfficeConversion]] = relationship(
        back_populates="office", cascade="all, delete-orphan", passive_deletes=True,
        order_by="OfficeConversion.converted_at.desc()",
    )

    @validates("name")
    def _keep_name_block(self, _column: str, name: str) -> str:
        self.name_block = _name_block(name)
        return name

    @validates("email", "website", "phone")
    def _keep_twin_keys(self, column: str, value: str | None) -> str | None:
        setattr(self, f"{column}_key", _twin_key(column, value))
        return value

    @property
    def is_client(self) -> bool:
        return self.kind == OfficeKind.CLIENT.value

    @property
    def kind_label(self) -> str:
        return OfficeKind.label_of(self.kind)

    def __repr__(self) -> str:
        return f"<Office {self.id}>"


# the office list sorted by city: one index walk instead of a sort of every office
Index("ix_offices_city_name", Office.visit_city, Office.name)


class Contact(TimestampMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("(active AND left_on IS NULL) OR (NOT active)", name="left_only_when_inactive"),
        Index("ix_contacts_name", "last_name", "first_name"),
        Index("ix_contacts_job_title", "job_title"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), nullable=False, index=True)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    job_title: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(30))
    mobile: Mapped[str | None] = mapped_column(String(30))
    #: the phone and mobile numbers in one normal form (praclox.phones), kept by ``_keep_phone_keys``: the
    #: contacts list finds "06-1234 5678" when "+31 6 12345678" was typed
    phone_key: Mapped[str | None] = mapped_column(String(20), index=True)
    mobile_key: Mapped[str | None] = mapped_column(String(20), index=True)
    #: encrypted at rest like the history: what staff note about a person may be confidential
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    active: Mapped[bool] = mapped_column(default=True, nullable=False)
    #: the day the contact left the office; their personal dates end with it
    left_on: Mapped[date | None] = mapped_column(Date)
    #: set when the contact left: the record waits for a review (keep or erase)
    needs_review: Mapped[bool] = mapped_column(default=False, nullable=False)

    office: Mapped[Office] = relationship(back_populates="contacts")
    interactions: Mapped[list[Interaction]] = relationship(back_populates="contact", passive_deletes=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @validates("phone", "mobile")
    def _keep_phone_keys(self, column: str, number: str | None) -> str | None:
        setattr(self, f"{column}_key", phones.normalise(number) or None)
        return number

    def __repr__(self) -> str:
        return f"<Contact {self.id}>"


class Interaction(TimestampMixin, Base):
    __tablename__ = "interactions"
    __table_args__ = (
        CheckConstraint(InteractionKind.check("kind"), name="kind_known"),
        Index("ix_interactions_office_date", "office_id", "occurred_on"),
        # the activity timeline across offices and the dashboard: newest first, then by id (PostgreSQL needs the id
        # in the index for that order without a sort; SQLite keeps it in every index anyway), and per user
        Index("ix_interactions_date", "occurred_on", "id"),
        Index("ix_interactions_user_date", "logged_by_id", "occurred_on"),
        # the use analysis, read from the index alone: moments per day and kind, and per office and kind; also the
        # offices contacted since a day (the office list's "without contact" filter)
        Index("ix_interactions_date_kind_office", "occurred_on", "kind", "office_id"),
        # the use analysis: moments per logging hour
        Index("ix_interactions_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), nullable=False)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    #: encrypted at rest: a summary often holds what was said in confidence
    summary: Mapped[str] = mapped_column(EncryptedText, nullable=False)
    #: indexed with the date (ix_interactions_user_date): the timeline per user
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when the entry was last changed after it was logged (shown as "edited"; who did it is in the audit trail)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Office] = relationship(back_populates="interactions")
    contact: Mapped[Contact | None] = relationship(back_populates="interactions")
    logged_by = relationship("User")

    def __repr__(self) -> str:
        return f"<Interaction {self.id}>"


class OfficeConversion(Base):
    """A prospect became a client: an entry in the office's history (and the activity timeline)."""

    __tablename__ = "office_conversions"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), nullable=False, index=True)
    converted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    converted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    office: Mapped[Office] = relationship(back_populates="conversions")
    converted_by = relationship("User")

    def __repr__(self) -> str:
        return f"<OfficeConversion {self.id}>"
