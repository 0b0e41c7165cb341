"""Three promises of the privacy statement as operated (issue 10): time-limited support access, the access
request with a machine-readable copy, and the objection to newsletters through the one-click link of a raw
mail. A real server process, users over HTTP with the second factor, ``praclox`` subprocesses, raw SMTP bytes."""

from __future__ import annotations

import http.client
import json
import re
from datetime import date
from urllib.parse import urlsplit

from operator_http import Answer, Browser

ADMIN, SUPPORT = "rights.admin@praclox.example", "rights.support@praclox.example"
STAFF, OFFICER = "rights.staff@praclox.example", "rights.officer@praclox.example"


def _created_id(answer) -> int:
    assert answer.status == 302, (answer.status, answer.text[:300])
    return int(re.search(r"/(\d+)(?:/|$)", answer.location).group(1))


def _users(instance) -> None:
    for email, role, name in ((ADMIN, "admin", "Rechten Beheerder"), (STAFF, "staff", "Rechten Medewerker"),
                              (OFFICER, "privacy_officer", "Rechten FG")):
        if email not in instance.passwords:
            instance.create_user(email, role, name=name)


def _grant(admin: Browser, user_email: str) -> Answer:
    """The admin's grant form. It is behind re-authentication; the admin's login a moment ago is that
    authentication (the window is at least one minute, and this test moves no clock)."""
    page = admin.get("/admin/support/")
    assert page.status == 200, (page.status, page.location)
    user_id = re.search(r'<option value="(\d+)"[^>]*>[^<]*' + re.escape(user_email), page.text).group(1)
    return admin.submit("/admin/support/", user_id=user_id, scope="offices", hours="1",
                        reason="Storing bij het exporteren van kantoren")


def _one_click(server, path: str) -> int:
    """The POST a mail program sends for RFC 8058: no cookie, no Referer, no CSRF token (the proxy adds
    X-Forwarded-Proto)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request("POST", path, body=b"List-Unsubscribe=One-Click", headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-Proto": "https"})
        return conn.getresponse().status
    finally:
        conn.close()


def test_support_access_reaches_only_its_scope_until_revoked_and_the_audit_trail_shows_it(instance, server, login):
    _users(instance)
    instance.create_user(SUPPORT, "support", name="Rechten Support")
    staff = login(server, instance, STAFF)
    office = _created_id(staff.submit("/offices/new", name="Kantoor Steunpunt", kind="client", visit_city="Gouda"))
    support = login(server, instance, SUPPORT)
    assert support.get(f"/offices/{office}").status == 403  # no grant, no access

    admin = login(server, instance, ADMIN)
    granted = _grant(admin, SUPPORT)
    assert granted.status == 302, granted.text[:500]
    assert "Kantoor Steunpunt" in support.get(f"/offices/{office}").text
    assert support.get("/offices/").status == 200
    for outside in ("/wishes/", "/privacy-officer/audit", "/admin/support/", "/registrations/"):
        assert support.get(outside).status == 403, outside  # only the granted scope
    edit = support.post(f"/offices/{office}/edit", {"csrf_token": support.csrf(f"/offices/{office}"), "name": "X"})
    assert edit.status == 403 and "Kantoor Steunpunt" in staff.get(f"/offices/{office}").text  # reading only

    revoked = admin.submit("/admin/support/", "/revoke")
    assert revoked.status == 302
    assert support.get(f"/offices/{office}").status == 403  # the grant's end: no access
    assert support.get("/offices/").status == 403

    officer = login(server, instance, OFFICER)
    trail = officer.get("/privacy-officer/audit?record_type=support_grants")
    rows = [re.sub(r"<[^>]+>", " ", r) for r in re.findall(r"<tr><td>.*?</tr>", trail.text, re.S)]
    assert trail.status == 200
    assert any("Rechten Beheerder" in r and "aangemaakt" in r and "Supporttoegang #" in r for r in rows), rows
    assert any("Rechten Beheerder" in r and "gewijzigd" in r and "Revoked at" in r for r in rows), rows
    overview = officer.get("/privacy-officer/support")
    assert overview.status == 200 and "Rechten Support" in overview.text
    assert "Storing bij het exporteren van kantoren" in overview.text


def test_an_access_request_gives_a_machine_readable_copy_with_the_persons_data(instance, server, login):
    first, last, email = "Geertruida", "Hoogendoorn", "geertruida.hoogendoorn@voorbeeld.nl"
    _users(instance)
    staff = login(server, instance, STAFF)
    own = _created_id(staff.submit("/offices/new", name="Kantoor Inzage", kind="client", visit_city="Delft"))
    assert staff.submit(f"/offices/{own}/contacts/new", first_name=first, last_name=last, email=email,
                        phone="+31 6 1212 3434").status == 302

    officer = login(server, instance, OFFICER)
    made = officer.submit("/privacy-officer/requests/new", requester_name=f"{first} {last}",
                          requester_contact=email, kind="access", received_on=date.today().isoformat(), due_on="")
    assert made.status == 302, made.text[:500]
    found = officer.submit(made.location, "/privacy-officer/subjects")
    assert found.status == 200 and email in found.text
    fields = officer.form(found, "/privacy-officer/subjects/access.json")
    copy = officer.post("/privacy-officer/subjects/access.json", fields)
    assert copy.status == 200 and copy.headers["content-type"].startswith("application/json")
    assert "attachment" in copy.headers.get("content-disposition", "")
    data = json.loads(copy.body.decode("utf-8"))  # machine-readable: the file parses
    flat = json.dumps(data, ensure_ascii=False)
    assert first in flat and last in flat and email in flat


def _confirmed_registrant(instance, server, login, smtp_relay, email: str, name: str) -> None:
    """A visitor registers through the website API and confirms from the raw confirmation mail."""
    admin = login(server, instance, ADMIN)
    made = admin.submit("/registrations/api-keys", name=f"website {email}")
    key = re.search(r"prx_[A-Za-z0-9_-]+", made.text).group(0)
    body = json.dumps({"name": name, "email": email, "newsletter": True}).encode()
    answer = Browser(server.base_url).request("POST", "/api/registrations", body=body, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    assert answer.status in (200, 201, 202), answer.text[:300]
    instance.praclox("jobs", "run", "outbox.send")
    raw = smtp_relay.wait_for(email)[0].raw
    link = re.search(rb"https://crm\.example\.test(/r/confirm/[A-Za-z0-9._=-]+)", raw.replace(b"=\r\n", b""))
    assert link, raw[:2000]
    assert Browser(server.base_url).post(link.group(1).decode()).status == 200


def _newsletter(instance, tmp_path, subject: str) -> None:
    text = tmp_path / f"{subject}.txt"
    text.write_text("Beste lezer,\n\nDit is de nieuwsbrief.\n", encoding="utf-8")
    queued = instance.praclox("registrations", "send-newsletter", "--subject", subject, str(text))
    assert "queued" in queued.stdout
    instance.praclox("jobs", "run", "outbox.send")


def test_a_newsletter_carries_a_one_click_unsubscribe_that_only_a_post_uses(instance, server, login, smtp_relay,
                                                                              tmp_path):
    gone, stays = "bezwaar.maker@voorbeeld.nl", "blijft.lezer@voorbeeld.nl"
    _users(instance)
    _confirmed_registrant(instance, server, login, smtp_relay, gone, "Bezwaar Maker")
    _confirmed_registrant(instance, server, login, smtp_relay, stays, "Blijft Lezer")

    _newsletter(instance, tmp_path, "Nieuwsbrief-een")
    raw = [m for m in smtp_relay.wait_for(gone, count=2) if b"Nieuwsbrief-een" in m.raw][0].raw
    headers = raw.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n")
    unsubscribe = re.search(rb"(?m)^List-Unsubscribe: <(https://[^>\s]+)>$", headers)
    assert unsubscribe, headers.decode(errors="replace")
    assert re.search(rb"(?m)^List-Unsubscribe-Post: List-Unsubscribe=One-Click$", headers)
    path = urlsplit(unsubscribe.group(1).decode()).path

    mail_client = Browser(server.base_url)  # no cookies: a link scanner or a mail program opening the link
    assert mail_client.get(path).status == 200
    assert mail_client.request("HEAD", path).status == 200
    _newsletter(instance, tmp_path, "Nieuwsbrief-twee")  # a link scanner's GET/HEAD unsubscribed nobody
    assert [m for m in smtp_relay.wait_for(gone, count=3) if b"Nieuwsbrief-twee" in m.raw]

    assert _one_click(server, path) == 200
    _newsletter(instance, tmp_path, "Nieuwsbrief-drie")
    assert [m for m in smtp_relay.wait_for(stays, count=4) if b"Nieuwsbrief-drie" in m.raw]
    assert not [m for m in smtp_relay.to(gone) if b"Nieuwsbrief-drie" in m.raw]
