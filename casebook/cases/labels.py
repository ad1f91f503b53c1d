"""Dutch labels for the enumerations, as users in the teams name them."""

from casebook.cases.models import BottleneckKind, BottleneckResolution, BottleneckStatus, RuleLevel

KIND_LABELS = {
    BottleneckKind.mandaat: "mandaat (niemand aan tafel mag beslissen)",
    BottleneckKind.doorlooptijd: "doorlooptijd",
    BottleneckKind.schotten_budget: "schotten tussen budgetten",
    BottleneckKind.privacy_gegevensdeling: "privacy en gegevensdeling",
    BottleneckKind.toegangscriteria: "toegangscriteria",
    BottleneckKind.administratieve_last: "administratieve last",
    BottleneckKind.tegenstrijdige_regels: "tegenstrijdige regels",
}

LEVEL_LABELS = {
    RuleLevel.national_law: "landelijke wet",
    RuleLevel.local_ordinance: "lokale verordening",
    RuleLevel.internal_instruction: "interne werkinstructie",
}

BOTTLENECK_STATUS_LABELS = {
    BottleneckStatus.new: "gesignaleerd",
    BottleneckStatus.acknowledged: "herkend",
    BottleneckStatus.raised_to_policy: "geagendeerd",
    BottleneckStatus.in_progress: "in behandeling",
    BottleneckStatus.resolved: "opgelost",
    BottleneckStatus.not_changeable: "niet aanpasbaar",
}

RESOLUTION_LABELS = {
    BottleneckResolution.rule_changed: "regel aangepast",
    BottleneckResolution.exception: "uitzondering",
    BottleneckResolution.mandate_granted: "mandaat verleend",
}
