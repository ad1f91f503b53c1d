"""Turn pydantic validation errors into one Dutch sentence per field, without echoing the input back
(the input may hold text that has not been anonymised yet)."""

from collections.abc import Sequence
from typing import Any

_MESSAGES = {
    "missing": "is verplicht",
    "string_too_short": "mag niet leeg zijn",
    "string_too_long": "is te lang",
    "extra_forbidden": "is een onbekend veld",
    "date_from_datetime_parsing": "is geen geldige datum (JJJJ-MM-DD)",
    "date_parsing": "is geen geldige datum (JJJJ-MM-DD)",
    "date_type": "is geen geldige datum (JJJJ-MM-DD)",
    "int_parsing": "moet een geheel getal zijn",
    "greater_than_equal": "is te klein",
    "less_than_equal": "is te groot",
    "enum": "heeft een ongeldige waarde",
    "bool_parsing": "moet ja of nee zijn",
    "json_invalid": "is geen geldige JSON",
}


def field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "invoer"


def field_message(error: dict) -> str:
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return _MESSAGES.get(error["type"], error["msg"])


def describe_validation_errors(errors: Sequence[dict]) -> str:
    return "; ".join(f"{field_name(e['loc'])}: {field_message(e)}" for e in errors) or "Ongeldige invoer."


def field_errors(errors: Sequence[dict]) -> dict[str, str]:
    """{field: Dutch message} for re-rendering a form next to the fields."""
    result: dict[str, str] = {}
    for error in errors:
        result.setdefault(field_name(error["loc"]), field_message(error))
    return result
