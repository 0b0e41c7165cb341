"""The two data sets every benchmark runs on: ``seeded`` (plain Dutch names) and ``shaped`` (differently shaped).

``shaped`` has long accented names with commas, semicolons and backslashes, office names near the 200-character
limit, more children and more weddings per contact: the data that made the feed 15x slower than the
team's own benchmark showed (issue 16). Both are generated from a seed, so two runs compare.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

SHAPES = ("seeded", "shaped")

_FIRST = ("Anna", "Bram", "Carlijn", "Daan", "Eva", "Femke", "Gijs", "Iris", "Jeroen", "Karin", "Lars")
_LAST = ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder")
_FIRST_SHAPED = ("Zoë", "Anaïs", "José-María", "Ðorđe", "Séverine", "Łukasz", "Ève; Marie", "Chloë, Jr.",
                 "Jürgen", "Øystein", "Ælfgifu", "Renée-Louise")
_LAST_SHAPED = ("van Oranje-Nassau tot Amsberg en Lippe-Biesterfeld", "Ångström-van den Heuvel, née Çelik",
                "d'Alembert; Saint-Exupéry", "Müller-Lüdenscheidt", "Ó Súilleabháin \\ Nic Giolla",
                "Nguyễn Thị Minh Khai", "de la Fuente y Sánchez-Vizcaíno", "Ørsted-Åkerlund")
_OFFICE_SHAPED = ("Coöperatieve Vereniging Zuid-Hollandse Ondernemers, Adviseurs & Accountants; vestiging "
                  "'s-Hertogenbosch – afdeling Één-op-één begeleiding, gedetacheerd bij Gemeente Súdwest-Fryslân")


_JOBS = ("Controller", "Directeur", "Office manager", "Belastingadviseur", "Assistent-accountant", None)


def _kinds(shape: str) -> tuple[str, ...]:
    if shape == "shaped":  # many children, many weddings
        return ("birthday", "child_birthday", "child_birthday", "wedding", "wedding")
    return ("birthday", "birthday", "child_birthday", "wedding")


def populate(db: Any, shape: str, *, contacts: int = 10_000, dates: int = 25_000, seed: int = 3,
             office_ids_from: int = 1) -> None:
    """Offices (four contacts each), contacts and personal dates, inserted in bulk and committed."""
    from praclox.dates.models import PersonalDate
    from praclox.offices.models import Contact, Office

    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    moment = datetime.now(UTC)
    shaped = shape == "shaped"
    office_count = max(1, contacts // 4)
    db.session.execute(insert(Office), [
        {"id": office_ids_from + i, "kind": "client" if i % 3 else "prospect",
         "name": (f"{_OFFICE_SHAPED[:180]} {i}" if shaped else f"Kantoor {i}"),
         "visit_city": rng.choice(("Utrecht", "Den Haag", "Zwolle", "Groningen", "Súdwest-Fryslân")),
         "created_at": moment, "updated_at": moment} for i in range(office_count)])
    first, last = (_FIRST_SHAPED, _LAST_SHAPED) if shaped else (_FIRST, _LAST)
    first_contact = db.session.scalar(db.select(db.func.coalesce(db.func.max(Contact.id), 0))) + 1
    db.session.execute(insert(Contact), [
        {"id": first_contact + i, "office_id": office_ids_from + i // 4, "first_name": rng.choice(first),
         "last_name": rng.choice(last) + ("" if shaped else f" {i}"), "active": True, "needs_review": False,
         "email": f"contact{i}@example.nl", "phone": f"06-{10_000_000 + i}", "phone_key": f"316{10_000_000 + i}",
         "job_title": rng.choice(_JOBS), "created_at": moment, "updated_at": moment}
        for i in range(contacts)])
    kinds = _kinds(shape)
    rows = []
    for i in range(dates):
        kind = kinds[i % len(kinds)]
        year = rng.randint(1950, 2020) if rng.random() < 0.8 else None
        month, day = rng.randint(1, 12), (rng.randint(1, 28) if rng.random() < 0.995 else 29)
        if month == 2 and day == 29 and year is not None and year % 4:
            year += 4 - year % 4
        person = None
        if kind != "birthday":
            person = rng.choice(("Sophie", "Daan", "Emma", None) if not shaped else
                                ("Zoë-Fleur", "Maël; Jr.", "Ånne, de jongste", "Renée\\Chloë", None))
        rows.append({
            "contact_id": first_contact + i % contacts, "kind": kind, "month": month, "day": day, "year": year,
            "person_name": person, "gender": rng.choice(("", "f", "m")), "leap_rule": "feb28", "version": 0,
            "created_at": moment, "updated_at": moment - timedelta(seconds=rng.randint(0, 10**7)),
        })
    db.session.execute(insert(PersonalDate), rows)
    db.session.commit()


_WORDS = ("offerte", "jaarrekening", "btw-aangifte", "salarisadministratie", "loonheffing", "controle",
          "vennootschapsbelasting", "besproken", "teruggebeld", "afspraak", "volgende", "week", "kwartaal",
          "rapportage", "factuur", "herinnering", "subsidie", "investering", "begroting", "prognose",
          "fusie", "overname", "dga-salaris", "pensioen", "lijfrente", "erfbelasting", "schenking",
          "hypotheek", "zzp", "urencriterium", "werkkostenregeling", "inventaris", "voorraad", "debiteuren",
          "crediteuren", "liquiditeit", "bank", "financiering", "lening", "rente", "aflossing", "contract",
          "opzegging", "verlenging", "tarief", "korting", "telefonisch", "bezoek", "kantoor", "mail")
_WORDS_SHAPED = ("coöperatie", "éénmanszaak", "naïef", "reünie", "ruïne", "financiële", "geïnvesteerd",
                 "patiënten", "café", "privé", "überhaupt", "crèche", "façade", "geëvalueerd", "beëindiging")


def add_interactions(db: Any, shape: str, *, count: int = 50_000, seed: int = 5) -> None:
    """Contact moments with summaries of 8 to 20 words (encrypted like every summary), spread over the offices
    and contacts already there; inserted in bulk (around the ORM, so the search index needs a rebuild)."""
    from praclox.offices.models import Contact, Interaction

    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    contacts = db.session.execute(db.select(Contact.id, Contact.office_id)).all()
    words = _WORDS + (_WORDS_SHAPED if shape == "shaped" else ())
    moment = datetime.now(UTC)
    for start in range(0, count, 5_000):
        rows = []
        for n in range(start, min(count, start + 5_000)):
            contact_id, office_id = contacts[n % len(contacts)]
            summary = " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize() + "."
            rows.append({"office_id": office_id, "contact_id": contact_id, "kind": "call", "summary": summary,
                         "occurred_on": (moment - timedelta(days=rng.randint(0, 2000))).date(),
                         "created_at": moment, "updated_at": moment})
        db.session.execute(insert(Interaction), rows)
    db.session.commit()
