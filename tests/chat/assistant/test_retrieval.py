"""Which cases the assistant cites for a question: the best hit first, then the hits that belong with it.
Cases of one situation share the rule in the way and its circumstances, so a neighbouring case that merely
shares some of the question's words gives way to one of the same situation a little lower in the ranking."""

from sqlmodel import Session

from casebook.accounts import service as account_service
from chat.assistant import retrieval
from search import service as search_service
from search.models import SearchHit


def hit(case_id: int, score: float) -> SearchHit:
    return SearchHit(case_id=case_id, external_id=f"CAS-{case_id}", score=score, title="", snippet="")


def like(table: dict[int, dict[int, float]], monkeypatch) -> None:
    """search's more-like-this scores as `table` gives them: anchor -> case -> score (0 when not given)."""

    def likeness(*, db_session, user, case_id, among, co_readers=()):
        return {c: table.get(case_id, {}).get(c, 0.0) for c in among}

    monkeypatch.setattr(search_service, "likeness", likeness)


def chosen(hits: list[SearchHit], limit: int = 3) -> list[int]:
    return [h.case_id for h in retrieval.coherent(db_session=None, user=None, hits=hits, limit=limit)]


def test_a_case_like_the_ones_already_chosen_goes_before_a_neighbour_that_scores_a_little_higher(monkeypatch):
    # 1 and 2 are one situation, 4 is its third case; 3 is a neighbouring situation that shares words with
    # the question but is hardly like 1 or 2.
    like({1: {2: 0.9, 3: 0.2, 4: 0.8}, 2: {3: 0.1, 4: 0.9}}, monkeypatch)
    assert chosen([hit(1, 1.0), hit(2, 0.9), hit(3, 0.8), hit(4, 0.7)]) == [1, 2, 4]


def test_the_cases_chosen_keep_their_order_for_whoever_sorts_them_by_score(monkeypatch):
    like({1: {4: 1.0}, 4: {3: 1.0}}, monkeypatch)
    hits = [hit(1, 0.95), hit(2, 0.8), hit(3, 0.5), hit(4, 0.4)]
    found = retrieval.coherent(db_session=None, user=None, hits=hits, limit=3)
    assert [h.case_id for h in found] == [1, 4, 3]
    assert [h.score for h in found] == sorted((h.score for h in found), reverse=True)
    assert found[1].score == round((0.4 + retrieval.LIKENESS_WEIGHT) / (1 + retrieval.LIKENESS_WEIGHT), 4)


def test_the_most_relevant_hit_for_the_question_always_comes_first(monkeypatch):
    like({2: {3: 1.0, 4: 1.0}, 3: {2: 1.0, 4: 1.0}}, monkeypatch)
    assert chosen([hit(1, 1.0), hit(2, 0.5), hit(3, 0.5), hit(4, 0.5)])[0] == 1


def test_without_likeness_the_questions_own_order_stands_and_no_more_than_asked_are_cited(monkeypatch):
    like({}, monkeypatch)
    hits = [hit(c, 1.0 - c / 10) for c in range(1, 11)]
    assert chosen(hits) == [1, 2, 3]
    assert chosen(hits[:2]) == [1, 2]
    assert chosen(hits, limit=1) == [1]


def test_the_question_still_counts_a_far_better_hit_is_not_pushed_out_by_a_little_likeness(monkeypatch):
    like({1: {2: 0.3, 3: 0.4}}, monkeypatch)
    assert chosen([hit(1, 1.0), hit(2, 0.9), hit(3, 0.2)], limit=2) == [1, 2]


def test_likeness_is_searchs_more_like_this_within_what_the_asker_may_see(casebook):
    cases = casebook["cases"]
    with Session(casebook["client"].app.state.engine) as db_session:
        coach = account_service.get_by_username(db_session=db_session, username="coach-noord")
        scores = search_service.likeness(
            db_session=db_session,
            user=coach,
            case_id=cases["debts"],
            among=[cases["arrears"], cases["dementia"], cases["housing_south"]],
        )
    assert scores[cases["arrears"]] > scores[cases["dementia"]]
    assert scores[cases["housing_south"]] == 0.0  # another team's case: never like anything for this coach


def test_the_cited_cases_of_a_situation_come_first_and_the_case_under_discussion_is_never_cited(casebook):
    cases = casebook["cases"]
    with Session(casebook["client"].app.state.engine) as db_session:
        coach = account_service.get_by_username(db_session=db_session, username="coach-noord")
        found = retrieval.similar_cases(
            db_session=db_session,
            user=coach,
            topic="moeder met schulden, zoon spijbelt, besluit wacht op handtekening van de jurist",
            context_case_id=cases["dementia"],
        )
    cited = [f.case.id for f in found]
    assert set(cited[:2]) == {cases["debts"], cases["arrears"]}
    assert cases["dementia"] not in cited and cases["housing_south"] not in cited


def test_a_hit_closer_in_meaning_goes_before_one_that_scores_a_little_higher_by_its_words(monkeypatch):
    like({}, monkeypatch)
    hits = [hit(1, 1.0), hit(2, 0.95), hit(3, 0.9)]
    found = retrieval.coherent(
        db_session=None, user=None, hits=hits, limit=3, closeness={1: 0.80, 2: 0.86, 3: 0.85}
    )
    assert [h.case_id for h in found] == [2, 3, 1]
    assert [h.score for h in found] == sorted((h.score for h in found), reverse=True)


def test_a_far_better_hit_by_its_words_is_not_overturned_by_a_little_closeness(monkeypatch):
    like({}, monkeypatch)
    hits = [hit(1, 1.0), hit(2, 0.5)]
    assert [
        h.case_id
        for h in retrieval.coherent(
            db_session=None, user=None, hits=hits, limit=2, closeness={1: 0.85, 2: 0.86}
        )
    ] == [1, 2]


def test_a_question_in_other_words_fits_when_a_case_is_close_in_meaning_and_holds_part_of_it():
    assert retrieval.fits(1.0, {})  # enough by the words alone
    assert retrieval.fits(0.7, {1: 0.80, 2: retrieval.CLOSE_ENOUGH})
    assert not retrieval.fits(0.7, {1: retrieval.CLOSE_ENOUGH - 0.01})
    assert not retrieval.fits(retrieval.FIT_FLOOR - 0.01, {1: 0.99})  # close in meaning, but too little said


def test_a_question_nothing_fits_by_its_words_gets_no_without_the_cases_being_read_by_the_model(
    casebook, monkeypatch
):
    def closeness(**_):
        raise AssertionError("the cases were read by the model")

    monkeypatch.setattr(retrieval.meaning, "closeness", closeness)
    with Session(casebook["client"].app.state.engine) as db_session:
        coach = account_service.get_by_username(db_session=db_session, username="coach-noord")
        found = retrieval.similar_cases(
            db_session=db_session, user=coach, topic="recept erwtensoep koken voor twaalf man"
        )
    assert found == []
