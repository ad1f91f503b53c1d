"""How close a question is in meaning to the cases found for it (multilingual-e5-small reading Dutch): a
question in other words than a case's is still closest to the case it is about."""

from datetime import timedelta

from sqlmodel import Session

from casebook.cases.models import Case
from casebook.timeutil import utcnow
from chat.assistant import meaning
from search import multilingual


def closeness(casebook, topic: str) -> dict[str, float]:
    cases = casebook["cases"]
    with Session(casebook["client"].app.state.engine) as db_session:
        found = meaning.closeness(
            db_session=db_session, topic=topic, case_ids=[cases[n] for n in ("debts", "arrears", "dementia")]
        )
    return {name: found[case_id] for name, case_id in cases.items() if case_id in found}


def test_a_question_in_other_words_is_closest_to_the_case_it_is_about(casebook):
    wandering = closeness(
        casebook, "echtgenoot steeds vergeetachtiger, zwerft rond, geen indicatie langdurige zorg"
    )
    assert max(wandering, key=wandering.__getitem__) == "dementia"
    signature = closeness(casebook, "niemand met de bevoegdheid zet een paraaf onder het besluit")
    assert max(signature, key=signature.__getitem__) in {"debts", "arrears"}


def test_only_the_cases_asked_for_are_read_and_an_empty_question_reads_none(casebook):
    cases = casebook["cases"]
    with Session(casebook["client"].app.state.engine) as db_session:
        assert meaning.closeness(db_session=db_session, topic="schulden", case_ids=[]) == {}
        assert meaning.closeness(db_session=db_session, topic="  ", case_ids=[cases["debts"]]) == {}
        assert set(meaning.closeness(db_session=db_session, topic="schulden", case_ids=[cases["debts"]])) == {
            cases["debts"]
        }


def test_what_is_compared_says_what_the_case_is_about_not_the_whole_story(casebook):
    cases = casebook["cases"]
    with Session(casebook["client"].app.state.engine) as db_session:
        text = meaning.passages(db_session=db_session, case_ids=[cases["debts"]])[cases["debts"]]
    assert text.startswith("Moeder met schulden, zoon spijbelt")
    assert "Wmo 2015 — Alleen de jurist mag het besluit tekenen" in text
    assert "energieleverancier" not in text  # the narrative: five times the model's time for no better match


def test_at_start_the_latest_cases_are_read_in_the_background_so_a_first_question_need_not(
    casebook, monkeypatch
):
    cases = casebook["cases"]
    engine = casebook["client"].app.state.engine
    latest = [cases["dementia"], cases["debts"]]  # changed last, the most recent first
    with Session(engine) as db_session:
        for minutes, case_id in enumerate(latest):
            db_session.get(Case, case_id).updated_at = utcnow() + timedelta(minutes=10 - minutes)
        db_session.commit()
        wanted = meaning.passages(db_session=db_session, case_ids=latest)
    read: list[str] = []
    real = multilingual._model().encode

    def counting(texts, **kwargs):
        read.extend(texts)
        return real(texts, **kwargs)

    monkeypatch.setattr(multilingual._model(), "encode", counting)
    monkeypatch.setattr(multilingual, "_cache", type(multilingual._cache)())  # a process just started
    assert meaning.warm_up(engine, cases=0) is None
    meaning.warm_up(engine, cases=len(latest)).join(timeout=120)
    assert read == [multilingual.readable(wanted[case_id]) for case_id in latest]
    read.clear()
    with Session(engine) as db_session:
        meaning.closeness(db_session=db_session, topic="schulden en een besluit", case_ids=latest)
    assert read == ["schulden en een besluit"]  # only the question: both cases were read at start
