"""The register form on a bottleneck's page: flat form values to a BottleneckPatch payload."""

from collections.abc import Mapping

TEAM_FIELDS = ("level", "delay_days", "extra_cost", "client_harm", "workaround", "proposal")
MANAGEMENT_FIELDS = ("status", "resolution", "reason", "owner")
NUMBERS = {"delay_days", "extra_cost"}


def register_patch(values: Mapping[str, str], *, manager: bool) -> dict:
    """The patch a submitted register form asks for. Only the fields the form showed are sent (the status
    part is shown to managers only); an empty number clears it, an empty choice leaves it as it is."""
    patch: dict = {}
    for field in TEAM_FIELDS + (MANAGEMENT_FIELDS if manager else ()):
        if field not in values:
            continue
        value = values[field].strip()
        if field in NUMBERS:  # whole numbers typed as text; anything else is refused by the strict schema
            patch[field] = int(value) if value.isdigit() and len(value) < 10 else (value or None)
        elif field in ("level", "status", "resolution"):
            if value:
                patch[field] = value
        else:
            patch[field] = value
    return patch
