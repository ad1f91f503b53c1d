"""The one Jinja2 environment, with Jinja2's i18n extension: templates mark text with `_("…")`,
`ngettext(…)` or `{% trans %}` (new-style: `_("Pagina %(page)s", page=n)`), answered by casebook.i18n in
the request's language. Templates also get `csrf_token`, `lang` and the enumerations' labels, translated."""

from pathlib import Path

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates

from casebook import i18n, labels
from casebook.cases.domains import ZRM_DOMAINS
from casebook.cases.models import Role
from casebook.deps import csrf_token

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


def _context(request: Request) -> dict:
    return {
        "lang": i18n.current_language(),
        "csrf_token": csrf_token(request),
        "role_labels": labels.translated(labels.ROLE_LABELS),
        "case_status_labels": labels.translated(labels.CASE_STATUS_LABELS),
        "discussion_status_labels": labels.translated(labels.DISCUSSION_STATUS_LABELS),
        "domain_labels": labels.translated(labels.DOMAIN_LABELS),
        "zrm_domains": ZRM_DOMAINS,
        "kind_labels": labels.translated(labels.KIND_LABELS),
        "level_labels": labels.translated(labels.LEVEL_LABELS),
        "bottleneck_status_labels": labels.translated(labels.BOTTLENECK_STATUS_LABELS),
        "resolution_labels": labels.translated(labels.RESOLUTION_LABELS),
        "roles": list(Role),
    }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=jinja2.select_autoescape(),
        extensions=["jinja2.ext.i18n"],
    )
    # The callables read the request's language at call time, so one shared environment serves every
    # request in its own language (no per-request install, nothing to race between threads).
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


templates = Jinja2Templates(env=_environment(), context_processors=[_context])
