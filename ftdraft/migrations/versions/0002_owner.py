"""Engagements get an owner (the signed-in FM's key; "" = single-user local mode), indexed with updated_at for
the sidebar's per-owner, newest-first list. Existing engagements become the local owner's: nothing is lost.

Revision ID: 0002_owner
Revises: 0001_baseline
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002_owner"
down_revision: str | None = "0001_baseline"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("engagements", sa.Column("owner", sa.String(500), nullable=False, server_default=""))
    op.create_index("ix_engagements_owner_updated_at", "engagements", ["owner", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_engagements_owner_updated_at", table_name="engagements")
    op.drop_column("engagements", "owner")
