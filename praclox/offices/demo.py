"""A realistic Dutch demo data set: offices, contacts and their history."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from praclox.clock import today
from praclox.domain import DemoRun
from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office, OfficeKind, Tag, TagGroup

FIRST = ("Anna", "Bram", "Carlijn", "Daan", "Eva", "Femke", "Gijs", "Hanneke", "Iris", "Jeroen", "Karin",
         "Lars", "Marloes", "Niels", "Oscar", "Petra", "Quinten", "Roos", "Sander", "Tessa", "Ruud",
         "Vera", "Wouter", "Yvonne", "Zeger", "Mohamed", "Fatima", "Sanne", "Thijs", "Lotte", "Jan", "Ingrid")
LAST = ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
        "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "Haddou", "Yilmaz", "Postma")
CITIES = (("Amsterdam", "1012"), ("Rotterdam", "3011"), ("Utrecht", "3511"), ("Den Haag", "2511"),
          ("Eindhoven", "5611"), ("Groningen", "9711"), ("Zwolle", "8011"), ("Arnhem", "6811"),
          ("Haarlem", "2011"), ("Leiden", "2311"), ("Breda", "4811"), ("Nijmegen", "6511"), ("Delft", "2611"))
TRADES = ("Accountants", "Advocaten", "Installatietechniek", "Bouw", "Zorggroep", "Logistiek", "Makelaardij",
          "Tandartsen", "Architecten", "Notariaat", "Transport", "Techniek", "Adviesgroep", "Fysiotherapie")
STREETS = ("Kerkstraat", "Stationsweg", "Dorpsstraat", "Molenweg", "Nieuwe Gracht", "Industrieweg",
           "Parallelweg", "Marktplein", "Schoolstraat", "Beukenlaan")
TITLES = ("directeur", "office manager", "eigenaar", "ICT-coördinator", "financieel manager", "praktijkhouder",
          "projectleider", "secretaresse", "HR-adviseur")
SUMMARIES = ("Gebeld over de lopende offerte; terugbellen volgende week.",
             "Bezoek op kantoor: wensen voor het klantportaal besproken.",
             "Vergadering over de planning van de migratie.",
             "Mail gestuurd met de factuur en de handleiding.",
             "Kort telefoontje over een storing in de koppeling; opgelost.",
             "Kennismakingsgesprek; interesse in onderhoudscontract.")


#: offices entered twice (or three times) at these places, as happens in real lists: what merging is for
TWINS = {2: ("Bakker", "Makelaardij"), 7: ("Bakker", "Makelaardij"), 4: ("de Groot", "Techniek"),
         9: ("de Groot", "Techniek"), 11: ("de Groot", "Techniek")}


def _twin_or_not(n: int, family: str, trade: str) -> tuple[str, str]:
    """The family and trade of office ``n``: a planted twin, else the random pick unless it is a twin's name
    (then the next trade, drawing nothing from the random generator so seeds give the same data)."""
    if n in TWINS:
        return TWINS[n]
    if (family.split()[-1].capitalize(), trade) in {(f.split()[-1].capitalize(), t) for f, t in TWINS.values()}:
        trade = TRADES[(TRADES.index(trade) + 1) % len(TRADES)]
    return family, trade


def step(run: DemoRun) -> list[Office]:
    """The offices every other domain's demo data links to, with account managers and tags."""
    offices = generate(run.offices, run.rng)
    segment(offices, run.rng)
    return offices


def generate(count: int, rng: random.Random) -> list[Office]:
    """Add ``count`` offices with 1–5 contacts and 0–8 contact moments each (flushes, does not commit)."""
    offices = []
    start = today()
    for n in range(count):
        city, postcode = rng.choice(CITIES)
        trade = rng.choice(TRADES)
        family, trade = _twin_or_not(n, rng.choice(LAST), trade) if count > max(TWINS) else (rng.choice(LAST), trade)
        office = Office(
            kind=OfficeKind.CLIENT if rng.random() < 0.6 else OfficeKind.PROSPECT,
            name=f"{family.split()[-1].capitalize()} {trade}" + (f" {n + 1}" if n >= 50 else ""),
            visit_street=f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
            visit_postcode=f"{postcode} {rng.choice('ABCDEFGHJKLM')}{rng.choice('ABCDEFGHJKLM')}",
            visit_city=city,
            phone=f"0{rng.randint(10, 79)}-{rng.randint(1000000, 9999999)}",
            email=f"info@{family.replace(' ', '').lower()}{trade.lower()}.nl",
            website=f"www.{family.replace(' ', '').lower()}{trade.lower()}.nl",
            kvk_number=f"{rng.randint(10000000, 99999999)}",
        )
        db.session.add(office)
        for _ in range(rng.randint(1, 5)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            office.contacts.append(
                Contact(
                    first_name=first, last_name=last, job_title=rng.choice(TITLES),
                    email=f"{first.lower()}.{last.replace(' ', '').lower()}@example.nl",
                    phone=office.phone, mobile=f"06-{rng.randint(10000000, 99999999)}",
                )
            )
        for _ in range(rng.randint(0, 8)):
            office.interactions.append(
                Interaction(
                    kind=rng.choice(("call", "meeting", "visit", "email", "other")),
                    occurred_on=start - timedelta(days=rng.randint(0, 900)),
                    summary=rng.choice(SUMMARIES),
                    contact=rng.choice(office.contacts),
                )
            )
        offices.append(office)
    db.session.flush()
    return offices


#: the demo's tag list: a sector per trade, a size, a region per city
SECTORS = {"Accountancy": ("Accountants",), "Juridisch": ("Advocaten", "Notariaat"),
           "Zorg": ("Zorggroep", "Tandartsen", "Fysiotherapie"),
           "Bouw en techniek": ("Installatietechniek", "Bouw", "Techniek", "Architecten"),
           "Logistiek": ("Logistiek", "Transport"), "Vastgoed": ("Makelaardij",), "Advies": ("Adviesgroep",)}
SIZES = ("Klein (tot 10)", "Middelgroot (10-50)", "Groot (50+)")
REGIONS = {"Noord": ("Groningen", "Zwolle"), "Oost": ("Arnhem", "Nijmegen"), "Zuid": ("Eindhoven", "Breda"),
           "Randstad": ("Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Haarlem", "Leiden", "Delft")}


def _tag(name: str, group: TagGroup) -> Tag:
    tag = db.session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        tag = Tag(name=name, tag_group=group.value)
        db.session.add(tag)
    return tag


def segment(offices: list[Office], rng: random.Random) -> None:
    """Tag every office with its sector, a size and its region; give most an account manager.

    The managers are the install's active staff and admins (none yet: the offices stay unassigned).
    """
    from praclox.offices.services import account_managers

    managers = list(db.session.scalars(account_managers()))
    sectors = {trade: _tag(name, TagGroup.SECTOR) for name, trades in SECTORS.items() for trade in trades}
    sizes = [_tag(name, TagGroup.SIZE) for name in SIZES]
    regions = {city: _tag(name, TagGroup.REGION) for name, cities in REGIONS.items() for city in cities}
    for office in offices:
        trade = next((t for t in sectors if f" {t}" in office.name), None)
        office.tags = [t for t in (sectors.get(trade or ""), rng.choice(sizes), regions.get(office.visit_city or ""))
                       if t is not None]
        if managers and rng.random() < 0.85:
            office.account_manager_id = rng.choice(managers).id
    db.session.flush()
