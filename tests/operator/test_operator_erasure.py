"""Erasure and rectification as operated (issue 10 point 3): a real server process, staff and a privacy
officer over HTTP with the production rules (second factor, CSRF), judged on the pages staff get back."""

from __future__ import annotations

import re
from datetime import date

FIRST, LAST = "Hendrika", "Vlasblom"
EMAIL = "hendrika.vlasblom@voorbeeld.nl"
STAFF, OFFICER = "op.staff@praclox.example", "op.officer@praclox.example"


def _created_id(answer) -> int:
    assert answer.status == 302, (answer.status, answer.text[:300])
    return int(re.search(r"/(\d+)(?:/|$)", answer.location).group(1))


def _seed_over_http(staff) -> dict[str, int]:
    """What colleagues typed: a contact with their mobile, history lines that spell the number otherwise,
    and another office whose notes, history and wish name the person."""
    today = date.today().isoformat()
    own = _created_id(staff.submit("/offices/new", name="Kantoor Eigen", kind="client", visit_city="Utrecht"))
    contact = staff.submit(f"/offices/{own}/contacts/new", first_name=FIRST, last_name=LAST, email=EMAIL,
                           phone="+31 6 3333 4444")
    assert contact.status == 302
    logged = staff.submit(f"/offices/{own}", f"/offices/{own}/interactions", kind="call", occurred_on=today,
                          contact_id="0", summary="Terugbellen op 06-33334444 na de vakantie")
    assert logged.status == 302
    other = _created_id(staff.submit("/offices/new", name="Ander Kantoor", kind="prospect", visit_city="Zeist",
                                     notes=f"Aangebracht door {FIRST} {LAST}"))
    assert staff.submit(f"/offices/{other}", f"/offices/{other}/interactions", kind="meeting", occurred_on=today,
                        contact_id="0", summary=f"Lunch met {FIRST} {LAST}, tel (06) 3333 4444").status == 302
    wish = staff.submit(f"/wishes/office/{other}/new", title=f"Koppeling voor {FIRST} {LAST}",
                        description=f"Mail {EMAIL} als het klaar is", status="new", priority="normal",
                        requested_on=today, requested_by_id="")
    assert wish.status == 302, wish.text[:500]
    return {"own": own, "other": other}


def _names_the_person(text: str) -> list[str]:
    found = [t for t in (FIRST, LAST, EMAIL) if t.lower() in text.lower()]
    return found + (["phone"] if "33334444" in re.sub(r"\D", "", text) else [])


def test_an_officer_corrects_from_a_hit_then_erases_by_address_and_staff_see_nothing_left(instance, server, login):
    instance.create_user(STAFF, "staff", name="Operator Medewerker")
    instance.create_user(OFFICER, "privacy_officer", name="Operator FG")
    staff = login(server, instance, STAFF)
    ids = _seed_over_http(staff)
    pages = [f"/offices/{ids['own']}", f"/offices/{ids['other']}", "/wishes/"]
    assert all(_names_the_person(staff.get(p).text) for p in pages)

    officer = login(server, instance, OFFICER)
    search = {"csrf_token": officer.csrf("/privacy-officer/subjects"), "name": "", "email": EMAIL, "phone": ""}
    found = officer.post("/privacy-officer/subjects", search)
    assert found.status == 200 and "Genoemd in: Wens van Ander Kantoor" in found.text
    record = re.search(r'href="(/privacy-officer/records/contacts/\d+)"', found.text).group(1)
    corrected = officer.submit(record, job_title="Inkoper")
    assert corrected.status == 302
    contact_page = re.search(r'href="(/offices/\d+/contacts/\d+)"', staff.get(f"/offices/{ids['own']}").text)
    assert "Inkoper" in staff.get(contact_page.group(1)).text  # the correction, as staff see it

    erased = officer.post("/privacy-officer/subjects/erase", {**search, "person": EMAIL, "confirm": "y"})
    assert erased.status == 302 and erased.location.endswith("/privacy-officer/subjects")
    for path in pages:
        answer = staff.get(path)
        assert answer.status == 200 and _names_the_person(answer.text) == [], path
    assert "[verwijderd]" in staff.get(f"/offices/{ids['other']}").text
