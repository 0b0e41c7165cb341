"""Demo data: client offices' feature wishes, most of them asked for by one of their contacts."""

from __future__ import annotations

from datetime import timedelta

from praclox.clock import today
from praclox.domain import DemoRun
from praclox.wishes import services
from praclox.wishes.models import PRIORITY_VALUES, STATUS_VALUES

TITLES = (
    "Koppeling met het boekhoudpakket",
    "Urenregistratie per dossier",
    "Herinnering voor de btw-aangifte",
    "Digitaal ondertekenen van offertes",
    "Export van de jaarrekening naar Excel",
    "Klantportaal in het Engels",
    "Overzicht van openstaande facturen",
)


def generate(run: DemoRun) -> int:
    """Zero to three wishes for each client office (``praclox demo-data``); flushes, returns how many."""
    rng, offices = run.rng, run.made["offices"]
    added = 0
    for office in offices:
        if office.kind != "client":
            continue
        for title in rng.sample(TITLES, rng.randint(0, 3)):
            requested_on = today() - timedelta(days=rng.randint(0, 400))
            contact = rng.choice(office.contacts) if office.contacts and rng.random() < 0.8 else None
            services.create_wish(office, {
                "title": title, "status": rng.choice(STATUS_VALUES), "priority": rng.choice(PRIORITY_VALUES),
                "requested_on": requested_on, "requested_by_id": contact.id if contact else None,
                "target_date": requested_on + timedelta(days=rng.randint(30, 240)) if rng.random() < 0.4 else None,
            }, actor=None)
            added += 1
    return added
