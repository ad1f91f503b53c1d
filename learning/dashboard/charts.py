"""Charts as geometry for server-side SVG (templates/learning/_charts.html draws them): horizontal bars for
rankings and comparisons, columns for quarters. Every chart carries its numbers as rows, which the
template also renders as a table: the text alternative for screen readers, printing and the CSV."""

from dataclasses import dataclass, field

BAR_HEIGHT = 18
BAR_GAP = 8
LABEL_WIDTH = 260
PLOT_WIDTH = 380
VALUE_WIDTH = 70
COLUMN_WIDTH = 34
COLUMN_GAP = 10
COLUMNS_HEIGHT = 160
MAX_ROWS = 40  # a chart shows at most this many rows; the table below it says when rows were left out


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    series: int


@dataclass
class Row:
    label: str
    values: list[float]
    bars: list[Bar] = field(default_factory=list)
    y: float = 0  # where the row's label sits (bars) or its x centre (columns)


@dataclass
class Chart:
    key: str
    title: str
    summary: str  # one sentence a screen reader reads instead of the picture
    series: list[str]
    unit: str
    rows: list[Row]
    kind: str  # "bars" | "columns"
    width: float = 0
    height: float = 0
    left_out: int = 0

    @property
    def empty(self) -> bool:
        return not self.rows


def bars(
    *, key: str, title: str, summary: str, series: list[str], unit: str, rows: list[tuple[str, list[float]]]
) -> Chart:
    """Horizontal bars, one group per row (one bar per series), scaled to the largest value."""
    shown = rows[:MAX_ROWS]
    peak = max((v for _, values in shown for v in values), default=0) or 1
    group = len(series) * BAR_HEIGHT + BAR_GAP
    chart = Chart(
        key,
        title,
        summary,
        series,
        unit,
        [],
        "bars",
        LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        max(1, len(shown)) * group + BAR_GAP,
        len(rows) - len(shown),
    )
    for index, (label, values) in enumerate(shown):
        top = BAR_GAP + index * group
        row = Row(label, values, y=top + len(series) * BAR_HEIGHT / 2)
        for s, value in enumerate(values):
            row.bars.append(
                Bar(LABEL_WIDTH, top + s * BAR_HEIGHT, PLOT_WIDTH * value / peak, BAR_HEIGHT - 2, value, s)
            )
        chart.rows.append(row)
    return chart


def columns(
    *, key: str, title: str, summary: str, series: list[str], unit: str, rows: list[tuple[str, list[float]]]
) -> Chart:
    """Vertical columns over time (quarters), one group per row, scaled to the largest value."""
    shown = rows[-MAX_ROWS:]
    peak = max((v for _, values in shown for v in values), default=0) or 1
    group = len(series) * COLUMN_WIDTH + COLUMN_GAP
    chart = Chart(
        key,
        title,
        summary,
        series,
        unit,
        [],
        "columns",
        max(1, len(shown)) * group + COLUMN_GAP,
        COLUMNS_HEIGHT + 40,
        len(rows) - len(shown),
    )
    for index, (label, values) in enumerate(shown):
        left = COLUMN_GAP + index * group
        row = Row(label, values, y=left + len(series) * COLUMN_WIDTH / 2)
        for s, value in enumerate(values):
            height = COLUMNS_HEIGHT * value / peak
            row.bars.append(
                Bar(left + s * COLUMN_WIDTH, 20 + COLUMNS_HEIGHT - height, COLUMN_WIDTH - 4, height, value, s)
            )
        chart.rows.append(row)
    return chart
