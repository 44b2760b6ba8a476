"""Agreements (accepted offers and past partnerships) and what each data refresh observed of each trust.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 17:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=10), nullable=False),
    sa.Column('supporter', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('buddy', 'management_contract')", name=op.f('ck_agreements_kind_known')),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_agreements_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_agreements_created_by_users')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_agreements_offer_id_offers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('offer_id', name=op.f('uq_agreements_offer_id')),
    sa.UniqueConstraint('recipient', 'supporter', 'kind', 'starts_on', name=op.f('uq_agreements_recipient'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_recipient'), ['recipient'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_supporter'), ['supporter'], unique=False)

    op.create_table('trust_observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('segment', sa.Integer(), nullable=True),
    sa.Column('overall', sa.Integer(), nullable=True),
    sa.Column('well_led', sa.Integer(), nullable=True),
    sa.Column('in_difficulty', sa.Boolean(), nullable=False),
    sa.Column('data_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trust_observations')),
    sa.UniqueConstraint('observed_on', 'code', name=op.f('uq_trust_observations_observed_on'))
    )
    with op.batch_alter_table('trust_observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trust_observations_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_trust_observations_observed_on'), ['observed_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('trust_observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trust_observations_observed_on'))
        batch_op.drop_index(batch_op.f('ix_trust_observations_code'))
    op.drop_table('trust_observations')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_supporter'))
        batch_op.drop_index(batch_op.f('ix_agreements_recipient'))
    op.drop_table('agreements')
