"""rule cards are keyed by the laws a rule cites (learning/recurrence/citation.py), which now knows more of the
social domain's laws and their abbreviations (Ziektewet, Rv, Woningwet, Wet op de huurtoeslag, ...): a card
whose law names one of them gets the key a bottleneck citing it now looks for ("Ziektewet art. 29" was
"art 29 ziektewet", an article of an unknown law, and is "ziektewet art 29"). As in 0017, a card whose new
key another card already holds keeps its old one, so no card is lost and a manager can merge them by hand.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
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
    """The old keys cannot be made again without the old aliases; cards keep the new ones."""
