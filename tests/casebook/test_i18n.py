"""The interface in English: every text the code and templates mark is in the catalog with an English
translation, no template shows text that is not marked, and every page of the product, opened with the
English switch, shows none of the catalog's Dutch (while Dutch stays the default)."""

import html
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from e2e.test_accessibility import PEOPLE, VISITS, seed_world
from fastapi.testclient import TestClient
from sqlmodel import Session

from casebook import i18n
from casebook.app import create_app
from casebook.db import make_engine
from casebook.settings import Settings
from casebook.templating import templates
from utils.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("casebook", "chat", "learning", "search", "templates")  # as `make messages` extracts


def _catalog() -> Catalog:
    with i18n.catalog_path("en").open("rb") as po:
        return read_po(po, locale="en")


def _marked() -> set[str | tuple[str, str]]:
    """What babel.cfg's extraction finds in the code and templates today."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: set[str | tuple[str, str]] = set()
    for source in SOURCES:
        for _, _, message, _, _ in extract_from_dir(ROOT / source, method_map, options_map):
            found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_every_catalog_entry_has_an_english_translation():
    untranslated = [
        message.id
        for message in _catalog()
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert untranslated == []


def test_the_catalog_holds_exactly_the_text_that_code_and_templates_mark():
    """`make messages` has been run: nothing marked is missing from the catalog, nothing in it is stale."""
    marked = _marked()
    in_catalog = {message.id for message in _catalog() if message.id}
    assert sorted(map(str, marked - in_catalog)) == [], "marked but not in the catalog: run `make messages`"
    assert sorted(map(str, in_catalog - marked)) == [], "in the catalog but no longer marked"


# ---- templates: no text outside _() / ngettext() / {% trans %} --------------------------------------------

_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SHOWN_ATTRIBUTE = re.compile(r'\b(?:placeholder|title|aria-label|alt|data-confirm)="([^"]*)"')
_ATTRIBUTES_ONLY = re.compile(r'^\s*(?:[\w-]+="[^"]*"\s*)+$')  # a macro that writes attributes
_WORD = re.compile(r"[^\W\d_]{2,}")
_NOT_WORDS = {"Casebook", "NL", "EN", "PDF", "CSV"}  # names, the same in every language
_GETTEXT = {"_", "gettext", "ngettext"}


def _has_words(text: str) -> bool:
    return any(word not in _NOT_WORDS for word in _WORD.findall(text))


def unmarked_text(source: str) -> list[str]:
    """Text a template shows without marking it: words between tags or in shown attributes outside
    `{% trans %}`, and string literals that read as prose (a space or a capital) outside a gettext call."""
    found: list[str] = []
    skeleton: list[str] = []  # the markup, with every tag/expression and trans block as \x00
    in_trans, calls, previous = False, [], None
    for token in templates.env.lexer.tokenize(source):
        if token.type == "name" and previous is not None and previous.type == "block_begin":
            in_trans = token.value == "trans" or (in_trans and token.value != "endtrans")
        if token.type == "data":
            skeleton.append("\x00" if in_trans else token.value)
        elif token.type in ("variable_begin", "block_begin"):
            skeleton.append("\x00")
        elif token.type == "lparen":
            calls.append(previous is not None and previous.type == "name" and previous.value in _GETTEXT)
        elif token.type == "rparen" and calls:
            calls.pop()
        elif token.type == "string" and not any(calls):
            if _has_words(token.value) and (" " in token.value.strip() or token.value[:1].isupper()):
                found.append(f"line {token.lineno}: {token.value!r}")
        previous = token
    markup = _COMMENT.sub("", "".join(skeleton))
    found += [
        value for tag in _TAG.findall(markup) for value in _SHOWN_ATTRIBUTE.findall(tag) if _has_words(value)
    ]
    found += [
        chunk.strip()
        for chunk in _TAG.sub("\x00", markup).split("\x00")
        if _has_words(chunk) and not _ATTRIBUTES_ONLY.match(chunk)
    ]
    return found


def test_the_check_finds_unmarked_text_in_a_template():
    source = (
        '<h1>{{ _("Casussen") }}</h1><p title="Uitleg">Geen casussen.</p>'
        '{{ "Nieuw" if x else "" }}{% trans %}Ingelogd als {{ name }}{% endtrans %}<a href="{{ url }}">NL</a>'
    )
    assert unmarked_text(source) == ["line 1: 'Nieuw'", "Uitleg", "Geen casussen."]


@pytest.mark.parametrize(
    "template", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.html"))
)
def test_every_text_a_template_shows_is_marked_for_translation(template):
    assert unmarked_text((ROOT / template).read_text()) == []


# ---- every page, in English ------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|<[^>]*>")


def _dutch_fragments() -> set[str]:
    """The catalog's Dutch that cannot be English by chance: each translated entry's pieces between
    placeholders and markup, of three words or more (short words such as 'Status' or 'open' read the same)."""
    fragments = set()
    for message in _catalog():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for dutch in ids:
            for piece in _PLACEHOLDER.split(dutch):
                piece = piece.strip(" .,:;·—()“”‘’")
                if len(piece.split()) >= 3 and all(piece not in english for english in strings):
                    fragments.add(piece)
    return fragments


def _shown_text(page: str) -> str:
    """What a reader sees or hears: the text between tags and the shown attributes (not values sent back)."""
    attributes = " ".join(_SHOWN_ATTRIBUTE.findall(page))
    return html.unescape(_TAG.sub(" ", _COMMENT.sub("", page)) + " " + attributes)


@pytest.fixture(scope="module")
def world(tmp_path_factory, databases):
    data_dir = tmp_path_factory.mktemp("english")
    database_url = databases.new(data_dir)
    settings = Settings(data_dir=data_dir, secret_key="english", database_url=database_url)
    engine = make_engine(settings.sqlalchemy_url)
    with Session(engine, expire_on_commit=False) as db:
        ids = seed_world(db)
    engine.dispose()
    yield settings, ids
    databases.drop(database_url)


@pytest.fixture(scope="module")
def english_pages(world) -> dict[str, str]:
    """Every page of the accessibility suite's list (and the fragments each loads), opened by its person with
    the English switch; plus the login refused and the case form sent back with errors."""
    settings, ids = world
    pages: dict[str, str] = {}
    fill = lambda path: re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)  # noqa: E731
    with TestClient(create_app(settings)) as client:
        for person in ["anonymous", *PEOPLE]:
            client.cookies.clear()
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
            if person != "anonymous":
                client.post("/login", data={"username": person, "password": PASSWORD, "csrf_token": csrf})
            assert client.get("/lang/en", follow_redirects=False).status_code == 303
            for visit in VISITS:
                if visit.role == person and visit.route != "/docs":
                    for path in (visit.url or visit.route, *visit.loads):
                        # The flag form's fragments answer the law typed (a page ignores the extra field).
                        typed = "&" if "?" in path else "?"
                        response = client.get(f"{fill(path)}{typed}law=Participatiewet+art.+34")
                        assert response.status_code in (200, visit.status), (path, response.status_code)
                        pages[f"{person} {fill(path)}"] = response.text
            if person == "anonymous":
                refused = client.post(
                    "/login", data={"username": "coach", "password": "x", "csrf_token": csrf}
                )
                pages["login refused"] = refused.text
            if person == "coach":
                form = {"csrf_token": csrf, "step": "review"}
                pages["case form with errors"] = client.post("/cases/new", data=form).text
                review = {
                    **form,
                    "title": "Energieschuld",
                    "team": "Wijkteam Noord",
                    "narrative": "Mevrouw Jansen",
                }
                pages["human check"] = client.post("/cases/new", data=review).text
    return pages


def test_every_page_in_english_shows_none_of_the_catalogs_dutch(english_pages):
    pages = english_pages
    fragments = _dutch_fragments()
    dutch = {name: sorted(f for f in fragments if f in _shown_text(page)) for name, page in pages.items()}
    assert {name: found for name, found in dutch.items() if found} == {}
    full_pages = [page for page in pages.values() if "<html" in page]
    assert full_pages and all('<html lang="en">' in page for page in full_pages)


def test_the_english_pages_read_in_english(english_pages):
    pages = english_pages
    case_page = next(text for name, text in pages.items() if re.fullmatch(r"coach /cases/\d+", name))
    assert "Support plan" in case_page and "Ondersteuningsplan" not in case_page
    assert "Logged in as <strong>coach" in case_page
    room = next(text for name, text in pages.items() if re.fullmatch(r"coach /sessions/\d+", name))
    assert '"connected": "connected"' in room and "Raise hand" in room
    assert "Check the marked fields" in pages["case form with errors"]
    assert "Wrong username or password." in pages["login refused"]


def test_dutch_stays_the_default_and_the_switch_goes_both_ways(client, db_session):
    from utils.factories import log_in, make_user

    make_user(db_session, "coach")
    log_in(client, "coach")
    assert '<html lang="nl">' in client.get("/cases").text
    client.get("/lang/en")
    page = client.get("/cases").text
    assert '<html lang="en">' in page and "New case" in page and "Nieuwe casus" not in page
    client.get("/lang/nl")
    assert "Nieuwe casus" in client.get("/cases").text


def test_a_configured_default_language_applies_until_the_reader_chooses(tmp_path, databases):
    database_url = databases.new(tmp_path)
    settings = Settings(data_dir=tmp_path, secret_key="x", database_url=database_url, default_language="en")
    with TestClient(create_app(settings)) as client:
        assert "Log in" in client.get("/login").text
        client.get("/lang/nl")
        assert "Inloggen" in client.get("/login").text
    databases.drop(database_url)


def test_the_catalog_is_compiled_from_the_po_file_in_memory():
    english = i18n.translations("en")
    assert english.gettext("Nieuwe casus") == "New case"
    assert english.ngettext("%(num)s casus", "%(num)s casussen", 2) == "%(num)s cases"
    with i18n.language("en"):
        assert i18n.gettext("Casussen") == "Cases"
    assert i18n.gettext("Casussen") == "Casussen"
    assert not list(i18n.LOCALES_DIR.rglob("*.mo"))


def test_pages_rendered_at_once_in_two_languages_do_not_mix(world):
    """The one Jinja2 environment serves concurrent requests, each in its reader's language."""
    from concurrent.futures import ThreadPoolExecutor

    settings, _ = world
    with TestClient(create_app(settings)) as client:

        def login_page(language: str) -> str:
            return client.get("/login", cookies={i18n.COOKIE: language}).text

        with ThreadPoolExecutor(max_workers=8) as pool:
            pages = list(pool.map(login_page, ["nl", "en"] * 20))
    assert all(("Inloggen" in p) != ("Log in" in p) for p in pages)
    assert [("Log in" in p) for p in pages] == [False, True] * 20
