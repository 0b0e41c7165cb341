"""Run in an installation's environment: ``python seed_applicants.py N [--documents]``.

N rejected applicants whose retention ended 30 days ago (due for the purge), each with a stored PDF when asked.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from praclox import create_app
from praclox.applicants import services
from praclox.applicants.documents import store_document
from praclox.applicants.models import Applicant
from praclox.clock import today
from praclox.extensions import db

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"%%EOF\n")


def main(count: int, documents: bool) -> None:
    app = create_app()
    with app.test_request_context():
        vacancy = services.create_vacancy("Operator test vacancy", actor=None)
        decided = today() - timedelta(days=60)
        for number in range(count):
            applicant = Applicant(vacancy=vacancy, name=f"Seeded applicant {number}", applied_on=decided,
                                  status="rejected", decided_on=decided, last_activity_on=decided)
            db.session.add(applicant)
            if documents:
                store_document(applicant, filename="cv.pdf", data=PDF, kind="cv", actor=None)
            if number % 500 == 499:
                db.session.commit()
        db.session.commit()
    print(f"seeded {count}")


if __name__ == "__main__":
    main(int(sys.argv[1]), "--documents" in sys.argv[2:])
