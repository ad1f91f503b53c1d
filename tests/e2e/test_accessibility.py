"""Every page of the product meets WCAG 2.1 AA as far as axe-core can tell (the rules tagged WCAG 2.0 and 2.1,
levels A and AA): Dutch public-sector software must. The pages come from the app's routes: each GET route is a
page below (who opens it, in which state), an htmx fragment checked inside the page that loads it, or not HTML
at all; a route that is none of these fails here, so a new page cannot go unchecked.

The world: team Noord with a handful of demo cases (decisions, actions, bottlenecks, a provider's feedback),
labels and a rule card, a live room with messages and a closed one with its transcript, looked at by a coach,
a manager, a provider, the administrator and someone not signed in. One server and one browser for the module;
each person logs in once."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from fastapi.routing import iter_route_contexts
from sqlmodel import Session

from casebook.accounts.models import Role
from casebook.app import create_app
from casebook.cases import flows as case_flows
from casebook.cases.models import FeedbackIn, RuleLevel
from casebook.db import make_engine
from casebook.demo.generator import generate_cases
from casebook.settings import Settings
from chat import flows as chat_flows
from chat import methods
from chat.discussions.models import SessionCreate
from chat.stream.models import AgreementIn, BottleneckFlagIn
from learning.cards import flows as card_flows
from learning.cards.models import RuleCardIn
from learning.quarters import Quarter
from learning.tags import flows as tag_flows
from utils.factories import PASSWORD, make_user, token_for
from utils.servers import serve_process

# One module-scoped server and world: the whole module runs on one xdist worker.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("accessibility")]

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TEAM = "Wijkteam Noord"
PEOPLE = {
    "coach": Role.coach,
    "manager": Role.manager,
    "aanbieder": Role.provider,
    "partner": Role.partner,
    "beheerder": Role.admin,
}


# ---- the pages: what each route is, who opens it and in which state ---------------------------------------


def _fail_login(page) -> None:
    page.fill("input[name=username]", "coach")
    page.fill("input[name=password]", "fout")
    page.click("button.primary")
    page.locator("[role=alert]").wait_for()


def _submit_empty_case(page) -> None:
    page.click("text=Controleren en opslaan")
    page.locator("text=nog niet in orde").wait_for()


def _review_new_case(page) -> None:
    page.fill("input[name=title]", "Energieschuld bij alleenstaande moeder")
    page.fill("textarea[name=narrative]", "Mevrouw Sanne Jansen (BSN 111222333) belde over een afsluiting.")
    page.check("input[name=ld-0-on]")
    page.click("text=Controleren en opslaan")
    page.locator("mark.masked").first.wait_for()


def _review_case_edit(page) -> None:
    page.click("text=Controleren en opslaan")
    page.locator("button[value=save]").wait_for()


def _room_in_use(page) -> None:
    """Connected, the history shown, a bottleneck being typed (the rule card and 'looks like' panels) and the
    assistant's answer in the stream."""
    page.locator("#connection", has_text="verbonden").wait_for()
    page.locator("#stream li", has_text="wacht al zes weken").wait_for()
    page.fill("#bottleneck-form input[name=law]", "Participatiewet art. 34")
    page.locator("#bottleneck-form input[name=law]").dispatch_event("change")
    page.locator("#flag-rule-card *").first.wait_for()
    page.fill("#composer-text", "@assistent wat hebben we nog niet besproken?")
    page.click("#composer button[type=submit]")
    page.locator("#stream li.assistant").first.wait_for(timeout=90_000)


def _ask_the_assistant_and_save_the_answer(page) -> None:
    page.fill("form[hx-post$='/assistant'] textarea[name=message]", "hebben we dit eerder gezien?")
    page.click("form[hx-post$='/assistant'] button")
    page.locator("#assistant-log li").first.wait_for(timeout=90_000)
    page.click("#assistant-log button:has-text('Bewaar bij de casus')")
    page.locator("#assistant-log", has_text="Bewaard bij de casus").wait_for()


def _room_joined(page) -> None:
    page.locator("#connection", has_text="verbonden").wait_for()
    page.locator("#stream li", has_text="wacht al zes weken").wait_for()


@dataclass(frozen=True)
class Visit:
    """One person opening one page (``url`` overrides the route's own, e.g. with a query or a missing id) and
    ``act`` bringing it into the state to check; ``loads`` are the htmx fragments it must have fetched, and
    ``status`` what the page answers (so an error page is never checked in the page's place)."""

    name: str
    route: str
    role: str
    url: str | None = None
    act: Callable | None = None
    loads: tuple[str, ...] = field(default=())
    status: int = 200


VISITS = (
    Visit("login", "/login", "anonymous"),
    Visit("login-failed", "/login", "anonymous", act=_fail_login),
    Visit("case-list", "/cases", "coach"),
    Visit("case-new", "/cases/new", "coach"),
    Visit("case-new-with-errors", "/cases/new", "coach", act=_submit_empty_case),
    Visit("case-new-human-check", "/cases/new", "coach", act=_review_new_case),
    Visit(
        "case-page",
        "/cases/{case_id}",
        "coach",
        loads=(
            "/cases/{case_id}/similar",
            "/cases/{case_id}/sessions",
            "/cases/{case_id}/labels",
            "/cases/{case_id}/regelkaarten",
            "/cases/{case_id}/assistant",
        ),
    ),
    Visit("case-page-assistant", "/cases/{case_id}", "coach", act=_ask_the_assistant_and_save_the_answer),
    Visit("case-page-provider", "/cases/{case_id}", "aanbieder"),
    Visit("case-page-partner", "/cases/{case_id}", "partner"),
    Visit("case-edit", "/cases/{case_id}/edit", "coach"),
    Visit("case-edit-human-check", "/cases/{case_id}/edit", "coach", act=_review_case_edit),
    Visit("search", "/search", "coach", url="/search?q=schulden"),
    Visit("search-empty", "/search", "coach"),
    Visit("sessions", "/sessions", "coach"),
    Visit(
        "room-facilitator",
        "/sessions/{session_id}",
        "coach",
        act=_room_in_use,
        loads=("/regelkaarten/zoek", "/knelpunten/lijkt-op"),
    ),
    Visit("room-provider", "/sessions/{session_id}", "aanbieder", act=_room_joined),
    Visit(
        "transcript",
        "/sessions/{session_id}/transcript",
        "coach",
        url="/sessions/{closed_session_id}/transcript",
    ),
    Visit(
        "transcript-provider",
        "/sessions/{session_id}/transcript",
        "aanbieder",
        url="/sessions/{closed_session_id}/transcript",
    ),
    Visit("start", "/start", "coach"),
    Visit("start-manager", "/start", "manager"),
    Visit("bottlenecks", "/knelpunten", "manager"),
    Visit("bottleneck", "/knelpunten/{bottleneck_id}", "manager"),
    Visit("dashboard", "/dashboard", "manager"),
    Visit("report", "/dashboard/rapportage", "manager", url="/dashboard/rapportage?kwartaal={quarter}"),
    Visit("labels", "/labels", "manager"),
    Visit("rule-cards", "/regelkaarten", "manager"),
    Visit("rule-card", "/regelkaarten/{card_id}", "manager"),
    Visit("audit", "/beheer/audit", "beheerder"),
    Visit("api-docs", "/docs", "anonymous"),
    Visit("not-found", "/cases/{case_id}", "coach", url="/cases/999999", status=404),
    Visit("forbidden", "/beheer/audit", "coach", status=403),
)
#: GET routes that answer no HTML page: files and redirects.
NOT_PAGES = {
    "/",
    "/lang/{code}",
    "/beheer/audit.csv",
    "/dashboard/rapportage.csv",
    "/dashboard/rapportage.pdf",
    "/openapi.json",
    "/static",
    "/docs/assets",
}


def _html_routes(app) -> set[str]:
    return {
        route.path
        for route in iter_route_contexts(app.routes)
        if "GET" in (route.methods or {"GET"}) and not route.path.startswith("/api/")
    }


def test_every_page_and_fragment_of_the_app_is_checked(tmp_path):
    routes = _html_routes(create_app(Settings(data_dir=tmp_path, secret_key="routes")))
    checked = {visit.route for visit in VISITS} | {path for visit in VISITS for path in visit.loads}
    unchecked = routes - checked - NOT_PAGES
    assert unchecked == set(), f"add a Visit (or the fragment to a Visit's loads) for: {sorted(unchecked)}"
    assert (checked | NOT_PAGES) - routes == set(), "no such route any more"


# ---- the world, one server and one browser context per person ----------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory, databases, models_ready):
    data_dir = tmp_path_factory.mktemp("a11y")
    database_url = databases.new(data_dir)
    settings = Settings(data_dir=data_dir, secret_key="a11y", database_url=database_url)
    engine = make_engine(settings.sqlalchemy_url)
    with Session(engine, expire_on_commit=False) as db:
        ids = seed_world(db)
    engine.dispose()
    yield {"data_dir": data_dir, "database_url": database_url, **ids}
    databases.drop(database_url)


def seed_world(db: Session) -> dict:
    """The module's world, also shown in English by tests/casebook/test_i18n.py."""
    users = {
        name: make_user(db, name, role, teams=(TEAM,) if role in (Role.coach, Role.manager) else ())
        for name, role in PEOPLE.items()
    }
    cases, ids = _seed_cases(db, users)
    return {**ids, **_seed_rooms(db, users, cases), "token": token_for(db, users["coach"])}


def _seed_cases(db: Session, users: dict) -> tuple[list, dict]:
    """Six demo cases of the team (with bottlenecks and a provider's feedback), labels, rule cards, a note."""
    coach, manager = users["coach"], users["manager"]
    demo = [d for d in generate_cases() if d.case.bottlenecks and d.feedback][:6]
    cases = [
        case_flows.create_case(db_session=db, user=coach, data=d.case.model_copy(update={"team": TEAM}))
        for d in demo
    ]
    card = card_flows.create_card(
        db_session=db,
        user=manager,
        data=RuleCardIn(
            law=demo[0].case.bottlenecks[0].law,
            says="Wie een besluit mag nemen, en over welke bedragen.",
            who_can_change="Het college; de afdeling kan het mandaat verruimen.",
            room_to_deviate="Bij spoed beslist de teamleider.",
            level=RuleLevel.local_ordinance,
        ),
    )
    card_flows.create_card(db_session=db, user=manager, data=RuleCardIn(law="Participatiewet art. 34"))
    parent = tag_flows.create_tag(db_session=db, user=manager, name="Toegang", parent_id=None)
    tag_flows.create_tag(db_session=db, user=manager, name="Vermogenstoets", parent_id=parent.id)
    tag_flows.set_case_tags(db_session=db, user=coach, case=cases[0], names=["Vermogenstoets"])
    # A long note: the saved notes' list scrolls.
    case_flows.add_note(db_session=db, user=coach, case=cases[0], text=demo[1].case.narrative)
    quarter = Quarter.of(cases[0].held_at).label
    return cases, {"case_id": cases[0].id, "card_id": card.id, "quarter": quarter}


def _seed_rooms(db: Session, users: dict, cases: list) -> dict:
    """A live room on the first case (messages, one edited, a bottleneck, an agreement), a closed one on the
    second; the provider's feedback, after the room invited them, notifies the coach."""
    coach, provider = users["coach"], users["aanbieder"]
    live = chat_flows.plan_discussion(
        db_session=db,
        user=coach,
        data=SessionCreate(case_id=cases[0].id, participants=["aanbieder", "manager", "partner"]),
    )
    phases = methods.get(live.method).phases
    chat_flows.change_phase(db_session=db, discussion=live, user=coach, phase=phases[0].id)
    welcome, _ = chat_flows.post_message(
        db_session=db, discussion=live, user=coach, text="Welkom, we beginnen."
    )
    chat_flows.edit_message(
        db_session=db,
        discussion=live,
        user=coach,
        seq=welcome["seq"],
        text="Welkom allemaal, we beginnen zo.",
    )
    chat_flows.post_message(
        db_session=db,
        discussion=live,
        user=provider,
        text="Mevrouw Sanne Jansen wacht al zes weken op het besluit.",
    )
    chat_flows.change_phase(db_session=db, discussion=live, user=coach, phase=phases[1].id)
    bottleneck = chat_flows.flag_bottleneck(
        db_session=db,
        discussion=live,
        user=provider,
        data=BottleneckFlagIn(
            session_id=live.id,
            law="Participatiewet art. 34",
            kind="toegangscriteria",
            delay_days=42,
            description="Zes weken zonder inkomen door de vermogenstoets",
        ),
    )
    chat_flows.record_agreement(
        db_session=db,
        discussion=live,
        user=coach,
        data=AgreementIn(
            session_id=live.id, description="Aanvraag bijzondere bijstand indienen", owner_role=Role.coach
        ),
    )
    chat_flows.mark_domain(db_session=db, discussion=live, user=coach, domain="financiën")

    closed = chat_flows.plan_discussion(
        db_session=db, user=coach, data=SessionCreate(case_id=cases[1].id, participants=["aanbieder"])
    )
    chat_flows.change_phase(db_session=db, discussion=closed, user=coach, phase=phases[0].id)
    chat_flows.post_message(
        db_session=db, discussion=closed, user=coach, text="Korte afstemming over de huur."
    )
    chat_flows.close_discussion(db_session=db, discussion=closed, user=coach)
    case_flows.give_feedback(
        db_session=db,
        user=provider,
        case=cases[0],
        data=FeedbackIn(
            text="Vier uur per week blijkt te weinig; we vragen een herindicatie aan.", plan_worked=False
        ),
    )
    return {
        "session_id": live.id,
        "closed_session_id": closed.id,
        "bottleneck_id": bottleneck["data"]["bottleneck_id"],
    }


@pytest.fixture(scope="module")
def site(world, tmp_path_factory):
    env = {"DATABASE_URL": world["database_url"]} if world["database_url"] else {}
    log = tmp_path_factory.mktemp("a11y-log") / "server.log"
    with serve_process(log, CASEBOOK_DATA_DIR=str(world["data_dir"]), **env) as url:
        # The first search loads the embedding model (up to a minute on a loaded machine): before any page.
        httpx.get(f"{url}/api/v1/search", params={"q": "schulden"}, headers=world["token"], timeout=180)
        yield url


@pytest.fixture(scope="module")
def contexts(browser, site):
    """A browser context per person, logged in once; each collects the Content-Security-Policy's refusals."""
    made: dict[str, tuple] = {}
    for person in [*PEOPLE, "anonymous"]:
        context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
        refusals: list[str] = []
        context.on(
            "console",
            lambda message, refusals=refusals: (
                refusals.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        if person != "anonymous":
            page = context.new_page()
            page.goto(f"{site}/login")
            page.fill("input[name=username]", person)
            page.fill("input[name=password]", PASSWORD)
            page.click("button.primary")
            page.wait_for_url(re.compile(r".*/(cases|start)$"))
            page.close()
        made[person] = (context, refusals)
    yield made
    for context, _ in made.values():
        context.close()


# ---- the check --------------------------------------------------------------------------------------------


def _url(world, visit: Visit) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(world[m.group(1)]), visit.url or visit.route)


def _requested(site: str, route: str, urls: list[str]) -> bool:
    pattern = re.compile(re.escape(site) + re.sub(r"\\\{\w+\\\}", "[^/?]+", re.escape(route)) + r"(\?|$)")
    return any(pattern.match(url) for url in urls)


def _failed_fragments(page) -> list[str]:
    """The htmx fragments (GET fetches) the page loads that answer an error, collected as they come."""
    failed: list[str] = []

    def check(response) -> None:
        request = response.request
        if response.status >= 400 and request.method == "GET" and request.resource_type in ("fetch", "xhr"):
            failed.append(f"{response.status} {response.url}")

    page.on("response", check)
    return failed


def _violations(results: dict) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(node["html"][:160] for node in v["nodes"])
        for v in results["violations"]
    ]


@pytest.mark.parametrize("visit", VISITS, ids=[visit.name for visit in VISITS])
def test_the_page_has_no_wcag_a_or_aa_violations(visit, world, site, contexts):
    context, refusals = contexts[visit.role]
    refusals.clear()
    page = context.new_page()
    page.set_default_timeout(30_000)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    failed = _failed_fragments(page)
    try:
        response = page.goto(f"{site}{_url(world, visit)}")
        assert response is not None and response.status == visit.status, response and response.status
        if visit.act:
            visit.act(page)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert [f for f in visit.loads if not _requested(site, f, requested)] == [], "fragments not loaded"
        assert failed == [], "a fragment answered an error"
        results = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}
        )
    finally:
        page.close()
    assert _violations(results.response) == []
    assert refusals == []
