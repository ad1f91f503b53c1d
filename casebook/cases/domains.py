"""Life domains of the Self-Sufficiency Matrix (ZRM 2017) plus opvoeding, and the older names teams use.
A domain's stored name is its Dutch label, marked for the catalog so pages can show it translated."""

from casebook.i18n import N_

ZRM_DOMAINS: tuple[str, ...] = (
    N_("financiën"),
    N_("werk & opleiding"),
    N_("tijdsbesteding"),
    N_("huisvesting"),
    N_("huiselijke relaties"),
    N_("geestelijke gezondheid"),
    N_("lichamelijke gezondheid"),
    N_("middelengebruik"),
    N_("basale ADL"),
    N_("instrumentele ADL"),
    N_("sociaal netwerk"),
    N_("maatschappelijke participatie"),
    N_("justitie"),
    N_("opvoeding"),
)

_ALIASES = {
    "financien": "financiën",
    "schulden": "financiën",
    "werk en opleiding": "werk & opleiding",
    "werk": "werk & opleiding",
    "opleiding": "werk & opleiding",
    "dagbesteding": "tijdsbesteding",
    "verslaving": "middelengebruik",
    "adl-vaardigheden": "basale ADL",
    "adl vaardigheden": "basale ADL",
    "adl": "basale ADL",
    "huiselijke relaties": "huiselijke relaties",
    "gezinsrelaties": "huiselijke relaties",
    "lichamelijke gezondheid": "lichamelijke gezondheid",
    "maatschappelijke participatie": "maatschappelijke participatie",
    "sociaal netwerk": "sociaal netwerk",
}

_LOOKUP = {name.lower(): name for name in ZRM_DOMAINS} | _ALIASES


class UnknownDomain(ValueError):
    def __init__(self, value: str):
        super().__init__(f"onbekend leefgebied: {value!r}")
        self.value = value


def normalise_domain(value: str) -> str:
    """Map a ZRM 2017 name or a common older name onto the ZRM 2017 name; raise UnknownDomain otherwise."""
    key = " ".join(value.strip().lower().split())
    if key in _LOOKUP:
        return _LOOKUP[key]
    raise UnknownDomain(value)
