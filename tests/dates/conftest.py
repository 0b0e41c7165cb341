from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from praclox.extensions import db


@pytest.fixture
def make_contact(app, make_office) -> Callable[..., int]:
    """Create a contact (in a new or given office) and return its id."""
    from praclox.offices import services
    from praclox.offices.models import Office

    counter = iter(range(1, 10_000))

    def factory(first: str = "Anna", last: str = "de Vries", office_id: int | None = None, **fields: Any) -> int:
        with app.test_request_context():
            if office_id is None:
                office_id = make_office(name=f"Kantoor {next(counter)}")
            office = db.session.get(Office, office_id)
            contact = services.create_contact(office, {"first_name": first, "last_name": last, **fields}, actor=None)
            db.session.commit()
            return contact.id

    return factory


@pytest.fixture
def make_date(app) -> Callable[..., int]:
    """Add a personal date to a contact: ``make_date(contact_id, "birthday", 5, 14, 1976)``."""
    from praclox.dates import services
    from praclox.offices.models import Contact

    def factory(contact_id: int, kind: str = "birthday", month: int = 1, day: int = 1, year: int | None = None,
                **fields: Any) -> int:
        with app.test_request_context():
            contact = db.session.get(Contact, contact_id)
            item = services.create_date(contact, {"kind": kind, "month": month, "day": day, "year": year, **fields},
                                        actor=None)
            db.session.commit()
            return item.id

    return factory
