"""default rejection reasons, so that a recruiter on a fresh install can reject (the admin edits the list)

Revision ID: 0010_default_rejection_reasons
Revises: 0009_job_runs_interrupted
Create Date: 2026-11-27 12:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0010_default_rejection_reasons'
down_revision = '0009_job_runs_interrupted'
branch_labels = None
depends_on = None

#: the company's working language; stored as data, edited and extended at /applicants/reasons
DEFAULT_REASONS = (
    "Een andere kandidaat past beter bij de functie",
    "Onvoldoende ervaring voor deze functie",
    "Salaris- of arbeidsvoorwaarden sluiten niet aan",
    "De vacature is vervallen of al ingevuld",
)

reasons = sa.table("rejection_reasons", sa.column("label", sa.String), sa.column("active", sa.Boolean))


def upgrade():
    # only on a list nobody has filled yet: an installation with its own reasons keeps exactly those
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT COUNT(*) FROM rejection_reasons")).scalar():
        return
    op.bulk_insert(reasons, [{"label": label, "active": True} for label in DEFAULT_REASONS])


def downgrade():
    connection = op.get_bind()
    for label in DEFAULT_REASONS:
        connection.execute(sa.text("DELETE FROM rejection_reasons WHERE label = :label AND id NOT IN "
                                   "(SELECT reason_id FROM applicant_status_changes WHERE reason_id IS NOT NULL)"),
                           {"label": label})
