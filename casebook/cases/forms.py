"""The HTML case form: flat field names (`decisions-0-subject`, `ld-3-before`) to and from the schemas.
Errors come back keyed by the same field names, so the template can show them next to the input."""

from collections.abc import Mapping

from pydantic import ValidationError

from casebook.cases.domains import ZRM_DOMAINS
from casebook.cases.models import CaseIn, CaseRead, CaseUpdate
from casebook.i18n import N_, gettext
from casebook.validation import field_message

TEXT_FIELDS = (
    "title",
    "team",
    "status",
    "held_at",
    "narrative",
    "support_question",
    "support_plan",
    "outcome",
)
ROWS = {
    "decisions": ("subject", "decided_by_role", "with_mandate", "requested_on", "decided_on"),
    "actions": ("description", "owner_role", "due_date", "done"),
    "bottlenecks": ("law", "rule", "kind", "level", "description", "delay_days", "workaround"),
}
CHECKBOXES = {"with_mandate", "done"}
OPTIONAL = {"requested_on", "decided_on", "due_date", "delay_days", "level", "held_at"}


def row_count(values: Mapping[str, str], group: str) -> int:
    """Rows present in the form values, plus one blank row to add a new one."""
    indexes = [
        int(key.split("-")[1])
        for key in values
        if key.startswith(f"{group}-") and key.split("-")[1].isdigit()
    ]
    return (max(indexes) + 2) if indexes else 1


def roster_of(values: Mapping[str, str]) -> list[str]:
    return [line.strip() for line in values.get("roster", "").splitlines() if line.strip()]


def to_payload(values: Mapping[str, str]) -> tuple[dict, dict[str, str]]:
    """The schema payload plus a map from payload locations to form field names (for errors)."""
    payload: dict = {}
    for name in TEXT_FIELDS:
        value = values.get(name, "").strip()
        if value or name not in OPTIONAL | {"team", "status"}:
            payload[name] = value
    payload["plan_items"] = [
        line.strip() for line in values.get("plan_items", "").splitlines() if line.strip()
    ]
    payload["life_domains"] = _life_domains(values)
    locations: dict[str, str] = {}
    for group, fields in ROWS.items():
        payload[group] = []
        for index in range(row_count(values, group)):
            row: dict[str, str | bool] = {f: values.get(f"{group}-{index}-{f}", "").strip() for f in fields}
            if not row[fields[0]]:
                continue
            for f in CHECKBOXES & set(fields):
                row[f] = bool(row[f])
            row = {k: v for k, v in row.items() if not (k in OPTIONAL and v == "")}
            locations[f"{group}.{len(payload[group])}"] = f"{group}-{index}"
            payload[group].append(row)
    return payload, locations


def _life_domains(values: Mapping[str, str]) -> list[dict]:
    entries = []
    for index, domain in enumerate(ZRM_DOMAINS):
        if not values.get(f"ld-{index}-on"):
            continue
        entry: dict = {"domain": domain, "addressed": bool(values.get(f"ld-{index}-addressed"))}
        for field, key in (("score_before", "before"), ("score_after", "after")):
            if values.get(f"ld-{index}-{key}"):
                entry[field] = values[f"ld-{index}-{key}"]
        entries.append(entry)
    return entries


def validate(
    values: Mapping[str, str], *, creating: bool
) -> tuple[CaseIn | CaseUpdate | None, dict[str, str]]:
    """Parse the form; return (data, {}) or (None, {form field name: Dutch message})."""
    payload, locations = to_payload(values)
    if not creating:
        payload.pop("team", None)
    try:
        return (CaseIn if creating else CaseUpdate).model_validate(payload), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            errors.setdefault(_form_name(error["loc"], locations), field_message(error))
        return None, errors


def _form_name(loc: tuple, locations: dict[str, str]) -> str:
    if loc and loc[0] in ROWS and len(loc) >= 3:
        return f"{locations.get(f'{loc[0]}.{loc[1]}', f'{loc[0]}-{loc[1]}')}-{loc[2]}"
    if loc and loc[0] == "life_domains":
        return "life_domains"
    return str(loc[0]) if loc else "form"


def values_from_case(case: CaseRead) -> dict[str, str]:
    """Form values for editing a stored case (all of it already anonymised)."""
    values = {name: str(getattr(case, name) or "") for name in TEXT_FIELDS}
    values["plan_items"] = "\n".join(case.plan_items)
    for entry in case.life_domains:
        index = ZRM_DOMAINS.index(entry.domain)
        values[f"ld-{index}-on"] = "on"
        values[f"ld-{index}-before"] = str(entry.score_before or "")
        values[f"ld-{index}-after"] = str(entry.score_after or "")
        values[f"ld-{index}-addressed"] = "on" if entry.addressed else ""
    for group, fields in ROWS.items():
        for index, row in enumerate(getattr(case, group)):
            for f in fields:
                value = getattr(row, f)
                if f in CHECKBOXES:
                    value = "on" if value else ""
                values[f"{group}-{index}-{f}"] = "" if value is None else str(value)
    return values


_FIELD_LABELS = {
    "title": N_("Titel"),
    "narrative": N_("Situatie"),
    "support_question": N_("Ondersteuningsvraag"),
    "support_plan": N_("Ondersteuningsplan"),
    "outcome": N_("Uitkomst"),
    "plan_items": N_("Planonderdeel"),
    "decisions": N_("Besluit"),
    "actions": N_("Afspraak"),
    "bottlenecks": N_("Knelpunt"),
    "law": N_("wet of regel"),
    "rule": N_("regel"),
    "description": N_("effect"),
    "workaround": N_("omweg"),
}


def field_label(where: str) -> str:
    """ "decisions.0.subject" → "Besluit 1"; "bottlenecks.1.rule" → "Knelpunt 2 · regel"."""
    parts = where.split(".")
    label = gettext(_FIELD_LABELS[parts[0]]) if parts[0] in _FIELD_LABELS else parts[0]
    if len(parts) > 1 and parts[1].isdigit():
        label += f" {int(parts[1]) + 1}"
    if len(parts) > 2 and parts[2] in _FIELD_LABELS and parts[0] == "bottlenecks":
        label += f" · {gettext(_FIELD_LABELS[parts[2]])}"
    return label
