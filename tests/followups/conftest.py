"""Fixtures of the follow-up tests."""

from __future__ import annotations

from datetime import date

import pytest

from praclox.clock import today
from praclox.extensions import db
from praclox.followups.models import FollowUp


@pytest.fixture
def make_follow_up(app):
    def factory(office_id: int, owner_id: int, title: str = "Nabellen", due_on: date | None = None,
                **fields) -> int:
        with app.app_context():
            row = FollowUp(office_id=office_id, owner_id=owner_id, title=title, due_on=due_on or today(), **fields)
            db.session.add(row)
            db.session.commit()
            return row.id

    return factory
