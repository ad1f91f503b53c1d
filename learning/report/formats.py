"""The report as CSV (the numbers) and as PDF (charts drawn with reportlab from the same geometry as the
SVG, each followed by its table), in the reader's language like the HTML version (templates/learning/report.html)."""

import csv
import io
from xml.sax.saxutils import escape

from casebook.i18n import N_, gettext
from learning.dashboard.charts import Chart
from learning.dashboard.figures import rule_label
from learning.report.service import Report

COLOURS = ("#2f6f8f", "#d08c2c", "#6b8e23")


def key_figures(report: Report) -> list[tuple[str, int]]:
    d = report.dashboard
    figures = [
        (N_("casussen"), d.cases),
        (N_("knelpunten"), d.bottlenecks),
        (N_("dagen vertraging"), d.delay_days),
        (N_("plannen"), d.plans),
        (N_("plannen met terugkoppeling"), d.plans_with_feedback),
        (N_("afspraken"), d.actions),
        (N_("afspraken gedaan"), d.actions_done),
        (N_("afspraken over de termijn"), d.actions_overdue),
    ]
    return [(gettext(name), value) for name, value in figures]


def to_csv(report: Report) -> str:
    """One line per number: section; item; measure; value (semicolons, as Dutch spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            gettext(h)
            for h in (
                N_("kwartaal"),
                N_("team"),
                N_("onderdeel"),
                N_("regel of categorie"),
                N_("maat"),
                N_("waarde"),
            )
        ]
    )
    for name, value in key_figures(report):
        writer.writerow([report.quarter, report.team, gettext("kerncijfers"), name, gettext("aantal"), value])
    for chart in report.charts:
        for row in chart.rows:
            for series, figure in zip(chart.series, row.values, strict=True):
                writer.writerow([report.quarter, report.team, chart.title, row.label, series, round(figure)])
    return out.getvalue()


def to_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        title=gettext("Managementrapportage %(quarter)s") % {"quarter": report.quarter},
        author="Casebook",
        subject=gettext("Knelpunten in regels en wat ze kosten"),
    )
    width = A4[0] - 4 * cm

    def text(value: str, style: str = "BodyText") -> Paragraph:
        return Paragraph(escape(value), styles[style])

    def table(rows: list[list[str]]) -> Table:
        made = Table(rows, hAlign="LEFT", repeatRows=1)
        made.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return made

    story = [
        text(gettext("Managementrapportage %(quarter)s") % {"quarter": report.quarter}, "Title"),
        text(
            gettext("Knelpunten in regels, wat ze kosten en wat de gemeente kan veranderen — %(team)s.")
            % {"team": report.team}
            + " "
            + gettext("Geanonimiseerd: alleen aantallen, wetten en geanonimiseerde omschrijvingen.")
        ),
        Spacer(1, 8),
        text(gettext("Kerncijfers"), "Heading2"),
        table([["", gettext("aantal")], *[[name, str(value)] for name, value in key_figures(report)]]),
    ]
    story += [
        text(gettext("Regels die het meest kosten, met omwegen en voorstellen uit de praktijk"), "Heading2")
    ]
    for section in report.rules:
        rule = section.rule
        lines = [
            text(
                f"{rule_label(rule)}: "
                + gettext("%(days)s dagen vertraging in %(cases)s casussen")
                % {"days": rule.delay_days, "cases": rule.cases}
                + (f" ({gettext('gemeente kan dit zelf aanpassen')})" if rule.changeable_locally else ""),
                "Heading4",
            )
        ]
        lines += [text(f"• {proposal}") for proposal in section.proposals] or [
            text(gettext("Geen omweg vastgelegd."))
        ]
        story.append(KeepTogether(lines))
    for chart in report.charts:
        parts = [text(chart.title, "Heading3"), text(chart.summary)]
        if not chart.empty:
            parts += [
                _drawing(chart, width, colors),
                Spacer(1, 4),
                table(
                    [
                        ["", *chart.series],
                        *[[row.label, *(str(round(v)) for v in row.values)] for row in chart.rows],
                    ]
                ),
            ]
        story.append(KeepTogether(parts))
        story.append(Spacer(1, 10))
    document.build(story)
    return buffer.getvalue()


def _drawing(chart: Chart, width: float, colors):
    """The chart's bars as a reportlab Drawing, scaled to the page width (SVG y runs down, PDF y up)."""
    from reportlab.graphics.shapes import Drawing, Group, Rect, String

    scale = min(1.0, width / chart.width)
    drawing = Drawing(chart.width * scale, chart.height * scale)
    group = Group()
    for row in chart.rows:
        for bar in row.bars:
            group.add(
                Rect(
                    bar.x,
                    chart.height - bar.y - bar.height,
                    max(bar.width, 1),
                    max(bar.height, 1),
                    fillColor=colors.HexColor(COLOURS[bar.series]),
                    strokeColor=None,
                )
            )
            if chart.kind == "bars":
                group.add(
                    String(bar.x + bar.width + 4, chart.height - bar.y - 12, f"{bar.value:.0f}", fontSize=9)
                )
        if chart.kind == "bars":
            group.add(String(252, chart.height - row.y - 4, row.label[:42], fontSize=9, textAnchor="end"))
        else:
            group.add(String(row.y, 6, row.label, fontSize=8, textAnchor="middle"))
    group.scale(scale, scale)
    drawing.add(group)
    return drawing
