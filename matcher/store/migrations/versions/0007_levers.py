"""Policy levers as a background job: a ``levers`` job names its run, and its report is stored.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 17:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('levers_of', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_jobs_levers_of'), ['levers_of'], unique=False)
        batch_op.drop_constraint(batch_op.f('ck_jobs_purpose_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_jobs_purpose_known'),
                                         "purpose IN ('proposal', 'what_if', 'levers')")
        batch_op.create_check_constraint(batch_op.f('ck_jobs_levers_name_a_run'),
                                         "(purpose = 'levers') = (levers_of IS NOT NULL)")
    op.create_table('lever_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_lever_reports_job_id')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_lever_reports_run_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lever_reports')),
    sa.UniqueConstraint('job_id', name=op.f('uq_lever_reports_job_id'))
    )
    with op.batch_alter_table('lever_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lever_reports_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lever_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lever_reports_run_id'))
    op.drop_table('lever_reports')
    op.execute("DELETE FROM jobs WHERE purpose = 'levers'")
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_jobs_levers_name_a_run'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_jobs_purpose_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_jobs_purpose_known'), "purpose IN ('proposal', 'what_if')")
        batch_op.drop_index(batch_op.f('ix_jobs_levers_of'))
        batch_op.drop_column('levers_of')
