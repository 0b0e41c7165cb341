"""Demo data: some contacts of client offices registered on the website, linked to their contact record."""

from __future__ import annotations

from praclox.domain import DemoRun
from praclox.registrations import services


def generate(run: DemoRun) -> int:
    """About a third of the client offices' contacts with an address get a registration (``praclox demo-data``);
    most are confirmed, some are on the newsletter. Flushes, does not commit; returns how many were added."""
    rng, offices = run.rng, run.made["offices"]
    added = 0
    for office in offices:
        if office.kind != "client":
            continue
        for contact in office.contacts:
            if not contact.email or rng.random() > 0.35 or services.get_by_email(contact.email) is not None:
                continue
            registration, _due = services.register(
                services.Submitted(contact.full_name, contact.email, rng.random() < 0.6, "demo data"), source="staff"
            )
            registration.office_id, registration.contact_id = office.id, contact.id
            registration.client_access = rng.random() < 0.7
            if rng.random() < 0.8:
                services.confirm(registration)
            added += 1
    return added
