"""Turn pydantic validation errors into one sentence per field (Dutch, or the page's language), without echoing
the input back (the input may hold text that has not been anonymised yet)."""

from collections.abc import Mapping, Sequence
from typing import Any

from casebook.i18n import N_, gettext

_MESSAGES = {
    "missing": N_("is verplicht"),
    "string_too_short": N_("mag niet leeg zijn"),
    "string_too_long": N_("is te lang"),
    "extra_forbidden": N_("is een onbekend veld"),
    "date_from_datetime_parsing": N_("is geen geldige datum (JJJJ-MM-DD)"),
    "date_parsing": N_("is geen geldige datum (JJJJ-MM-DD)"),
    "date_type": N_("is geen geldige datum (JJJJ-MM-DD)"),
    "int_parsing": N_("moet een geheel getal zijn"),
    "greater_than_equal": N_("is te klein"),
    "less_than_equal": N_("is te groot"),
    "enum": N_("heeft een ongeldige waarde"),
    "bool_parsing": N_("moet ja of nee zijn"),
    "json_invalid": N_("is geen geldige JSON"),
    "json_type": N_("is geen geldige JSON"),
    "string_type": N_("moet tekst zijn"),
    "string_pattern_mismatch": N_("heeft een ongeldige vorm"),
    "string_unicode": N_("moet geldige tekst (UTF-8) zijn"),
    "int_type": N_("moet een geheel getal zijn"),
    "int_from_float": N_("moet een geheel getal zijn"),
    "int_parsing_size": N_("is te groot"),
    "float_type": N_("moet een getal zijn"),
    "float_parsing": N_("moet een getal zijn"),
    "finite_number": N_("moet een eindig getal zijn"),
    "bool_type": N_("moet ja of nee zijn"),
    "list_type": N_("moet een lijst zijn"),
    "tuple_type": N_("moet een lijst zijn"),
    "set_type": N_("moet een lijst zijn"),
    "dict_type": N_("moet een object zijn"),
    "model_type": N_("moet een object zijn"),
    "model_attributes_type": N_("moet een object zijn"),
    "too_long": N_("bevat te veel onderdelen"),
    "too_short": N_("bevat te weinig onderdelen"),
    "date_from_datetime_inexact": N_("is geen geldige datum (JJJJ-MM-DD)"),
    "date_past": N_("moet in het verleden liggen"),
    "date_future": N_("moet in de toekomst liggen"),
    "datetime_type": N_("is geen geldig tijdstip"),
    "datetime_parsing": N_("is geen geldig tijdstip"),
    "datetime_from_date_parsing": N_("is geen geldig tijdstip"),
    "greater_than": N_("is te klein"),
    "less_than": N_("is te groot"),
    "literal_error": N_("heeft een ongeldige waarde"),
    "none_required": N_("moet leeg zijn"),
    "url_parsing": N_("is geen geldige URL"),
}
#: Said when pydantic reports a kind of error not listed above: the reply stays Dutch.
UNKNOWN_ERROR = N_("is ongeldig")


def field_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "invoer"


def field_message(error: Mapping[str, Any]) -> str:
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return gettext(_MESSAGES.get(error["type"], UNKNOWN_ERROR))


def describe_validation_errors(errors: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(f"{field_name(e['loc'])}: {field_message(e)}" for e in errors) or gettext(
        "Ongeldige invoer."
    )
