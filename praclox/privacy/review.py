"""What an erasure could not decide: records that may still name the erased person, for the officer.

An item names a record and its columns, never a value. The officer opens the record from the list,
corrects it (the item is then "corrected") or confirms that nothing of the person is left ("kept"). The
request the erasure answers stays open until every item is resolved, and then completes.
"""

from __future__ import annotations

from sqlalchemy import select

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.db import utcnow
from praclox.extensions import db
from praclox.privacy.models import PrivacyRequest, ReviewItem, Tombstone
from praclox.privacy.registry import Hit
from praclox.privacy.requests import close_request

RESOLUTIONS = ("corrected", "kept")


def add_items(tombstone: Tombstone, request: PrivacyRequest | None, hits: list[Hit]) -> list[ReviewItem]:
    """One item per undecided record of an erasure. The caller commits."""
    items = [ReviewItem(tombstone_id=tombstone.id, request_id=request.id if request is not None else None,
                        record_type=hit.record_type, record_id=hit.record_id,
                        columns=",".join(hit.extra.get("columns", []))[:200]) for hit in hits]
    db.session.add_all(items)
    db.session.flush()
    return items


def open_items(*, tombstone_id: int | None = None, request_id: int | None = None,
               record: tuple[str, int] | None = None) -> list[ReviewItem]:
    stmt = select(ReviewItem).where(ReviewItem.resolved_at.is_(None))
    if tombstone_id is not None:
        stmt = stmt.where(ReviewItem.tombstone_id == tombstone_id)
    if request_id is not None:
        stmt = stmt.where(ReviewItem.request_id == request_id)
    if record is not None:
        stmt = stmt.where(ReviewItem.record_type == record[0], ReviewItem.record_id == record[1])
    return list(db.session.scalars(stmt.order_by(ReviewItem.id)))


def items_of(tombstone_id: int) -> list[ReviewItem]:
    stmt = select(ReviewItem).where(ReviewItem.tombstone_id == tombstone_id).order_by(ReviewItem.id)
    return list(db.session.scalars(stmt))


def resolve(item: ReviewItem, resolution: str, *, actor: User | None) -> bool:
    """Mark an item done; completes the erasure's request when it was the last open one. False when the
    item was already resolved (nothing changes)."""
    if resolution not in RESOLUTIONS:
        raise ValueError(resolution)
    if not item.is_open:
        return False
    item.resolved_at, item.resolution = utcnow(), resolution
    item.resolved_by_id = getattr(actor, "id", None)
    audit("review", item, fields=[resolution], actor=actor)
    db.session.flush()
    _complete_request(item, actor=actor)
    return True


def resolve_record(record_type: str, record_id: int, *, actor: User | None) -> int:
    """The officer corrected this record: every open item about it is done."""
    items = open_items(record=(record_type, record_id))
    return sum(resolve(item, "corrected", actor=actor) for item in items)


def _complete_request(item: ReviewItem, *, actor: User | None) -> None:
    request = db.session.get(PrivacyRequest, item.request_id) if item.request_id else None
    if request is None or not request.is_open or open_items(request_id=request.id):
        return
    close_request(request, status="completed", outcome=f"erased, tombstone #{item.tombstone_id}", actor=actor)
