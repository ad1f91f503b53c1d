"""The dashboard's numbers as charts with titles and text alternatives in the reader's language; the page
and the report to policy draw the same charts."""

from collections.abc import Sequence

from casebook.cases.models import LOCALLY_CHANGEABLE, BottleneckStatus, RuleLevel
from casebook.i18n import gettext, ngettext
from casebook.labels import BOTTLENECK_STATUS_LABELS, LEVEL_LABELS
from learning.dashboard import charts
from learning.dashboard.service import Dashboard, RuleFigure


def rule_label(rule: RuleFigure) -> str:
    return f"#{rule.cluster_id} {rule.law}"


def _level_label(level: str) -> str:
    return gettext(LEVEL_LABELS[RuleLevel(level)]) if level else gettext("niveau onbekend")


def _status_label(status: str) -> str:
    try:
        return gettext(BOTTLENECK_STATUS_LABELS[BottleneckStatus(status)])
    except ValueError:
        return status


def _top(items: Sequence[tuple[str, float]], noun: str) -> str:
    """`noun` is a translated "%(value)s …" phrase for the top rule's number."""
    if not items:
        return gettext("Geen gegevens in deze selectie.")
    label, value = items[0]
    return gettext("%(rules)s regels; bovenaan %(label)s met %(amount)s.") % {
        "rules": len(items),
        "label": label,
        "amount": noun % {"value": f"{value:g}"},
    }


def all_charts(dashboard: Dashboard) -> list[charts.Chart]:
    d = dashboard
    by_cases = [(rule_label(r), r.cases) for r in d.top_by_cases]
    by_delay = [(rule_label(r), r.delay_days) for r in d.top_by_delay]
    result = [
        charts.bars(
            key="top-cases",
            title=gettext("Regels die het vaakst in de weg zitten (casussen)"),
            summary=_top(by_cases, gettext("%(value)s casussen")),
            series=[gettext("casussen")],
            unit=gettext("casussen"),
            rows=[(label, [v]) for label, v in by_cases],
        ),
        charts.bars(
            key="top-delay",
            title=gettext("Regels die de meeste dagen vertraging kosten"),
            summary=_top(by_delay, gettext("%(value)s dagen vertraging")),
            series=[gettext("dagen vertraging")],
            unit=gettext("dagen"),
            rows=[(label, [v]) for label, v in by_delay],
        ),
        charts.columns(
            key="trend",
            title=gettext("Knelpunten en vertraging per kwartaal"),
            summary=_trend_summary(d),
            series=[gettext("knelpunten"), gettext("dagen vertraging")],
            unit="",
            rows=[(label, [n, days]) for label, n, days in d.quarters],
        ),
        charts.bars(
            key="levels",
            title=gettext("Zelf aan te passen (lokaal) of landelijk"),
            summary=_levels_summary(d),
            series=[gettext("knelpunten"), gettext("dagen vertraging")],
            unit="",
            rows=[(_level_label(level), [n, days]) for level, n, days in d.levels],
        ),
        charts.bars(
            key="status",
            title=gettext("Waar de knelpunten staan (status)"),
            summary="; ".join(f"{_status_label(s)}: {n}" for s, n in d.statuses)
            or gettext("Geen knelpunten."),
            series=[gettext("knelpunten")],
            unit=gettext("knelpunten"),
            rows=[(_status_label(s), [n]) for s, n in d.statuses],
        ),
        charts.bars(
            key="domains",
            title=gettext("Leefgebieden: aanwezig en daadwerkelijk aangepakt"),
            summary=_domains_summary(d),
            series=[gettext("aanwezig"), gettext("aangepakt")],
            unit=gettext("casussen"),
            rows=[(gettext(domain), [present, done]) for domain, present, done in d.domains],
        ),
        charts.bars(
            key="mandate",
            title=gettext("Doorlooptijd zonder mandaat, en met mandaat voor de wijkcoach"),
            summary=_mandate_summary(d),
            series=[gettext("dagen nu"), gettext("dagen met mandaat")],
            unit=gettext("dagen"),
            rows=[(f.role, [f.lead_days, f.lead_days - f.days_saved]) for f in d.decisions],
        ),
    ]
    for rule, quarters in d.rule_trends:
        result.append(
            charts.columns(
                key=f"rule-{rule.cluster_id}",
                title=gettext("Kosten van doormodderen: %(rule)s") % {"rule": rule_label(rule)},
                summary=ngettext(
                    "%(days)s dagen vertraging in %(cases)s casussen, over %(num)s kwartaal.",
                    "%(days)s dagen vertraging in %(cases)s casussen, over %(num)s kwartalen.",
                    len(quarters),
                )
                % {"days": rule.delay_days, "cases": rule.cases, "num": len(quarters)},
                series=[gettext("dagen vertraging")],
                unit=gettext("dagen"),
                rows=[(label, [days]) for label, days in quarters],
            )
        )
    return result


def _trend_summary(d: Dashboard) -> str:
    if not d.quarters:
        return gettext("Geen knelpunten met een datum in deze selectie.")
    first, last = d.quarters[0], d.quarters[-1]
    return gettext(
        "Van %(first)s (%(first_n)s knelpunten, %(first_days)s dagen) tot %(last)s "
        "(%(last_n)s knelpunten, %(last_days)s dagen)."
    ) % {
        "first": first[0],
        "first_n": first[1],
        "first_days": first[2],
        "last": last[0],
        "last_n": last[1],
        "last_days": last[2],
    }


def _levels_summary(d: Dashboard) -> str:
    local = sum(n for level, n, _ in d.levels if level in LOCALLY_CHANGEABLE)
    national = sum(n for level, n, _ in d.levels if level == RuleLevel.national_law)
    return gettext(
        "%(local)s knelpunten kan de gemeente zelf aanpassen, %(national)s vragen landelijke wetgeving."
    ) % {"local": local, "national": national}


def _domains_summary(d: Dashboard) -> str:
    parts = [
        gettext("%(domain)s: aanwezig in %(present)s, aangepakt in %(done)s")
        % {"domain": gettext(domain), "present": present, "done": done}
        for domain, present, done in d.domains[:3]
    ]
    return "; ".join(parts) + "." if parts else gettext("Geen leefgebieden vastgelegd.")


def _mandate_summary(d: Dashboard) -> str:
    if not d.decisions:
        return gettext("Geen besluiten zonder mandaat met een aanvraag- en besluitdatum.")
    saved = sum(f.days_saved for f in d.decisions)
    after = f"{d.mandated_lead_days:g}" if d.mandated_lead_days is not None else gettext("onbekend")
    return gettext(
        "Met mandaat duren besluiten gemiddeld %(after)s dagen; voor de besluiten die nu zonder mandaat "
        "lopen scheelt dat samen %(saved)s dagen."
    ) % {"after": after, "saved": saved}
