"""an index on the organisations a consent names, for the workspace inbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 18:40:00
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('consent_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_organisations_organisation_id'), ['organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consent_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_organisations_organisation_id'))
