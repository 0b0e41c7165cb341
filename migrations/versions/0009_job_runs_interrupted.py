"""job runs: the outcome "interrupted" (a run whose process died; its successor marks it)

Revision ID: 0009_job_runs_interrupted
Revises: 0008_review_items
Create Date: 2026-11-27 11:20:00

"""
from alembic import op

revision = '0009_job_runs_interrupted'
down_revision = '0008_review_items'
branch_labels = None
depends_on = None

OLD = "outcome IN ('running', 'ok', 'failed', 'skipped')"
NEW = "outcome IN ('running', 'ok', 'failed', 'skipped', 'interrupted')"


def upgrade():
    with op.batch_alter_table('job_runs') as batch_op:
        batch_op.drop_constraint(op.f('ck_job_runs_outcome_known'), type_='check')
        batch_op.create_check_constraint('outcome_known', NEW)


def downgrade():
    op.execute("UPDATE job_runs SET outcome = 'failed' WHERE outcome = 'interrupted'")
    with op.batch_alter_table('job_runs') as batch_op:
        batch_op.drop_constraint(op.f('ck_job_runs_outcome_known'), type_='check')
        batch_op.create_check_constraint('outcome_known', OLD)
