"""Every enumeration's label, in one place: the Dutch words users in the teams use, marked for the catalog.

The dictionaries hold the Dutch source text, which is also what goes into stored and shared text (a room's
transcript, the assistant's answers). Pages show `translated(...)` of them, in the reader's language."""

from collections.abc import Mapping
from typing import TypeVar

from casebook.accounts.models import Role
from casebook.cases.domains import ZRM_DOMAINS
from casebook.cases.models import (
    BottleneckKind,
    BottleneckResolution,
    BottleneckStatus,
    CaseStatus,
    RuleLevel,
)
from casebook.i18n import N_, gettext

ROLE_LABELS = {
    Role.coach: N_("wijkcoach"),
    Role.provider: N_("zorgaanbieder"),
    Role.partner: N_("netwerkpartner"),
    Role.manager: N_("manager/bestuurder"),
    Role.admin: N_("beheerder"),
}

CASE_STATUS_LABELS = {
    CaseStatus.open: N_("Lopend"),
    CaseStatus.closed: N_("Afgerond"),
}

KIND_LABELS = {
    BottleneckKind.mandaat: N_("mandaat (niemand aan tafel mag beslissen)"),
    BottleneckKind.doorlooptijd: N_("doorlooptijd"),
    BottleneckKind.schotten_budget: N_("schotten tussen budgetten"),
    BottleneckKind.privacy_gegevensdeling: N_("privacy en gegevensdeling"),
    BottleneckKind.toegangscriteria: N_("toegangscriteria"),
    BottleneckKind.administratieve_last: N_("administratieve last"),
    BottleneckKind.tegenstrijdige_regels: N_("tegenstrijdige regels"),
}

LEVEL_LABELS = {
    RuleLevel.national_law: N_("landelijke wet"),
    RuleLevel.local_ordinance: N_("lokale verordening"),
    RuleLevel.internal_instruction: N_("interne werkinstructie"),
}

BOTTLENECK_STATUS_LABELS = {
    BottleneckStatus.new: N_("gesignaleerd"),
    BottleneckStatus.acknowledged: N_("herkend"),
    BottleneckStatus.raised_to_policy: N_("geagendeerd"),
    BottleneckStatus.in_progress: N_("in behandeling"),
    BottleneckStatus.resolved: N_("opgelost"),
    BottleneckStatus.not_changeable: N_("niet aanpasbaar"),
}

RESOLUTION_LABELS = {
    BottleneckResolution.rule_changed: N_("regel aangepast"),
    BottleneckResolution.exception: N_("uitzondering"),
    BottleneckResolution.mandate_granted: N_("mandaat verleend"),
}

# chat.discussions.models.SessionStatus (casebook does not import chat; a StrEnum member finds its value's key).
DISCUSSION_STATUS_LABELS = {
    "planned": N_("gepland"),
    "live": N_("bezig"),
    "closed": N_("gesloten"),
}

# A life domain's stored name is its Dutch label (casebook.cases.domains marks them for the catalog).
DOMAIN_LABELS = {name: name for name in ZRM_DOMAINS}


K = TypeVar("K")


def translated(labels: Mapping[K, str]) -> dict[K, str]:
    """`labels` in the current reader's language, in the same order (for a page's selects and chips)."""
    return {key: gettext(label) for key, label in labels.items()}
