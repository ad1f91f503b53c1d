"""rule cards are keyed by the law and article a rule cites (learning/recurrence/citation.py): "art 34 PW" and
"Participatiewet art. 34" now find one card, where the key used to hold the article apart from its law. Every
card's key is made again from its law as written. Two cards that now name one rule keep their old keys (the
oldest card takes the new one), so no card is lost and a manager can merge them by hand.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_CARDS = 100_000  # far beyond the cards a municipality writes (learning/cards lists 2,000 on a page)


def upgrade() -> None:
    from learning.recurrence import citation

    connection = op.get_bind()
    cards = connection.execute(
        sa.text("SELECT id, law, law_key FROM rule_card ORDER BY id LIMIT :limit"), {"limit": MAX_CARDS}
    ).all()
    taken = {key for _, _, key in cards}
    for card_id, law, old in cards:
        new = " ".join(citation.law_keys(law))[:200]
        if new and new != old and new not in taken:
            connection.execute(
                sa.text("UPDATE rule_card SET law_key = :key WHERE id = :id"), {"key": new, "id": card_id}
            )
            taken.discard(old)
            taken.add(new)


def downgrade() -> None:
    """The old keys cannot be made again without the old normalisation; cards keep the new ones."""
