"""Quarters, the period of every management figure: parsed from "2025-Q2", stored in the pre-aggregated cells
as one integer (year * 4 + quarter - 1, so periods sort and compare as numbers), shown as "2025-Q2".

One module, so the dashboard, the stored cells and the report to the council agree on where a quarter starts
and ends. The database triggers compute the same integer in SQL (migration 0014); a migration must not
import the application, so that one formula stands there on its own."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from casebook.errors import Invalid
from casebook.i18n import gettext

_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def parse(cls, label: str) -> "Quarter":
        """ "2025-Q2" -> Quarter(2025, 2); Invalid with a Dutch reason for anything else."""
        match = _LABEL.match(label.strip())
        if not match:
            raise Invalid(gettext("periode: geef een kwartaal als 2025-Q2."))
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def from_period(cls, period: int) -> "Quarter":
        year, index = divmod(period, 4)
        return cls(year, index + 1)

    @property
    def period(self) -> int:
        """The integer the pre-aggregated cells are keyed by."""
        return self.year * 4 + self.number - 1

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        following = date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)
        return following - timedelta(days=1)

    def previous(self) -> "Quarter":
        return Quarter.from_period(self.period - 1)
