"""The command line speaks the operator's language: Dutch when PRACLOX_CLI_LOCALE (or the shell's LANG) says
so, English otherwise; every line it prints for a person is catalogue text or data (pseudo-locale build)."""

from __future__ import annotations

import pytest
from pseudo_locale import leftover, locale_words, pseudo_locale

from praclox.auth.models import ROLE_VALUES

OFFICES = (
    "office;kind;city;office_email;office_phone;first_name;last_name;job_title;email;phone\n"
    "Kantoor Zonnedauw;client;Utrecht;;;Petra;Plompers;;;\n"
)
#: the values the commands print that are data or the command's own vocabulary (the --role choices)
DATA = ("Kantoor Zonnedauw", "Petra", "Plompers", "cli.user@praclox.nl", "nemand@praclox.nl", *ROLE_VALUES)
#: a job run's outcome and its counters' names are codes the operator greps for, printed as they are
CODES = ("ok", "skipped", "failed", "due", "purged", "disk_gone", "disk_checkpoint_attempts", "disk_vacuumed")


@pytest.fixture
def dutch_cli(app, monkeypatch):
    monkeypatch.setenv("PRACLOX_PASSWORD", "Kwartel-Vijver-9731-Gras")
    app.config["CLI_LOCALE"] = "nl"
    return app.test_cli_runner()


def _commands(tmp_path):
    offices = tmp_path / "kantoren.csv"
    offices.write_text(OFFICES, encoding="utf-8")
    bad = tmp_path / "fout.csv"
    bad.write_text("office;kind\n;client\n", encoding="utf-8")
    dates = tmp_path / "datums.csv"
    dates.write_text("office;first_name;last_name;kind;date;person_name\n"
                     "Kantoor Zonnedauw;Petra;Plompers;feest;2026-02-31;\nOnbekend;;Plompers;birthday;morgen;\n"
                     "Kantoor Zonnedauw;Petra;Plompers;birthday;1066-01-01;\n", encoding="utf-8")
    stranger = tmp_path / "geen-backup.praclox-backup"
    stranger.write_bytes(b"gAAAAAB-geen-fernet")
    return [["user", "create", "cli.user@praclox.nl", "--name", "Petra Plompers", "--role", "staff"],
            ["user", "deactivate", "cli.user@praclox.nl"], ["user", "deactivate", "nemand@praclox.nl"],
            ["import", "offices", str(offices)], ["import", "offices", str(bad)],
            ["privacy", "purge-audit", "--dry-run"], ["privacy", "purge-audit"], ["demo-data", "--offices", "1"],
            ["jobs", "list"], ["jobs", "run", "no-such-job"], ["keys", "rotate"], ["dates", "remind", "--dry-run"],
            ["feed", "create", "nemand@praclox.nl", "--name", "telefoon"],
            ["registrations", "purge", "--dry-run"], ["registrations", "purge"], ["registrations", "purge", "--yes"],
            ["registrations", "send-newsletter", "--subject", "Nieuws", str(offices)],
            ["retention", "purge", "--dry-run"], ["retention", "purge", "--yes"], ["retention", "report"],
            ["backup", "create"], ["backup", "prune", "--dry-run"], ["backup", "prune"],
            ["backup", "restore", str(stranger), "--yes"], ["privacy", "settle-disk"],
            ["search", "reindex"], ["import", "dates", str(dates)]]


def test_cli_output_for_people_is_dutch_catalogue_text_when_the_operator_asks_for_dutch(app, dutch_cli, tmp_path):
    words = locale_words("nl") | {"praclox"}
    problems = []
    with pseudo_locale(app):
        for args in _commands(tmp_path):
            result = dutch_cli.invoke(args=args)
            assert "\u27e6" in result.stdout + result.stderr, (args, result.output)
            for line in (result.stdout + result.stderr).splitlines():
                line = line.removeprefix("Error: ")  # click's own prefix
                rest = leftover(line, (*DATA, *CODES, str(tmp_path)), words)
                if rest:
                    problems.append(f"{' '.join(args)}: {rest!r} in {line!r}")
    assert not problems, "\n".join(problems)


def test_cli_speaks_dutch_or_english_as_the_shell_or_the_setting_says(app, tmp_path, monkeypatch):
    runner = app.test_cli_runner()
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert "is gedeactiveerd" not in runner.invoke(args=["user", "deactivate", "x@praclox.nl"]).output
    assert "geen gebruiker met e-mailadres x@praclox.nl" in runner.invoke(
        args=["user", "deactivate", "x@praclox.nl"]).output
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert "no user with e-mail x@praclox.nl" in runner.invoke(args=["user", "deactivate", "x@praclox.nl"]).output
    app.config["CLI_LOCALE"] = "nl"
    assert "geen gebruiker" in runner.invoke(args=["user", "deactivate", "x@praclox.nl"]).output
