"""Turn pydantic validation errors into one Dutch sentence per field, without echoing the input back
(the input may hold text that has not been anonymised yet)."""

from collections.abc import Mapping, Sequence
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
    "json_type": "is geen geldige JSON",
    "string_type": "moet tekst zijn",
    "string_pattern_mismatch": "heeft een ongeldige vorm",
    "string_unicode": "moet geldige tekst (UTF-8) zijn",
    "int_type": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "int_parsing_size": "is te groot",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "finite_number": "moet een eindig getal zijn",
    "bool_type": "moet ja of nee zijn",
    "list_type": "moet een lijst zijn",
    "tuple_type": "moet een lijst zijn",
    "set_type": "moet een lijst zijn",
    "dict_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "model_attributes_type": "moet een object zijn",
    "too_long": "bevat te veel onderdelen",
    "too_short": "bevat te weinig onderdelen",
    "date_from_datetime_inexact": "is geen geldige datum (JJJJ-MM-DD)",
    "date_past": "moet in het verleden liggen",
    "date_future": "moet in de toekomst liggen",
    "datetime_type": "is geen geldig tijdstip",
    "datetime_parsing": "is geen geldig tijdstip",
    "datetime_from_date_parsing": "is geen geldig tijdstip",
    "greater_than": "is te klein",
    "less_than": "is te groot",
    "literal_error": "heeft een ongeldige waarde",
    "none_required": "moet leeg zijn",
    "url_parsing": "is geen geldige URL",
}
#: Said when pydantic reports a kind of error not listed above: the reply stays Dutch.
UNKNOWN_ERROR = "is ongeldig"


def field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "invoer"


def field_message(error: Mapping[str, Any]) -> str:
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return _MESSAGES.get(error["type"], UNKNOWN_ERROR)


def describe_validation_errors(errors: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(f"{field_name(e['loc'])}: {field_message(e)}" for e in errors) or "Ongeldige invoer."
