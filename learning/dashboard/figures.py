"""The dashboard's numbers as charts with Dutch titles and text alternatives; the page and the report to
policy draw the same charts."""

from collections.abc import Sequence

from casebook.cases.labels import BOTTLENECK_STATUS_LABELS, LEVEL_LABELS
from casebook.cases.models import LOCALLY_CHANGEABLE, BottleneckStatus, RuleLevel
from learning.dashboard import charts
from learning.dashboard.service import Dashboard, RuleFigure

UNKNOWN_LEVEL = "niveau onbekend"


def rule_label(rule: RuleFigure) -> str:
    return f"#{rule.cluster_id} {rule.law}"


def _level_label(level: str) -> str:
    return LEVEL_LABELS.get(RuleLevel(level), level) if level else UNKNOWN_LEVEL


def _status_label(status: str) -> str:
    try:
        return BOTTLENECK_STATUS_LABELS.get(BottleneckStatus(status), status)
    except ValueError:
        return status


def _top(items: Sequence[tuple[str, float]], noun: str) -> str:
    if not items:
        return "Geen gegevens in deze selectie."
    label, value = items[0]
    return f"{len(items)} regels; bovenaan {label} met {value:g} {noun}."


def all_charts(dashboard: Dashboard) -> list[charts.Chart]:
    d = dashboard
    by_cases = [(rule_label(r), r.cases) for r in d.top_by_cases]
    by_delay = [(rule_label(r), r.delay_days) for r in d.top_by_delay]
    result = [
        charts.bars(
            key="top-cases",
            title="Regels die het vaakst in de weg zitten (casussen)",
            summary=_top(by_cases, "casussen"),
            series=["casussen"],
            unit="casussen",
            rows=[(label, [v]) for label, v in by_cases],
        ),
        charts.bars(
            key="top-delay",
            title="Regels die de meeste dagen vertraging kosten",
            summary=_top(by_delay, "dagen vertraging"),
            series=["dagen vertraging"],
            unit="dagen",
            rows=[(label, [v]) for label, v in by_delay],
        ),
        charts.columns(
            key="trend",
            title="Knelpunten en vertraging per kwartaal",
            summary=_trend_summary(d),
            series=["knelpunten", "dagen vertraging"],
            unit="",
            rows=[(label, [n, days]) for label, n, days in d.quarters],
        ),
        charts.bars(
            key="levels",
            title="Zelf aan te passen (lokaal) of landelijk",
            summary=_levels_summary(d),
            series=["knelpunten", "dagen vertraging"],
            unit="",
            rows=[(_level_label(level), [n, days]) for level, n, days in d.levels],
        ),
        charts.bars(
            key="status",
            title="Waar de knelpunten staan (status)",
            summary="; ".join(f"{_status_label(s)}: {n}" for s, n in d.statuses) or "Geen knelpunten.",
            series=["knelpunten"],
            unit="knelpunten",
            rows=[(_status_label(s), [n]) for s, n in d.statuses],
        ),
        charts.bars(
            key="domains",
            title="Leefgebieden: aanwezig en daadwerkelijk aangepakt",
            summary=_domains_summary(d),
            series=["aanwezig", "aangepakt"],
            unit="casussen",
            rows=[(domain, [present, done]) for domain, present, done in d.domains],
        ),
        charts.bars(
            key="mandate",
            title="Doorlooptijd zonder mandaat, en met mandaat voor de wijkcoach",
            summary=_mandate_summary(d),
            series=["dagen nu", "dagen met mandaat"],
            unit="dagen",
            rows=[(f.role, [f.lead_days, f.lead_days - f.days_saved]) for f in d.decisions],
        ),
    ]
    for rule, quarters in d.rule_trends:
        result.append(
            charts.columns(
                key=f"rule-{rule.cluster_id}",
                title=f"Kosten van doormodderen: {rule_label(rule)}",
                summary=f"{rule.delay_days} dagen vertraging in {rule.cases} casussen, over {len(quarters)} kwartalen.",
                series=["dagen vertraging"],
                unit="dagen",
                rows=[(label, [days]) for label, days in quarters],
            )
        )
    return result


def _trend_summary(d: Dashboard) -> str:
    if not d.quarters:
        return "Geen knelpunten met een datum in deze selectie."
    first, last = d.quarters[0], d.quarters[-1]
    return (
        f"Van {first[0]} ({first[1]} knelpunten, {first[2]} dagen) tot {last[0]} "
        f"({last[1]} knelpunten, {last[2]} dagen)."
    )


def _levels_summary(d: Dashboard) -> str:
    local = sum(n for level, n, _ in d.levels if level in LOCALLY_CHANGEABLE)
    national = sum(n for level, n, _ in d.levels if level == RuleLevel.national_law)
    return f"{local} knelpunten kan de gemeente zelf aanpassen, {national} vragen landelijke wetgeving."


def _domains_summary(d: Dashboard) -> str:
    parts = [
        f"{domain}: aanwezig in {present}, aangepakt in {done}" for domain, present, done in d.domains[:3]
    ]
    return "; ".join(parts) + "." if parts else "Geen leefgebieden vastgelegd."


def _mandate_summary(d: Dashboard) -> str:
    if not d.decisions:
        return "Geen besluiten zonder mandaat met een aanvraag- en besluitdatum."
    saved = sum(f.days_saved for f in d.decisions)
    after = f"{d.mandated_lead_days:g}" if d.mandated_lead_days is not None else "onbekend"
    return (
        f"Met mandaat duren besluiten gemiddeld {after} dagen; voor de besluiten die nu zonder mandaat "
        f"lopen scheelt dat samen {saved} dagen."
    )
