"""Each figure of a run stored once: the plan JSON holds status, objective, budget, gaps, fingerprint and pairs.

The run's summary columns and the partnerships table repeated what the plan already holds, and
the pages and the API read different copies. Existing runs keep everything in their plan.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 15:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_COPIES = (
    ('solver_status', sa.String(length=20)), ('coverage', sa.Float()), ('score', sa.Integer()),
    ('spend_gbp', sa.Integer()), ('budget_gbp', sa.Integer()), ('gap', sa.Float()), ('fingerprint', sa.JSON()),
)


def upgrade() -> None:
    op.drop_table('partnerships')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        for name, _ in _COPIES:
            batch_op.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        for name, kind in _COPIES:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    op.create_table('partnerships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('supporter', sa.String(length=10), nullable=False),
    sa.Column('recipient', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('fit', sa.Float(), nullable=False),
    sa.Column('distance_km', sa.Float(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('incentive_annual_gbp', sa.Integer(), nullable=False),
    sa.Column('incentive_term_gbp', sa.Integer(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('buddy', 'management_contract')", name=op.f('ck_partnerships_kind_known')),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_partnerships_run_id'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnerships')),
    sa.UniqueConstraint('run_id', 'recipient', name=op.f('uq_partnerships_run_id'))
    )
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnerships_run_id'), ['run_id'], unique=False)
