"""Similar-case search as coaches, scripts and administrators use it: free text, "more like this",
filters, access control, and an index that stays in step with the database across restarts."""

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from casebook.app import create_app
from casebook.cases import service as case_service
from casebook.cases.models import CaseUpdate
from search.embedding import get_embedder
from utils.factories import make_case, make_user, token_for

CASES = {
    "debts": {
        "title": "Moeder met schulden, zoon spijbelt, Wmo-besluit ligt bij jurist",
        "narrative": "[CLIENT] is alleenstaand en heeft grote schulden bij de energieleverancier en de verhuurder. "
        "Haar zoon verzuimt al weken van school; de leerplichtambtenaar dreigt met een proces-verbaal. "
        "De aanvraag voor begeleiding uit de Wmo is klaar, maar het besluit ligt al zes weken bij de jurist "
        "voor een handtekening.",
        "life_domains": ["financiën", "opvoeding"],
        "bottlenecks": [
            {
                "law": "Wmo 2015",
                "rule": "Alleen de jurist mag het besluit tekenen",
                "kind": "mandaat",
                "delay_days": 42,
            }
        ],
        "outcome": "Na escalatie tekende de teamleider binnen een week.",
        "held_at": "2024-03-12",
    },
    "arrears": {
        "title": "Betalingsachterstanden en schoolverzuim; indicatiebesluit wacht op handtekening",
        "narrative": "[CLIENT] heeft betalingsachterstanden bij de zorgverzekeraar. Haar dochter verzuimt structureel. "
        "Het indicatiebesluit voor ondersteuning is inhoudelijk rond, maar niemand in het wijkteam heeft "
        "mandaat om te tekenen; de jurist is met vakantie.",
        "life_domains": ["financiën", "opvoeding"],
        "bottlenecks": [
            {"law": "Wmo 2015", "rule": "Mandaatbesluit: tekenen door jurist", "kind": "mandaat"}
        ],
        "held_at": "2023-10-02",
    },
    "dementia": {
        "title": "Man met dementie tussen Wlz en Wmo; echtgenote overbelast",
        "narrative": "[CLIENT] heeft alzheimer en dwaalt 's nachts. Het CIZ wijst een Wlz-indicatie af omdat er geen "
        "permanent toezicht nodig zou zijn; de gemeente wil de Wmo-uren niet verder ophogen. "
        "[PARTNER] is uitgeput.",
        "life_domains": ["lichamelijke gezondheid", "huiselijke relaties"],
        "bottlenecks": [
            {
                "law": "Wet langdurige zorg",
                "rule": "Toegang alleen bij permanent toezicht",
                "kind": "toegangscriteria",
            }
        ],
        "held_at": "2024-01-20",
    },
    "housing": {
        "title": "Huurachterstand, corporatie mag niets delen",
        "narrative": "Het gezin van [CLIENT] heeft een huurachterstand van vier maanden. De woningcorporatie kent de "
        "situatie, maar mag zonder toestemming niets met het wijkteam delen vanwege de AVG. "
        "Er dreigt ontruiming.",
        "life_domains": ["huisvesting", "financiën"],
        "bottlenecks": [
            {"law": "AVG", "rule": "Geen gegevensdeling zonder toestemming", "kind": "privacy_gegevensdeling"}
        ],
        "held_at": "2022-06-01",
    },
    "youth": {
        "title": "Jongere wordt 18, jeugdhulp stopt en Wmo-begeleiding is nog niet geregeld",
        "narrative": "[CLIENT] woont in een pleeggezin en wordt volgende maand achttien. De jeugdhulp stopt op de "
        "verjaardag, terwijl het Wmo-onderzoek naar begeleiding nog maanden duurt.",
        "life_domains": ["tijdsbesteding", "sociaal netwerk"],
        "bottlenecks": [{"law": "Jeugdwet", "rule": "Jeugdhulp eindigt op 18", "kind": "doorlooptijd"}],
        "held_at": "2024-05-05",
    },
}


@pytest.fixture(scope="session", autouse=True)
def embedder():
    """Load the embedding model once for the whole run (every app after this reuses it)."""
    return get_embedder()


@pytest.fixture
def coach(db_session):
    return make_user(db_session, "coach")


@pytest.fixture
def corpus(client, db_session, coach) -> dict[str, int]:
    """The five cases above, created through the service layer while the app runs (so indexed live)."""
    return {name: make_case(db_session, coach, **fields).id for name, fields in CASES.items()}


def search(client, headers, q, **params):
    response = client.get("/api/v1/search", params={"q": q, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_free_text_query_ranks_the_matching_case_first_and_explains_why(client, db_session, coach, corpus):
    body = search(
        client, token_for(db_session, coach), "moeder schulden zoon spijbelt besluit ligt bij de jurist"
    )
    hits = body["hits"]
    assert hits[0]["case_id"] == corpus["debts"]
    assert {h["case_id"] for h in hits[:2]} == {corpus["debts"], corpus["arrears"]}
    assert "<mark>" in hits[0]["snippet_html"]
    assert {"schulden", "jurist"} <= set(hits[0]["why"]["matched_terms"])


def test_more_like_this_ranks_the_case_with_the_same_problem_first(client, db_session, coach, corpus):
    response = client.get(
        f"/api/v1/cases/{corpus['debts']}/similar?k=3", headers=token_for(db_session, coach)
    )
    assert response.status_code == 200, response.text
    hits = response.json()["hits"]
    assert hits[0]["case_id"] == corpus["arrears"]
    assert corpus["debts"] not in [h["case_id"] for h in hits]
    assert hits[0]["why"]["shared_domains"] == ["financiën", "opvoeding"]
    assert hits[0]["why"]["shared_kinds"] == ["mandaat"]


def test_a_deleted_case_is_never_returned(client, db_session, coach, corpus):
    headers = token_for(db_session, coach)
    assert client.delete(f"/api/v1/cases/{corpus['dementia']}", headers=headers).status_code == 204
    for query in ("dementie alzheimer wlz ciz", "echtgenote overbelast"):
        assert corpus["dementia"] not in [h["case_id"] for h in search(client, headers, query)["hits"]]
    similar = client.get(f"/api/v1/cases/{corpus['housing']}/similar?k=100", headers=headers).json()["hits"]
    assert corpus["dementia"] not in [h["case_id"] for h in similar]


def test_the_index_survives_restarts_and_a_stale_index_is_rebuilt(settings, db_session):
    coach = make_user(db_session, "coach")
    headers = token_for(db_session, coach)
    with TestClient(create_app(settings)) as client:  # 1. create while the app runs
        debts = make_case(db_session, coach, **CASES["debts"])
        dementia = make_case(db_session, coach, **CASES["dementia"])
    assert (settings.data_dir / "search" / "search.faiss").exists()
    with TestClient(create_app(settings)) as client:  # 2. restart: read from disk, nothing re-embedded
        assert search(client, headers, "alzheimer wlz")["hits"][0]["case_id"] == dementia.id
    # 3. while the app is down, the database changes behind the index's back: edit, delete, create
    case_service.update(
        db_session=db_session,
        user=coach,
        case=debts,
        data=CaseUpdate(title="Gezin met huurschuld bij woningcorporatie Veenhof"),
    )
    case_service.delete(db_session=db_session, user=coach, case=dementia)
    youth = make_case(db_session, coach, **CASES["youth"])
    with TestClient(create_app(settings)) as client:  # 4. restart: the stale index is brought in step
        assert search(client, headers, "huurschuld woningcorporatie")["hits"][0]["case_id"] == debts.id
        # (SQLite may hand the deleted case's id to the new case: compare by kenmerk)
        found = [h["external_id"] for h in search(client, headers, "alzheimer wlz dementie")["hits"]]
        assert dementia.external_id not in found
        assert search(client, headers, "jeugdhulp stopt bij 18")["hits"][0]["case_id"] == youth.id
        # 5. and edits while it runs are indexed at once
        client.patch(
            f"/api/v1/cases/{youth.id}", headers=headers, json={"title": "Pleegkind zonder begeleiding"}
        )
        assert search(client, headers, "pleegkind")["hits"][0]["case_id"] == youth.id
    meta = json.loads((settings.data_dir / "search" / "search.meta.json").read_text())
    assert set(meta["cases"]) == {str(debts.id), str(youth.id)} and len(meta["cases"]) == 2


def test_another_teams_case_never_appears(client, db_session, coach, corpus):
    south = make_user(db_session, "south", teams=("Wijkteam Zuid",))
    own = make_case(
        db_session, south, title="Zuid: schulden en spijbelen", narrative="Schulden, zoon spijbelt."
    )
    headers = token_for(db_session, south)
    hits = search(client, headers, "moeder schulden zoon spijbelt jurist", k=100)["hits"]
    assert [h["case_id"] for h in hits] == [own.id]
    assert client.get(f"/api/v1/cases/{corpus['debts']}/similar", headers=headers).status_code == 403
    similar = client.get(f"/api/v1/cases/{own.id}/similar?k=100", headers=headers).json()["hits"]
    assert similar == []


def test_filters_narrow_the_hits_and_facets_count_them(client, db_session, coach, corpus):
    headers = token_for(db_session, coach)
    everything = search(client, headers, "besluit begeleiding wmo", k=100)
    assert everything["facets"]["kind"]["mandaat"] == 2
    assert everything["facets"]["domain"]["financiën"] >= 2
    only_mandate = search(client, headers, "besluit begeleiding wmo", kind="mandaat", k=100)["hits"]
    assert {h["case_id"] for h in only_mandate} == {corpus["debts"], corpus["arrears"]}
    period = search(client, headers, "besluit begeleiding wmo", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert all(h["held_at"] >= "2024-01-01" for h in period["hits"]) and period["hits"]
    known = search(client, headers, "besluit begeleiding wmo", outcome="ja")["hits"]
    assert [h["case_id"] for h in known] == [corpus["debts"]]
    housing = search(client, headers, "schulden", domain="huisvesting")["hits"]
    assert [h["case_id"] for h in housing] == [corpus["housing"]]
    team = search(client, headers, "schulden", team="Wijkteam Noord")["hits"]
    assert team


def test_an_empty_query_is_refused_with_a_dutch_message(client, db_session, coach):
    response = client.get("/api/v1/search?q=%20%20", headers=token_for(db_session, coach))
    assert response.status_code == 422
    assert "zoekvraag" in response.json()["detail"]


@pytest.mark.parametrize(
    "param,value",
    [
        ("domain", "sterrenkunde"),
        ("kind", "toverij"),
        ("team", "Wijkteam Mars"),
        ("from", "gisteren"),
        ("outcome", "misschien"),
    ],
)
def test_an_unknown_filter_value_is_refused_naming_it(client, db_session, coach, param, value):
    response = client.get(
        "/api/v1/search", params={"q": "schulden", param: value}, headers=token_for(db_session, coach)
    )
    assert response.status_code == 422
    assert value in response.json()["detail"]


def test_k_above_100_is_capped_and_a_huge_query_is_truncated_not_refused(client, db_session, coach, corpus):
    headers = token_for(db_session, coach)
    assert search(client, headers, "schulden", k=500)["k"] == 100
    huge = search(client, headers, "schulden jurist " * 700)  # ~11 KB
    assert huge["truncated"] is True and len(huge["query"]) < 5000
    assert huge["hits"][0]["case_id"] in (corpus["debts"], corpus["arrears"])


def test_the_search_page_highlights_matches_and_escapes_everything_else(client, db_session, coach):
    case = make_case(
        db_session,
        coach,
        title="<script>alert(1)</script> schulden",
        narrative="Grote schulden <b>en</b> een aanmaning.",
    )
    page = client.get("/search?q=schulden", headers=token_for(db_session, coach))
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;b&gt;en&lt;/b&gt;" in page.text
    assert "<mark>schulden</mark>" in page.text
    assert f'href="/cases/{case.id}"' in page.text
    partial = client.get("/search?q=schulden", headers={**token_for(db_session, coach), "HX-Request": "true"})
    assert "<html" not in partial.text and "<mark>" in partial.text


def test_the_case_page_panel_lists_similar_cases(client, db_session, coach, corpus):
    panel = client.get(f"/cases/{corpus['debts']}/similar", headers=token_for(db_session, coach))
    assert panel.status_code == 200
    assert "Vergelijkbare casussen" in panel.text
    assert f'href="/cases/{corpus["arrears"]}"' in panel.text


def test_cli_search_and_similar_print_the_contract_json(client, db_session, coach, corpus, settings):
    from casebook.cli import app as cli

    env = {"CASEBOOK_DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.database_url or ""}
    runner = CliRunner()
    found = runner.invoke(cli, ["search", "dementie wlz ciz", "--k", "2", "--json"], env=env)
    assert found.exit_code == 0, found.output
    hits = json.loads(found.stdout)
    assert len(hits) == 2
    assert set(hits[0]) == {"case_id", "external_id", "score", "title", "snippet"}
    assert hits[0]["case_id"] == corpus["dementia"]
    external = case_service.get_or_raise(
        db_session=db_session, user=coach, case_id=corpus["debts"]
    ).external_id
    like = runner.invoke(cli, ["similar", external, "--json"], env=env)
    assert like.exit_code == 0, like.output
    assert json.loads(like.stdout)[0]["case_id"] == corpus["arrears"]
    reindexed = runner.invoke(cli, ["reindex"], env=env)
    assert reindexed.exit_code == 0 and "5 casus" in reindexed.stdout


def test_nprobe_really_applies_to_the_approximate_index():
    """IVF recall must follow nprobe, both as set on the index and through a filtered search (a wrapper
    such as IndexIDMap2 would silently ignore `.nprobe`, leaving every search at nprobe=1)."""
    import numpy as np

    from search import vector_index

    rng = np.random.default_rng(0)
    data = rng.standard_normal((4000, 32)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    ids = np.arange(len(data), dtype=np.int64) + 5000
    index = vector_index.VectorIndex(32, vector_index.ivf_index(data, ids, nlist=64))
    assert index.approximate and vector_index.faiss.extract_index_ivf(
        index.index
    ).nprobe == vector_index.nprobe_for(4000, 64)
    exact = (data[:50] @ data.T).argsort(axis=1)[:, ::-1][:, :10] + 5000

    def recall(allowed=None):
        got = index.search(data[:50], 10, allowed)[1]
        return np.mean([len(set(g) & set(e)) / 10 for g, e in zip(got, exact)])

    index.index.nprobe = 1
    low, low_filtered = recall(), recall(ids)
    index.index.nprobe = 64  # every list: exact
    assert recall() == 1.0 and recall(ids) == 1.0
    assert low < 0.9 and low_filtered < 0.9


def test_the_model_is_warmed_up_in_the_background_once_per_process(monkeypatch, settings):
    """An instance that opens no index at start (empty database) loads the model in a daemon thread, so
    the first case save does not load it inside the request; later calls start nothing."""
    import threading

    from search import service

    loads, release = [], threading.Event()
    monkeypatch.setattr(service, "_warm_ups", {})
    monkeypatch.setattr(service, "is_loaded", lambda model, backend: False)
    monkeypatch.setattr(
        service, "get_embedder", lambda model, *_: loads.append(model) or release.wait(5) or get_embedder()
    )
    first = service.warm_up(settings)
    assert first is not None and first.daemon and service.warm_up(settings) is first
    release.set()
    first.join(5)
    assert loads == [None] and service.warm_up(settings) is first
    started = []
    monkeypatch.setattr(service, "warm_up", lambda s: started.append(s))
    with TestClient(create_app(settings)):
        assert started == [settings]


def test_a_restricted_query_sees_changes_to_the_cases_it_may_see(embedder):
    """The per-visible-set selection is cached; any change to the index invalidates it."""
    from search.engine import SearchEngine
    from search.models import CaseDocument

    engine = SearchEngine(embedder)
    doc = CaseDocument(
        case_id=1, external_id="C-1", title="Schulden", narrative="Huurachterstand bij corporatie."
    )
    other = CaseDocument(case_id=2, external_id="C-2", title="Dementie", narrative="Wlz-indicatie afgewezen.")
    engine.sync([doc, other])
    assert set(engine.query_text("alzheimer", allowed={1, 2})) >= {2}
    engine.remove(2)
    assert 2 not in engine.query_text("wlz dementie", allowed={1, 2})
    engine.upsert(
        CaseDocument(
            case_id=2,
            external_id="C-2",
            title="Alzheimer en Wlz",
            narrative=" ".join(["De Wlz-indicatie voor alzheimer is afgewezen door het CIZ."] * 60),
        )
    )
    assert 2 in engine.query_text("alzheimer wlz", allowed={1, 2}, mode="semantic")
    chunks = engine.meta[2]["chunks"]
    assert chunks > 1 and set(range(2000, 2000 + chunks)) <= set(engine._scope({1, 2}, None).chunks.tolist())
    assert ranked_first(engine.query_text("alzheimer wlz", allowed={1, 2})) == 2


def ranked_first(scores):
    return max(scores, key=scores.get)
