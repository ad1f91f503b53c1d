"""The interface's language. Dutch is the source language and the default; English comes from the gettext
catalog `locales/en/LC_MESSAGES/messages.po`, compiled in memory on first use (no binary `.mo` in the
repository, nothing to build before `make run`). An untranslated or fuzzy entry falls back to Dutch.

Each page request runs in its reader's language, held in a context variable (set by `LanguageMiddleware`
from the `lang` cookie, else `CASEBOOK_DEFAULT_LANGUAGE`), so `gettext` here and in the templates answers
in that language while the one Jinja2 environment stays shared between threads. The JSON API (its
`detail` messages are part of its contract), the command line and socket events answer in Dutch; so
does anything stored, which is never built with `gettext`.

In Python, mark text with `gettext`/`ngettext` where it is shown, or with `N_` where it is defined ahead of
the request (labels, constants) and passed through `gettext` when shown; templates use `_`, `ngettext` and
`{% trans %}`. `make messages` extracts them all (babel.cfg) into the catalogs."""

import gettext as gettext_module
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

LANGUAGES = ("nl", "en")
SOURCE_LANGUAGE = "nl"
COOKIE = "lang"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("language", default=SOURCE_LANGUAGE)


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The compiled catalog of `language` (read once per process); Dutch, the source, translates nothing."""
    if language == SOURCE_LANGUAGE:
        return gettext_module.NullTranslations()
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out, so they show in Dutch
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def current_language() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it: for text defined before anyone reads it
    (labels, constants), which the code that shows it passes through `gettext`."""
    return message


@contextmanager
def language(code: str) -> Iterator[None]:
    """Run the body in `code` (one of LANGUAGES), then return to the language before."""
    token = _current.set(code if code in LANGUAGES else SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def chosen_language(request: Request, default: str) -> str:
    """The reader's choice from the `lang` cookie (set by /lang/{code}), else the configured default."""
    choice = request.cookies.get(COOKIE)
    return choice if choice in LANGUAGES else default


class LanguageMiddleware:
    """Runs every page request in its reader's language (a plain ASGI middleware: the context variable it
    sets is seen by the endpoint, its thread-pool worker, the error handlers and the templates); requests
    under `dutch_prefixes` (the JSON API) stay in Dutch."""

    def __init__(self, app, default: str, dutch_prefixes: tuple[str, ...] = ()):
        self.app = app
        self.default = default
        self.dutch_prefixes = dutch_prefixes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(self.dutch_prefixes):
            return await self.app(scope, receive, send)
        with language(chosen_language(Request(scope), self.default)):
            await self.app(scope, receive, send)
