"""The tables of release 0.1.0, exactly as its store created them (SQLAlchemy create_all, no migrations).

A database from 0.1.0 is stamped at this revision, not re-created; a new database runs it.

Revision ID: 0001_baseline
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_baseline"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "engagements",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("customer", sa.String(300), nullable=False),
        sa.Column("engagement_json", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("bundle_json", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_engagements_customer", "engagements", ["customer"])
    op.create_index("ix_engagements_updated_at", "engagements", ["updated_at"])
    op.create_table(
        "engagement_items",
        sa.Column(
            "engagement_id",
            sa.String(32),
            sa.ForeignKey("engagements.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(500), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("engagement_items")
    op.drop_table("engagements")
