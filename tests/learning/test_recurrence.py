"""Bottlenecks about the same rule are found together however they are worded; management merges
duplicates and splits what does not belong together; everyone sees only what they may see."""

import numpy as np
from sqlmodel import select

from casebook.accounts.models import Role
from casebook.cases import service as case_service
from casebook.cases.models import Bottleneck
from casebook.settings import Settings
from learning.recurrence import service as recurrence_service
from learning.recurrence import signature
from learning.recurrence.models import BottleneckSignature, BottleneckVector
from utils.factories import log_in, make_case, make_user, token_for
from utils.rules import KOSTENDELER, PRIVACY

# One rule (only the mandated lawyer may sign Wmo decisions), three wordings.
JURIST = [
    {
        "law": "Wmo 2015",
        "kind": "mandaat",
        "delay_days": 38,
        "rule": "Mandaatregeling: beschikkingen maatwerkvoorziening alleen door de gemandateerde jurist te ondertekenen",
        "description": "Positief advies lag klaar, maar de enige jurist met mandaat had een achterstand.",
    },
    {
        "law": "Wet maatschappelijke ondersteuning",
        "kind": "mandaat",
        "delay_days": 33,
        "rule": "Intern mandaat: indicatiebesluiten alleen geldig na ondertekening door een gemandateerde medewerker",
        "description": "Besluit bleef vier weken liggen ter ondertekening door onderbezetting.",
    },
    {
        "law": "WMO 2015",
        "kind": "mandaat",
        "delay_days": 47,
        "rule": "Een besluit over een Wmo-voorziening moet worden getekend door de jurist van de backoffice",
        "description": "Het advies van de wijkcoach wachtte weken op de handtekening van de jurist.",
    },
]
# One rule (the bijstand cut for not meeting the work obligations, article 18 of the Participatiewet), cited
# and described differently; and another article of the same law with a description much like the first.
SANCTIE = [
    {
        "law": "Participatiewet art. 18 lid 2",
        "kind": "toegangscriteria",
        "delay_days": 30,
        "rule": "Verlaging van de bijstand met 100% gedurende een maand bij het niet nakomen van de "
        "arbeidsverplichtingen",
        "description": "Cliënt miste twee afspraken door een opname; de uitkering werd toch gekort.",
    },
    {
        "law": "PW",
        "kind": "toegangscriteria",
        "delay_days": 21,
        "rule": "Maatregel art 18 PW omdat cliënt niet op het re-integratiegesprek kwam",
        "description": "Brief niet begrepen door LVB; binnen een maand een huurachterstand.",
    },
]
MELDDATUM = {
    "law": "Participatiewet art. 44",
    "kind": "toegangscriteria",
    "delay_days": 30,
    "rule": "Bijstand pas vanaf de dag van melding, niet met terugwerkende kracht",
    "description": "Cliënt meldde zich te laat; de uitkering over die maand werd niet betaald.",
}


def _clusters(client, headers, **params):
    response = client.get("/api/v1/bottlenecks/recurring", headers=headers, params={"min_cases": 1, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_differently_worded_bottlenecks_of_one_rule_recur_together_and_other_rules_stay_apart(
    client, db_session
):
    coach = make_user(db_session, "coach")
    cases = [
        make_case(db_session, coach, title=f"Casus {i}", bottlenecks=[b])
        for i, b in enumerate(JURIST + KOSTENDELER)
    ]
    make_case(db_session, coach, title="Casus privacy", bottlenecks=[PRIVACY])
    clusters = _clusters(client, token_for(db_session, coach))
    groups = sorted(sorted(c["case_ids"]) for c in clusters)
    jurist, kostendeler = sorted(c.id for c in cases[:3]), sorted(c.id for c in cases[3:])
    assert jurist in groups and kostendeler in groups
    assert len(groups) == 3  # the privacy rule stands alone
    recurring = _clusters(client, token_for(db_session, coach), min_cases=2)
    assert [c["cases"] for c in recurring] == [3, 2]
    assert recurring[0]["total_delay_days"] == 38 + 33 + 47 and recurring[0]["median_delay_days"] == 38


def test_a_recurring_cluster_names_its_bottlenecks_cases_counts_delay_and_teams_as_far_as_the_asker_may_see(
    client, db_session
):
    north = make_user(db_session, "north")
    south = make_user(db_session, "south", teams=("Wijkteam Zuid",))
    mine = make_case(db_session, north, bottlenecks=[JURIST[0]])
    make_case(db_session, south, bottlenecks=[JURIST[1]])
    make_case(db_session, south, bottlenecks=[{**JURIST[2], "level": "internal_instruction"}])
    overseer = make_user(db_session, "bestuurder", Role.manager, teams=())
    [cluster] = _clusters(client, token_for(db_session, overseer), min_cases=2)
    assert set(cluster) >= {
        "cluster_id",
        "bottleneck_ids",
        "case_ids",
        "cases",
        "count",
        "total_delay_days",
        "median_delay_days",
        "teams",
        "law",
        "kind",
        "levels",
        "changeable_locally",
    }
    assert cluster["cases"] == cluster["count"] == 3 and len(cluster["bottleneck_ids"]) == 3
    assert cluster["teams"] == ["Wijkteam Noord", "Wijkteam Zuid"] and cluster["changeable_locally"] is True
    [own_part] = _clusters(
        client, token_for(db_session, make_user(db_session, "manager-noord", Role.manager))
    )
    assert own_part["case_ids"] == [mine.id] and own_part["teams"] == ["Wijkteam Noord"]
    assert own_part["cluster_id"] == cluster["cluster_id"] and own_part["total_delay_days"] == 38
    assert (
        _clusters(client, token_for(db_session, make_user(db_session, "provider", Role.provider, teams=())))
        == []
    )


def _two_clusters(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, title="Eerste", bottlenecks=[JURIST[0]])
    make_case(db_session, coach, title="Tweede", bottlenecks=[JURIST[1]])
    make_case(db_session, coach, title="Derde", bottlenecks=[PRIVACY])
    manager = token_for(db_session, make_user(db_session, "manager", Role.manager))
    clusters = _clusters(client, manager)
    jurist = next(c for c in clusters if c["cases"] == 2)
    privacy = next(c for c in clusters if c["cases"] == 1)
    return coach, manager, jurist, privacy


def test_a_manager_merges_a_duplicate_and_every_link_stays_a_coach_may_not(client, db_session):
    coach, manager, jurist, privacy = _two_clusters(client, db_session)
    refused = client.post(
        f"/api/v1/bottlenecks/recurring/{jurist['cluster_id']}/merge",
        headers=token_for(db_session, coach),
        json={"cluster_ids": [privacy["cluster_id"]]},
    )
    assert refused.status_code == 403
    bottleneck_id = privacy["bottleneck_ids"][0]
    client.patch(f"/api/v1/bottlenecks/{bottleneck_id}", headers=manager, json={"tags": ["avg"]})
    response = client.post(
        f"/api/v1/bottlenecks/recurring/{jurist['cluster_id']}/merge",
        headers=manager,
        json={"cluster_ids": [privacy["cluster_id"]]},
    )
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["cases"] == 3 and bottleneck_id in merged["bottleneck_ids"] and merged["tags"] == ["avg"]
    case = client.get(f"/api/v1/cases/{privacy['case_ids'][0]}", headers=manager).json()
    assert [b["id"] for b in case["bottlenecks"]] == [bottleneck_id]
    assert len(_clusters(client, manager)) == 1
    again = client.post(
        f"/api/v1/bottlenecks/recurring/{jurist['cluster_id']}/merge",
        headers=manager,
        json={"cluster_ids": [privacy["cluster_id"]]},
    )  # the old number leads to the merged cluster
    assert again.status_code == 422 and "zichzelf" in again.json()["detail"]


def test_a_manager_merges_and_splits_clusters_from_the_knelpunten_page(client, db_session):
    coach, manager, jurist, privacy = _two_clusters(client, db_session)
    csrf = log_in(client, "manager")
    merged = client.post(
        f"/knelpunten/clusters/{jurist['cluster_id']}/samenvoegen",
        data={"csrf_token": csrf, "cluster_ids": f"#{privacy['cluster_id']}"},
        follow_redirects=False,
    )
    assert (
        merged.status_code == 303
        and merged.headers["location"] == f"/knelpunten#cluster-{jurist['cluster_id']}"
    )
    assert [c["cases"] for c in _clusters(client, manager)] == [3]
    split = client.post(
        f"/knelpunten/clusters/{jurist['cluster_id']}/splitsen",
        data={"csrf_token": csrf, "bottleneck_ids": privacy["bottleneck_ids"]},
        follow_redirects=False,
    )
    assert split.status_code == 303 and split.headers["location"].startswith("/knelpunten#cluster-")
    assert sorted(c["cases"] for c in _clusters(client, manager)) == [1, 2]
    refused = client.post(
        f"/knelpunten/clusters/{jurist['cluster_id']}/samenvoegen",
        data={"csrf_token": csrf, "cluster_ids": "twee"},
    )
    assert refused.status_code == 422


def test_a_manager_splits_a_cluster_but_cannot_empty_it(client, db_session):
    coach, manager, jurist, _ = _two_clusters(client, db_session)
    url = f"/api/v1/bottlenecks/recurring/{jurist['cluster_id']}/split"
    emptied = client.post(url, headers=manager, json={"bottleneck_ids": jurist["bottleneck_ids"]})
    assert emptied.status_code == 422 and "minstens" in emptied.json()["detail"]
    response = client.post(url, headers=manager, json={"bottleneck_ids": jurist["bottleneck_ids"][1:]})
    assert response.status_code == 200, response.text
    remaining, new = response.json()
    assert remaining["bottleneck_ids"] == jurist["bottleneck_ids"][:1]
    assert new["bottleneck_ids"] == jurist["bottleneck_ids"][1:] and new["cluster_id"] != jurist["cluster_id"]
    assert _clusters(client, manager, min_cases=2) == []
    coach_split = client.post(
        url, headers=token_for(db_session, coach), json={"bottleneck_ids": new["bottleneck_ids"]}
    )
    assert coach_split.status_code == 403


def test_flagging_suggests_the_cluster_it_resembles(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, bottlenecks=[JURIST[0]])
    make_case(db_session, coach, bottlenecks=[JURIST[1]])
    flagged_in = make_case(db_session, coach)  # the room's case: its flag form sends it along
    log_in(client, "coach")
    cluster_id = client.get("/api/v1/bottlenecks/recurring").json()["items"][0]["cluster_id"]
    draft = {key: JURIST[2][key] for key in ("law", "kind", "rule", "description")}
    for in_case in ({"case_id": flagged_in.id}, {}):  # without its case, the rule alone is compared
        fragment = client.get(
            "/knelpunten/lijkt-op", params={**draft, **in_case}, headers={"HX-Request": "true"}
        )
        assert fragment.status_code == 200 and f"#{cluster_id}</a> (2 casussen" in fragment.text, in_case
    unrelated = client.get("/knelpunten/lijkt-op", params={**PRIVACY, "delay_days": None})
    assert "Lijkt op" not in unrelated.text
    assert "Lijkt op" not in client.get("/knelpunten/lijkt-op", params={"law": "", "kind": "mandaat"}).text


def test_cases_seen_by_invitation_count_in_the_recurring_rules_and_the_list_comes_a_page_at_a_time(
    client, db_session
):
    north = make_user(db_session, "north")
    south = make_user(db_session, "south", teams=("Wijkteam Zuid",))
    mine = make_case(db_session, north, bottlenecks=[JURIST[0]])
    theirs = make_case(db_session, south, bottlenecks=[JURIST[1]])
    make_case(db_session, south, bottlenecks=[KOSTENDELER[0]])
    make_case(db_session, north, bottlenecks=[PRIVACY])
    provider = make_user(db_session, "provider", Role.provider, teams=())
    for guest in (north, provider):
        case_service.invite(db_session=db_session, case=theirs, user=guest)
    db_session.commit()
    [jurist] = _clusters(client, token_for(db_session, north), min_cases=2)
    assert jurist["case_ids"] == sorted([mine.id, theirs.id]) and jurist["teams"] == [
        "Wijkteam Noord",
        "Wijkteam Zuid",
    ]
    [seen] = _clusters(client, token_for(db_session, provider))
    assert seen["case_ids"] == [theirs.id] and seen["cases"] == 1

    overseer = token_for(db_session, make_user(db_session, "bestuurder", Role.manager, teams=()))
    first = client.get(
        "/api/v1/bottlenecks/recurring", headers=overseer, params={"min_cases": 1, "per_page": 2}
    ).json()
    assert first["total"] == 3 and first["page"] == 1 and [c["cases"] for c in first["items"]] == [2, 1]
    second = client.get(
        "/api/v1/bottlenecks/recurring", headers=overseer, params={"min_cases": 1, "per_page": 2, "page": 2}
    ).json()
    assert len(second["items"]) == 1 and second["items"][0]["cluster_id"] not in {
        c["cluster_id"] for c in first["items"]
    }
    too_big = client.get("/api/v1/bottlenecks/recurring", headers=overseer, params={"per_page": 101})
    assert too_big.status_code == 422 and "per_page" in too_big.json()["detail"]


def test_one_article_of_a_law_cited_differently_recurs_and_another_article_of_that_law_stands_apart(
    client, db_session
):
    coach = make_user(db_session, "coach")
    first, second = (make_case(db_session, coach, bottlenecks=[b]) for b in SANCTIE)
    other = make_case(db_session, coach, bottlenecks=[MELDDATUM])
    clusters = _clusters(client, token_for(db_session, coach))
    assert sorted(sorted(c["case_ids"]) for c in clusters) == sorted(
        [sorted([first.id, second.id]), [other.id]]
    )


def test_flagging_suggests_the_cluster_citing_the_same_article_however_written_but_not_another_article(
    client, db_session
):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, title="Eerste", bottlenecks=[SANCTIE[0]])
    log_in(client, "coach")
    [cluster] = client.get("/api/v1/bottlenecks/recurring", params={"min_cases": 1}).json()["items"]
    same_article = {
        "law": "artikel 18 lid 2 van de Participatiewet",
        "kind": "tegenstrijdige_regels",
        "rule": "Sanctie bij verwijtbaar gedrag zonder te kijken naar de omstandigheden",
        "description": "Alleen een voedselpakket kon nog worden geregeld.",
    }
    fragment = client.get("/knelpunten/lijkt-op", params=same_article)
    assert f"#{cluster['cluster_id']}</a> (1 casus" in fragment.text
    other_article = {key: MELDDATUM[key] for key in ("law", "kind", "rule")} | {
        "description": "Cliënt miste twee afspraken door een opname; de uitkering werd toch niet betaald."
    }
    assert "Lijkt op" not in client.get("/knelpunten/lijkt-op", params=other_article).text


def test_the_case_a_bottleneck_is_flagged_in_counts_only_when_the_flagger_may_see_it(client, db_session):
    coach = make_user(db_session, "coach")
    other_team = make_user(db_session, "south", teams=("Wijkteam Zuid",))
    make_case(db_session, coach, bottlenecks=[JURIST[0]])
    make_case(db_session, coach, bottlenecks=[JURIST[1]])
    hidden = make_case(db_session, other_team, title="Gezin wacht op de handtekening van de jurist")
    draft = {key: JURIST[2][key] for key in ("law", "kind", "rule", "description")}
    headers = token_for(db_session, coach)
    similar = "/api/v1/bottlenecks/recurring/similar"
    refused = client.get(similar, params={**draft, "case_id": hidden.id}, headers=headers)
    assert refused.status_code == 403 and "detail" in refused.json()
    assert client.get(similar, params={**draft, "case_id": 999_999}, headers=headers).status_code == 404
    assert client.get(similar, params={**draft, "case_id": 2**40}, headers=headers).status_code == 422
    log_in(client, "coach")
    without = client.get("/knelpunten/lijkt-op", params=draft).text
    assert "Lijkt op" in without
    for case_id in (hidden.id, "999999", "abc", "1" * 40):  # left out, as if the room had sent no case
        fragment = client.get("/knelpunten/lijkt-op", params={**draft, "case_id": case_id})
        assert fragment.status_code == 200 and fragment.text == without, case_id


def test_the_similarity_of_a_suggestion_is_coarse_it_averages_cases_the_asker_may_not_see(client, db_session):
    coach = make_user(db_session, "coach")
    make_case(db_session, coach, bottlenecks=[JURIST[0]])
    make_case(db_session, coach, bottlenecks=[JURIST[1]])
    draft = {key: JURIST[2][key] for key in ("law", "kind", "rule", "description")}
    found = client.get(
        "/api/v1/bottlenecks/recurring/similar", params=draft, headers=token_for(db_session, coach)
    ).json()
    assert found and all(round(s["similarity"], 1) == s["similarity"] for s in found)


def test_a_bottleneck_in_a_like_situation_is_closer_than_the_same_words_in_another_situation():
    """The case part of a signature: the same wording, flagged in a case about the same situation, in
    another case, and without a case."""

    def draft(case_context: str) -> signature.Draft:
        rule = JURIST[2]
        return signature.Draft(
            rule["law"], rule["rule"], rule["description"], "mandaat", case_context=case_context
        )

    stored, *newcomers = recurrence_service.sign(
        [
            draft("Gezin met betalingsachterstanden wacht op Wmo-beschikking voor thuisondersteuning"),
            draft("Alleenstaande moeder met schulden wacht op besluit huishoudelijke hulp"),
            draft("Jongere van 17 met gedragsproblemen en schooluitval"),
            draft(""),
        ],
        settings=Settings(),
    )
    like, other, unknown = (float(signature.as_query(n) @ stored) for n in newcomers)
    # Without its case a draft is compared by its rule alone, against the rule's own threshold.
    assert like > other > unknown
    assert recurrence_service.threshold_for(draft("")) < recurrence_service.threshold_for(draft("Een gezin"))


def test_a_case_edited_later_signs_its_bottlenecks_again_in_their_clusters(client, db_session):
    coach = make_user(db_session, "coach")
    edited = make_case(db_session, coach, bottlenecks=[JURIST[0]])
    make_case(db_session, coach, bottlenecks=[JURIST[1]])
    bottleneck_id = db_session.exec(select(Bottleneck.id).where(Bottleneck.case_id == edited.id)).one()

    def stored() -> tuple[int, bytes]:
        db_session.expire_all()
        signature_row = db_session.get(BottleneckSignature, bottleneck_id)
        return signature_row.cluster_id, db_session.get(BottleneckVector, bottleneck_id).vector

    cluster_before, vector_before = stored()
    response = client.patch(
        f"/api/v1/cases/{edited.id}",
        headers=token_for(db_session, coach),
        json={"title": "Jongere van 17 met schooluitval", "support_question": "Weer naar school"},
    )
    assert response.status_code == 200, response.text
    cluster_after, vector_after = stored()
    assert cluster_after == cluster_before and vector_after != vector_before
    # The clusters in memory followed: the same as rebuilt from the database.
    query = signature.as_query(
        recurrence_service.sign(
            [signature.Draft(**{k: JURIST[2][k] for k in ("law", "rule", "description", "kind")})],
            settings=Settings(),
        )[0]
    )
    in_memory = recurrence_service._clusters(db_session).clusters.scores(query)
    recurrence_service.forget_memory(db_session=db_session)
    rebuilt = recurrence_service._clusters(db_session).clusters.scores(query)
    assert np.allclose(in_memory, rebuilt, atol=1e-3)
