"""The one Jinja2 environment. Templates get `_` (translate), `csrf_token`, `lang` and `user` globally."""

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from casebook.accounts.models import ROLE_LABELS_NL
from casebook.cases.domains import ZRM_DOMAINS
from casebook.cases.labels import BOTTLENECK_STATUS_LABELS, KIND_LABELS, LEVEL_LABELS, RESOLUTION_LABELS
from casebook.cases.models import Role
from casebook.deps import csrf_token
from casebook.i18n import language_of, translate

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def _context(request: Request) -> dict:
    lang = language_of(request)
    return {
        "lang": lang,
        "_": lambda text: translate(text, lang),
        "csrf_token": csrf_token(request),
        "role_labels": ROLE_LABELS_NL,
        "zrm_domains": ZRM_DOMAINS,
        "kind_labels": KIND_LABELS,
        "level_labels": LEVEL_LABELS,
        "bottleneck_status_labels": BOTTLENECK_STATUS_LABELS,
        "resolution_labels": RESOLUTION_LABELS,
        "roles": list(Role),
    }


templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_context])
