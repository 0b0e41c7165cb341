"""The window queries behind the dashboard, the month view and the digests, with the clock frozen."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from praclox.extensions import db


def entries(app, start, end, **kw):
    from praclox.dates import services

    with app.test_request_context():
        return [(e.row.contact_name, e.occ.on, e.occ.count, e.occ.half) for e in services.entries_between(start, end,
                                                                                                          **kw)]


@time_machine.travel(datetime(2027, 2, 27, 8, 0, tzinfo=UTC), tick=False)
def test_leap_day_dates_in_a_common_year_window(app, make_contact, make_date):
    make_date(make_contact("Anna", "Aal"), "birthday", 2, 29, 1996)
    make_date(make_contact("Bert", "Boom"), "birthday", 2, 29, 1996, leap_rule="mar1")
    make_date(make_contact("Cor", "Cactus"), "wedding", 8, 29, 2014, leap_rule="mar1")  # 12½ on 1 March 2027
    got = entries(app, date(2027, 2, 27), date(2027, 3, 2))
    assert got == [("Anna Aal", date(2027, 2, 28), 31, False), ("Bert Boom", date(2027, 3, 1), 31, False),
                   ("Cor Cactus", date(2027, 3, 1), 12, True)]
    assert entries(app, date(2028, 2, 28), date(2028, 3, 1))[:2] == [("Anna Aal", date(2028, 2, 29), 32, False),
                                                                      ("Bert Boom", date(2028, 2, 29), 32, False)]


def test_year_boundary_window(app, make_contact, make_date):
    make_date(make_contact("Anna", "Aal"), "birthday", 12, 31, 1980)
    make_date(make_contact("Bert", "Boom"), "birthday", 1, 1, 1980)
    make_date(make_contact("Cor", "Cactus"), "wedding", 7, 1, 2014)  # 12½ on 1 January 2027
    make_date(make_contact("Dirk", "Dijk"), "birthday", 1, 15)  # no year
    got = entries(app, date(2026, 12, 30), date(2027, 1, 2))
    assert got == [("Anna Aal", date(2026, 12, 31), 46, False), ("Bert Boom", date(2027, 1, 1), 47, False),
                   ("Cor Cactus", date(2027, 1, 1), 12, True)]
    assert entries(app, date(2027, 1, 15), date(2027, 1, 15)) == [("Dirk Dijk", date(2027, 1, 15), None, False)]


def test_ended_dates_appear_nowhere_and_keep_their_reason(app, make_contact, make_date):
    from praclox.dates import services
    from praclox.dates.models import PersonalDate

    item = make_date(make_contact("Anna", "Aal"), "wedding", 5, 5, 2000)
    assert len(entries(app, date(2026, 5, 1), date(2026, 5, 31))) == 1
    with app.test_request_context():
        services.end_date(db.session.get(PersonalDate, item), "marriage_ended", date(2026, 1, 1), actor=None)
        db.session.commit()
        with pytest.raises(services.DateError):
            services.end_date(db.session.get(PersonalDate, item), "deceased", actor=None)
    assert entries(app, date(2026, 5, 1), date(2026, 5, 31)) == []


def test_child_cut_off_setting(app, admin_client, make_contact, make_date):
    make_date(make_contact("Anna", "Aal"), "child_birthday", 5, 5, 2000, person_name="Sophie")
    assert len(entries(app, date(2026, 5, 1), date(2026, 5, 31))) == 1
    with app.test_request_context():
        from praclox.settings.services import set_value

        set_value("dates.child_cutoff_age", "18", actor=None)
        db.session.commit()
    assert entries(app, date(2026, 5, 1), date(2026, 5, 31)) == []
    assert len(entries(app, date(2018, 5, 1), date(2018, 5, 31))) == 1


def test_filters_by_kind_and_office(app, make_office, make_contact, make_date):
    office = make_office(name="Aal BV")
    make_date(make_contact("Anna", "Aal", office_id=office), "birthday", 5, 5, 1980)
    make_date(make_contact("Bert", "Boom"), "wedding", 5, 6, 2000)
    assert [e[0] for e in entries(app, date(2026, 5, 1), date(2026, 5, 31), kinds=["wedding"])] == ["Bert Boom"]
    assert [e[0] for e in entries(app, date(2026, 5, 1), date(2026, 5, 31), office_id=office)] == ["Anna Aal"]
    assert entries(app, date(2026, 5, 1), date(2026, 5, 31), kinds=[]) == []


def test_validation_refuses_bad_dates(app):
    from praclox.dates.services import DateError, validate

    for data, code in [({"kind": "birthday", "month": 4, "day": 31}, "date"),
                       ({"kind": "birthday", "month": 2, "day": 29, "year": 1981}, "date"),
                       ({"kind": "birthday", "month": 1, "day": 1, "year": 2100}, "future"),
                       ({"kind": "party", "month": 1, "day": 1}, "kind"),
                       ({"kind": "wedding", "month": 1, "day": 1, "leap_rule": "mar2"}, "leap_rule")]:
        with pytest.raises(DateError) as caught:
            validate(data, on=date(2026, 11, 22))
        assert caught.value.code == code
    clean = validate({"kind": "birthday", "month": "2", "day": "29", "person_name": "x"}, on=date(2026, 11, 22))
    assert clean["person_name"] is None and clean["year"] is None
