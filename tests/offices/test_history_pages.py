"""An office's history in pages of PAGE_SIZE, newest first (issue 16): the conversion, the "edited" marks and
who may correct a moment stay right on every page, and a page decrypts only the summaries it shows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from praclox import crypto
from praclox.clock import today


@pytest.fixture
def long_history(app, staff_client, make_office):
    """Seven moments on earlier days, the conversion to client, then five moments of today: 13 entries."""
    app.config["PAGE_SIZE"] = 5
    office_id = make_office("Historie BV", contacts=({"first_name": "Petra", "last_name": "Bakker"},))
    for n in range(7, 0, -1):
        _log(staff_client, office_id, f"Eerder gesprek {n}", today() - timedelta(days=n))
    assert staff_client.post(f"/offices/{office_id}/convert").status_code == 302
    for n in range(1, 6):
        _log(staff_client, office_id, f"Vandaag gesprek {n}", today())
    return office_id


def _log(client, office_id: int, summary: str, day, contact_id: str = "1") -> None:
    response = client.post(f"/offices/{office_id}/interactions", data={
        "kind": "call", "occurred_on": day.isoformat(), "contact_id": contact_id, "summary": summary})
    assert response.status_code == 302


def _entries(page: str) -> list[str]:
    """The history as the page shows it, top to bottom: each summary, or "Klant geworden"."""
    history = page[page.index('id="history"'):]
    return [summary or "Klant geworden" for summary, _conversion in
            re.findall(r'<p class="mb-0 text-pre-wrap">([^<]*)</p>|(Klant geworden)</span>', history)]


def test_the_history_pages_newest_first_with_the_conversion_in_its_place(staff_client, long_history):
    pages = [staff_client.get(f"/offices/{long_history}?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    assert [_entries(page) for page in pages] == [
        [f"Vandaag gesprek {n}" for n in range(5, 0, -1)],
        ["Klant geworden", *(f"Eerder gesprek {n}" for n in range(1, 5))],
        [f"Eerder gesprek {n}" for n in range(5, 8)],
    ]
    assert f'href="/offices/{long_history}?page=2#history"' in pages[0]
    assert f'href="/offices/{long_history}?page=1#history"' in pages[2]
    # a page number past the end shows the last page; one that is no number shows the first
    assert _entries(staff_client.get(f"/offices/{long_history}?page=99").get_data(as_text=True)) == _entries(pages[2])
    assert _entries(staff_client.get(f"/offices/{long_history}?page=x").get_data(as_text=True)) == _entries(pages[0])


def test_an_office_with_a_short_history_shows_no_page_links(staff_client, make_office):
    office_id = make_office("Kort BV")
    _log(staff_client, office_id, "Eén gesprek", today(), contact_id="0")
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert _entries(page) == ["Eén gesprek"] and 'class="pagination' not in page


def test_edited_marks_and_edit_links_are_right_on_a_later_page(app, staff_client, login_as, long_history):
    older = staff_client.get(f"/offices/{long_history}?page=3").get_data(as_text=True)
    edit_links = re.findall(rf'href="/offices/{long_history}/interactions/(\d+)/edit"', older)
    assert len(edit_links) == 3  # the author may correct every moment shown
    first = edit_links[0]
    response = staff_client.post(f"/offices/{long_history}/interactions/{first}/edit", data={
        "kind": "meeting", "occurred_on": (today() - timedelta(days=5)).isoformat(), "contact_id": "1",
        "summary": "Eerder gesprek 5, aangevuld"})
    assert response.status_code == 302
    older = staff_client.get(f"/offices/{long_history}?page=3").get_data(as_text=True)
    assert _entries(older) == ["Eerder gesprek 5, aangevuld", "Eerder gesprek 6", "Eerder gesprek 7"]
    assert older.count("· bewerkt") == 1
    assert "bewerkt" not in staff_client.get(f"/offices/{long_history}?page=1").get_data(as_text=True)
    colleague = login_as("staff").get(f"/offices/{long_history}?page=3").get_data(as_text=True)
    assert _entries(colleague) == _entries(older) and "/edit\"" not in colleague.split('id="history"')[1]


def test_a_page_of_history_decrypts_only_the_summaries_it_shows(app, staff_client, long_history, monkeypatch):
    decrypted: list[str] = []
    real = crypto.decrypt_text

    def counting(value: str) -> str:
        plain = real(value)
        decrypted.append(plain)
        return plain

    monkeypatch.setattr(crypto, "decrypt_text", counting)
    assert staff_client.get(f"/offices/{long_history}?page=2").status_code == 200
    assert sorted(s for s in decrypted if "gesprek" in s) == [f"Eerder gesprek {n}" for n in range(1, 5)]


def test_the_contact_page_and_the_delete_question_read_the_history_without_the_offices_pages(
        staff_client, long_history, make_office):
    contact = staff_client.get(f"/offices/{long_history}/contacts/1").get_data(as_text=True)
    assert all(f"Eerder gesprek {n}" in contact for n in range(1, 8)) and "Vandaag gesprek 5" in contact
    assert contact.index("Vandaag gesprek 5") < contact.index("Eerder gesprek 7")
    question = staff_client.get(f"/offices/{long_history}/delete").get_data(as_text=True)
    assert "12 historieregels" in question
