"""The time zone comes from the configuration (PRACLOX_TIMEZONE), for days, cron times and CSV times alike."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from praclox import create_app
from praclox.clock import today
from praclox.csvutil import local_time, time_header
from praclox.domain import registry


@pytest.fixture
def app_config(app_config):
    return {**app_config, "TIMEZONE": "Asia/Tokyo"}


def test_a_configured_zone_sets_the_day_the_job_times_and_the_csv_times(app):
    evening_in_europe = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)  # already 2 March, 05:00 in Tokyo
    with app.app_context(), time_machine.travel(evening_in_europe, tick=False):
        assert today() == date(2026, 3, 2)
        assert str(registry().jobs["applicants-purge"].trigger.timezone) == "Asia/Tokyo"
        assert local_time(evening_in_europe) == "2026-03-02 05:00:00"
        assert time_header("tijdstip") == "tijdstip (Asia/Tokyo)"


def test_an_unknown_zone_stops_the_app_with_its_name(app_config):
    with pytest.raises(ValueError, match="'Mars/Olympus' is not a known time zone"):
        create_app({**app_config, "TIMEZONE": "Mars/Olympus"})
