"""`praclox feed create`, the privacy registry of the dates domain, demo data and the migration."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from praclox.extensions import db


def test_feed_create_prints_the_url_once(app, runner, make_user, monkeypatch):
    from praclox.dates.feeds import hash_token
    from praclox.dates.models import Feed

    make_user("staff", email="anna@praclox.nl")
    app.config["BASE_URL"] = "https://crm.praclox.nl"
    result = runner.invoke(args=["feed", "create", "Anna@Praclox.nl", "--name", "telefoon"])
    assert result.exit_code == 0, result.output
    url = result.output.strip()
    match = re.fullmatch(r"https://crm\.praclox\.nl/feeds/([A-Za-z0-9_-]{43,})\.ics", url)
    assert match
    with app.app_context():
        feed = db.session.scalars(select(Feed)).one()
        assert feed.token_hash == hash_token(match.group(1)) and feed.name == "telefoon"
    assert app.test_client().get(url.replace("https://crm.praclox.nl", "")).status_code == 200
    missing = runner.invoke(args=["feed", "create", "nobody@praclox.nl", "--name", "x"])
    assert missing.exit_code != 0 and "no user" in missing.output


def test_every_personal_column_is_declared(app):
    from praclox.dates.models import Congratulation, PersonalDate
    from praclox.privacy.registry import all_fields

    with app.app_context():
        declared = {(f.table, f.column) for f in all_fields()}
    technical = {"id", "contact_id", "kind", "leap_rule", "version", "created_at", "updated_at", "personal_date_id",
                 "half", "by_id"}
    for model in (PersonalDate, Congratulation):
        for column in model.__table__.columns:
            if column.name not in technical:
                assert (model.__tablename__, column.name) in declared, column.name
    with app.app_context():
        assert next(f for f in all_fields() if f.column == "notes" and f.table == "personal_dates").encrypted


def test_find_export_and_erase_a_persons_dates(app, make_contact, make_date):
    from praclox.dates import privacy
    from praclox.dates.models import Congratulation, PersonalDate
    from praclox.privacy.registry import SubjectQuery, domains

    anna = make_contact("Anna", "de Vries", email="anna@example.nl")
    birthday = make_date(anna, "birthday", 5, 14, 1976, notes="tulpen")
    make_date(anna, "child_birthday", 1, 2, 2009, person_name="Sophie")
    other = make_contact("Bert", "Boom")
    make_date(other, "birthday", 6, 6, 1980)
    with app.test_request_context():
        assert domains()["dates"] is privacy
        db.session.add(Congratulation(personal_date_id=birthday, occurrence_year=2026, how="card"))
        db.session.commit()
        hits = privacy.find(SubjectQuery(email="ANNA@example.nl"))
        assert len(hits) == 2 and {h.person_key for h in hits} == {"anna@example.nl"}
        child = privacy.find(SubjectQuery(name="Sophie de Vries"))
        assert [h.extra["named_as_child_or_partner"] for h in child] == [True]
        exported = privacy.export(hits)["personal_dates"]
        assert exported[0]["notes"] == "tulpen" and exported[0]["congratulations"][0]["how"] == "card"
        counts = privacy.erase(hits, actor=None)
        db.session.commit()
        assert counts == {"personal_dates": 2, "congratulations": 1}
        remaining = db.session.scalars(select(PersonalDate)).all()
        assert [d.contact_id for d in remaining] == [other]
        assert privacy.find(SubjectQuery()) == []


def test_notes_are_encrypted_at_rest(app, make_contact, make_date):
    make_date(make_contact(), "birthday", 5, 14, 1976, notes="geheime cadeautip")
    with app.app_context():
        raw = db.session.execute(db.text("SELECT notes FROM personal_dates")).scalar()
        assert "geheime" not in raw


def test_deleting_a_contact_removes_its_dates_and_moves_the_feed_stamp(app, make_contact, make_date):
    from praclox.dates.models import PersonalDate
    from praclox.dates.services import calendar_changed_at
    from praclox.offices import services
    from praclox.offices.models import Contact

    contact = make_contact()
    make_date(contact, "birthday", 5, 14, 1976)
    with app.test_request_context():
        before = calendar_changed_at()
        services.delete_contact(db.session.get(Contact, contact), actor=None)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(PersonalDate)) == 0
        assert calendar_changed_at() > before


def test_demo_data_gives_contacts_dates(app, runner):
    from praclox.dates.models import PersonalDate

    result = runner.invoke(args=["demo-data", "--offices", "8", "--seed", "3"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        kinds = {k for (k,) in db.session.execute(select(PersonalDate.kind))}
        assert kinds == {"birthday", "child_birthday", "wedding"}
