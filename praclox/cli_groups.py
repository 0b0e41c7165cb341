"""Command groups that several domains add commands to."""

from flask.cli import AppGroup

#: ``praclox import offices|dates|...``
import_cli = AppGroup("import", help="Import data from files.")
