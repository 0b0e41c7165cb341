"""The outage log's rate limit: a line when an incident opens, then at most one summary a minute."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from praclox.main.outage import IncidentLog


def test_an_outage_logs_one_line_per_incident_then_one_summary_a_minute(caplog):
    incidents = IncidentLog()
    error = OperationalError("SELECT secret", {}, Exception("boom"))
    with caplog.at_level(logging.ERROR, logger="praclox.outage"):
        ids = {incidents.failure(error, clock=t / 10) for t in range(0, 1200)}  # 10 failures a second, 2 min
        assert len(ids) == 1
        assert len(caplog.records) == 1 + 1  # the opening line and one summary (at 60 s; 120 s not reached)
        later = incidents.failure(error, clock=300.0)  # quiet for more than a minute: a new incident
    assert later not in ids and len(caplog.records) == 3
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "SELECT" not in text and "boom" not in text
    assert "600 failed request(s) in 60 s" in text
