"""Data an operator's users make over HTTP: a recruiter's vacancy, applicants with a CV, a decision."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from operator_http import Browser


def pdf_bytes(text: str) -> bytes:
    """A small real PDF whose text is ``text`` (the upload check reads the content, not the name)."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n%%EOF\n")


@dataclass
class Applicant:
    id: int
    name: str
    email: str
    phone: str
    notes: str
    cv: bytes
    document_url: str

    def needles(self) -> tuple[str, ...]:
        """What must be nowhere on disk once the applicant is purged."""
        return (self.name, self.email, self.notes)


def marker(prefix: str = "Zq") -> str:
    """A word that occurs nowhere else (so finding it on disk can only mean this test's data)."""
    return prefix + "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))


def vacancy(recruiter: Browser, title: str = "Backend developer") -> int:
    answer = recruiter.submit("/applicants/vacancies", title=title, is_open="y")
    assert answer.status == 302, answer.text[:500]
    page = recruiter.get("/applicants/new")
    found = re.search(r'<option[^>]*value="(\d+)"[^>]*>\s*' + re.escape(title), page.text)
    assert found, "the new vacancy is not offered on the applicant form"
    return int(found.group(1))


def applicant(recruiter: Browser, vacancy_id: int, *, applied_days_ago: int = 60) -> Applicant:
    """An applicant with a phone number, notes and an uploaded CV, all carrying a unique marker."""
    word = marker()
    name, email, phone = f"Ilse {word}", f"{word.lower()}@example.nl", "+31 6 " + str(secrets.randbelow(10**8)).zfill(8)
    notes = f"Interview notes about {word}: strong in SQL."
    applied = date.today() - timedelta(days=applied_days_ago)
    answer = recruiter.submit("/applicants/new", name=name, email=email, phone=phone, vacancy_id=str(vacancy_id),
                              applied_on=applied.isoformat(), source="website", notes=notes)
    assert answer.status == 302, answer.text[:800]
    applicant_id = int(answer.location.rstrip("/").rsplit("/", 1)[1])
    cv = pdf_bytes(f"Curriculum vitae of {name}")
    upload = recruiter.submit(f"/applicants/{applicant_id}", f"/applicants/{applicant_id}/documents",
                              files={"file": (f"cv-{word}.pdf", cv)}, kind="cv")
    assert upload.status == 302, upload.text[:800]
    page = recruiter.get(f"/applicants/{applicant_id}")
    link = re.search(rf'href="(/applicants/{applicant_id}/documents/\d+)"', page.text)
    assert link, "no download link for the uploaded CV"
    return Applicant(applicant_id, name, email, phone, notes, cv, link.group(1))


def withdraw(recruiter: Browser, applicant_id: int, *, days_ago: int = 40) -> None:
    """The applicant withdrew ``days_ago`` days ago (so the 28-day retention has run out)."""
    decided = date.today() - timedelta(days=days_ago)
    answer = recruiter.submit(f"/applicants/{applicant_id}", f"/applicants/{applicant_id}/status",
                              to_status="withdrawn", decided_on=decided.isoformat(), reason_id="0")
    assert answer.status == 302, answer.text[:800]
