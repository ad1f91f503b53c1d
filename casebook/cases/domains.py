"""Life domains of the Self-Sufficiency Matrix (ZRM 2017) plus opvoeding, and the older names teams use."""

ZRM_DOMAINS: tuple[str, ...] = (
    "financiën",
    "werk & opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke relaties",
    "geestelijke gezondheid",
    "lichamelijke gezondheid",
    "middelengebruik",
    "basale ADL",
    "instrumentele ADL",
    "sociaal netwerk",
    "maatschappelijke participatie",
    "justitie",
    "opvoeding",
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
