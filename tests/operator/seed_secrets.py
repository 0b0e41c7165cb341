"""Run as a process against an installed instance (``PRACLOX_*`` in the environment): makes the records whose
secrets the operator-tier tests then put in URLs, and prints them as JSON. It is the tests' hand on the data;
the servers under test never see this process."""

from __future__ import annotations

import json
import sys
from datetime import date

PASSWORD = "operator tier password 4711"  # noqa: S105


def main() -> None:
    from praclox import create_app
    from praclox.applicants import consent
    from praclox.applicants import services as applicants
    from praclox.auth import reset
    from praclox.auth import services as users
    from praclox.client.services import login_token
    from praclox.dates import feeds
    from praclox.extensions import db
    from praclox.offices import services as offices
    from praclox.registrations import mailing
    from praclox.registrations import services as registrations

    app = create_app()
    with app.test_request_context():
        staff, _ = users.create_user("gerda.opsmans@praclox.nl", "Gerda Opsmans", ["staff"], PASSWORD, actor=None)
        office = offices.create_office({"name": "Opsmans Accountants", "visit_city": "Zwolle", "kind": "client"},
                                       actor=None)
        contact = offices.create_contact(office, {"first_name": "Theodora", "last_name": "Loggerhuis",
                                                  "email": "theodora.loggerhuis@klant.nl"}, actor=None)
        registration, _due = registrations.create_by_staff(
            {"name": "Theodora Loggerhuis", "email": "theodora.loggerhuis@klant.nl", "newsletter": True,
             "office_id": office.id, "contact_id": contact.id, "client_access": True}, actor=None)
        _key, api_key = registrations.create_api_key("Website", actor=None)
        _feed, feed_token = feeds.create_feed(staff, "Ops feed", actor=None)
        vacancy = applicants.create_vacancy("Ops vacancy", actor=None)
        applicant = applicants.create_applicant({"name": "Barend Sollicitantius", "email": "barend.s@mail.nl",
                                                 "vacancy_id": vacancy.id, "applied_on": date(2026, 1, 5)}, actor=None)
        secrets = {
            "staff_email": staff.email, "staff_password": PASSWORD, "api_key": api_key,
            # one single-use login link per server under test
            "client_token": login_token(registration), "client_token_2": login_token(registration),
            "feed_token": feed_token,
            "reset_token": reset.issue(staff),
            "confirm_url": mailing.confirm_url(registration), "unsubscribe_url": mailing.unsubscribe_url(registration),
            "consent_url": consent.give_link(applicant), "withdraw_url": consent.withdraw_link(applicant),
        }
        db.session.commit()
    json.dump(secrets, sys.stdout)


if __name__ == "__main__":
    main()
