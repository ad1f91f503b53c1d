"""Managers see, in charts with text alternatives, which rules cost the most, which domains are left
aside and what a coach mandate would change; coaches do not see the dashboard."""

import re

from sqlmodel import select

from casebook.accounts.models import Role
from learning.aggregates import flows as aggregate_flows
from learning.aggregates.models import DecisionCell, RuleCell
from utils.factories import make_case, make_user, token_for

WMO = {
    "law": "Wmo 2015",
    "kind": "mandaat",
    "level": "internal_instruction",
    "delay_days": 30,
    "rule": "Beschikking alleen door de gemandateerde jurist",
    "description": "Advies wachtte op de jurist.",
}


def _case(db_session, coach, held_at, **fields):
    data = {
        "held_at": held_at,
        "bottlenecks": [WMO],
        "support_plan": "Huishoudelijke hulp en schuldhulp.",
        "life_domains": [
            {"domain": "financiën", "addressed": False},
            {"domain": "huisvesting", "addressed": True},
        ],
        "decisions": [
            {
                "subject": "Huishoudelijke hulp",
                "decided_by_role": "jurist backoffice",
                "requested_on": "2025-01-06",
                "decided_on": "2025-02-10",
            },
            {
                "subject": "Schuldhulp",
                "decided_by_role": "consulent",
                "with_mandate": True,
                "requested_on": "2025-01-06",
                "decided_on": "2025-01-09",
            },
        ],
        "actions": [
            {"description": "Post openen", "owner_role": "coach", "due_date": "2025-01-20", "done": True}
        ],
        **fields,
    }
    return make_case(db_session, coach, **data)


def test_the_dashboard_draws_every_chart_with_a_text_alternative_for_managers(client, db_session):
    coach = make_user(db_session, "coach")
    _case(db_session, coach, "2025-02-03")
    _case(db_session, coach, "2025-05-12")
    page = client.get(
        "/dashboard", headers=token_for(db_session, make_user(db_session, "manager", Role.manager))
    )
    assert page.status_code == 200, page.text
    svgs = re.findall(r"<svg xmlns.*?</svg>", page.text, re.S)
    assert len(svgs) >= 7
    for svg in svgs:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert page.text.count("Tabel bij deze grafiek") == len(svgs)
    assert "2025-Q1" in page.text and "2025-Q2" in page.text
    # debts were present in both cases and addressed in neither; the lawyer took 35 days against 3 with mandate
    assert re.search(r"<th scope=\"row\">financiën</th><td>2</td><td>0</td>", page.text)
    assert re.search(r"<th scope=\"row\">jurist backoffice</th><td>70</td><td>6</td>", page.text)
    assert "2</strong> van 2 gedaan" in page.text


def test_coaches_get_no_dashboard(client, db_session):
    response = client.get("/dashboard", headers=token_for(db_session, make_user(db_session, "coach")))
    assert response.status_code == 403


def test_an_empty_period_says_so_and_a_bad_quarter_is_explained(client, db_session):
    _case(db_session, make_user(db_session, "coach"), "2025-02-03")
    headers = token_for(db_session, make_user(db_session, "manager", Role.manager))
    empty = client.get("/dashboard?van=2019-Q1&tot=2019-Q4", headers=headers)
    assert empty.status_code == 200 and "Geen casussen in deze selectie." in empty.text
    bad = client.get("/dashboard?van=vorig-jaar", headers=headers)
    assert bad.status_code == 422 and "geef een kwartaal als 2025-Q2" in bad.text


def _key_figures(page) -> tuple[int, int, int]:
    """(cases, bottlenecks, delay days) as the page's key figures say."""
    assert page.status_code == 200, page.text
    found = re.search(
        r"<strong>(\d+)</strong> casussen, <strong>(\d+)</strong> knelpunten, <strong>(\d+)</strong> "
        r"dagen vertraging",
        page.text,
    )
    return tuple(int(n) for n in found.groups())


def test_a_change_shows_on_the_next_render_and_reading_pages_leaves_nothing_to_recompute(client, db_session):
    coach = make_user(db_session, "coach")
    kept = _case(db_session, coach, "2025-02-03")
    erased = _case(db_session, coach, "2025-05-12")
    manager = token_for(db_session, make_user(db_session, "manager", Role.manager))
    assert _key_figures(client.get("/dashboard", headers=manager)) == (2, 2, 60)
    for url in (
        "/dashboard",
        f"/cases/{kept.id}",
        f"/api/v1/cases/{kept.id}",
        "/knelpunten",
        "/dashboard?van=2025-Q1",
    ):
        assert client.get(url, headers=manager).status_code == 200
        # reading marked nothing (checked after every page: the dashboard and register recompute what is stale)
        assert aggregate_flows.refresh(db_session=db_session) == 0, url

    added = client.post(
        "/api/v1/bottlenecks",
        headers=token_for(db_session, coach),
        json={**WMO, "case_id": kept.id, "delay_days": 5},
    )
    assert added.status_code == 201, added.text
    assert _key_figures(client.get("/dashboard", headers=manager)) == (2, 3, 65)

    moved = client.patch(
        f"/api/v1/bottlenecks/{added.json()['id']}", headers=manager, json={"status": "acknowledged"}
    )
    assert moved.status_code == 200, moved.text
    assert "herkend: 1" in client.get("/dashboard", headers=manager).text

    assert client.delete(f"/api/v1/cases/{erased.id}", headers=manager).status_code == 204
    page = client.get("/dashboard", headers=manager)
    assert _key_figures(page) == (1, 2, 35) and "2025-Q2" not in page.text


def test_a_case_moved_to_another_quarter_and_erased_leaves_no_law_or_role_in_any_cell(client, db_session):
    """The figures copy a rule's law and the role that decided; a case moved before its erasure leaves its
    former cell stale, and the erasure clears every stale cell, not only the case's present one."""
    coach = make_user(db_session, "coach")
    law, role = "Verordening zwembadpassen 2032", "regisseur zwembadzaken"
    moved = _case(
        db_session,
        coach,
        "2025-02-03",
        bottlenecks=[{**WMO, "law": law}],
        decisions=[
            {
                "subject": "Pas",
                "decided_by_role": role,
                "requested_on": "2025-01-06",
                "decided_on": "2025-02-10",
            }
        ],
    )
    manager = token_for(db_session, make_user(db_session, "manager", Role.manager))
    assert law in client.get("/dashboard", headers=manager).text  # the view computed the cells
    assert role in db_session.exec(select(DecisionCell.role)).all()
    patched = client.patch(f"/api/v1/cases/{moved.id}", headers=manager, json={"held_at": "2025-08-01"})
    assert patched.status_code == 200, patched.text
    assert client.delete(f"/api/v1/cases/{moved.id}", headers=manager).status_code == 204
    db_session.expire_all()
    assert law not in db_session.exec(select(RuleCell.law)).all()  # before any view recomputes a cell
    assert role not in db_session.exec(select(DecisionCell.role)).all()


def test_an_erased_case_takes_the_copy_of_its_law_out_of_the_figures_in_the_same_commit(client, db_session):
    coach = make_user(db_session, "coach")
    erased = _case(
        db_session, coach, "2025-02-03", bottlenecks=[{**WMO, "law": "Verordening leerlingenvervoer 2031"}]
    )
    manager = token_for(db_session, make_user(db_session, "manager", Role.manager))
    assert "Verordening leerlingenvervoer 2031" in client.get("/dashboard", headers=manager).text
    assert client.delete(f"/api/v1/cases/{erased.id}", headers=manager).status_code == 204
    assert db_session.exec(select(RuleCell.law)).all() == []  # before any view recomputes the cell
