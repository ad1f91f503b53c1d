"""Demo situations are data: YAML files validated on load, read in a fixed order, and the seeded corpus they
give is pinned, so moving or editing a file cannot silently change the demo."""

import hashlib
import json
import shutil
from collections import Counter

import pytest

from casebook.demo import models as demo_models
from casebook.demo.generator import TEAMS, DemoCase, generate_cases

# sha256 of the built-in corpus (seed 2026) as `_fingerprint` writes it. It was taken from the corpus that
# situations.py generated before the situations became YAML; it changes only when the demo does.
BUILT_IN_CORPUS_SHA256 = "7b6445ff98beb03721d4654f3d77af725f046b7fcfce05c1aa762a2bf0a53378"
BUILT_IN_CASES = 159
BUILT_IN_SITUATIONS = 24


def _fingerprint(cases: list[DemoCase]) -> str:
    """Every field the generator sets (fields added to the case schemas later do not count)."""
    dumped = [
        {
            "situation": c.situation,
            "case": c.case.model_dump(mode="json", exclude_unset=True),
            "feedback": c.feedback.model_dump(mode="json", exclude_unset=True) if c.feedback else None,
            "invite_provider": c.invite_provider,
            "invite_partner": c.invite_partner,
        }
        for c in cases
    ]
    return hashlib.sha256(json.dumps(dumped, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@pytest.fixture
def situations_dir(tmp_path):
    """A copy of the built-in situation files that a test may change."""
    return shutil.copytree(demo_models.SITUATIONS_DIR, tmp_path / "situations")


def _add_situation(folder, name: str, text: str):
    (folder / name).write_text(text, "utf-8")
    return folder / name


def _situation_text(**changes: str) -> str:
    """The text of the built-in S11 file (the shortest) with whole lines replaced."""
    text = next(demo_models.SITUATIONS_DIR.glob("11_*.yaml")).read_text("utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def test_the_built_in_demo_is_the_same_corpus_as_before_the_situations_became_data():
    corpus = generate_cases()
    assert len(corpus) == BUILT_IN_CASES
    assert list(dict.fromkeys(c.situation for c in corpus)) == [f"S{n:02d}" for n in range(1, 25)]
    assert Counter(c.case.team for c in corpus).keys() == set(TEAMS)
    assert _fingerprint(corpus) == BUILT_IN_CORPUS_SHA256


def test_a_situation_added_at_the_end_leaves_every_existing_demo_case_as_it_was(situations_dir):
    _add_situation(situations_dir, "25_opnieuw.yaml", _situation_text(**{"code: S11": "code: S25"}))
    corpus = generate_cases(situations_dir=situations_dir)
    assert _fingerprint(corpus[:BUILT_IN_CASES]) == BUILT_IN_CORPUS_SHA256
    assert [c.case.external_id for c in corpus[BUILT_IN_CASES:]] == [
        "DEMO-160",
        "DEMO-161",
        "DEMO-162",
        "DEMO-163",
    ]
    assert {c.situation for c in corpus[BUILT_IN_CASES:]} == {"S25"}


def test_situation_files_are_read_in_the_order_of_their_number(tmp_path):
    for name, code in (("10_later.yaml", "S10"), ("9_eerder.yaml", "S09"), ("100_laatst.yaml", "S99")):
        _add_situation(tmp_path, name, _situation_text(**{"code: S11": f"code: {code}"}))
    assert [s.code for s in demo_models.load_situations(tmp_path)] == ["S09", "S10", "S99"]


def test_an_unknown_key_is_refused_naming_the_file_and_the_key(situations_dir):
    _add_situation(
        situations_dir,
        "25_typo.yaml",
        _situation_text(
            **{"code: S11": "code: S25", "owner_role: partner": "owner_role: partner\n    owner: buurthuis"}
        ),
    )
    with pytest.raises(demo_models.SituationFileError, match=r"^25_typo\.yaml: actions\.1\.owner: Extra"):
        demo_models.load_situations(situations_dir)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"code: S11\n": ""}, r"code: Field required"),
        ({"  maanden: [vier, acht, tien]\n": ""}, r"slot \{maanden\} has no values"),
        ({"{domain: tijdsbesteding,": "{domain: vrije tijd,"}, r"domains\.1\.domain: .*onbekend leefgebied"),
        ({"before: [1, 2]": "before: [2, 1]"}, r"domains\.0\.before: .*lower bound 2 above upper bound 1"),
        ({"owner_role: coach": "owner_role: buurman"}, r"actions\.0\.owner_role: "),
        ({"  leeftijd: ['74', '79', '82', '88']": "  leeftijd: [74, 79]"}, r"slots\.leeftijd\.0: .*string"),
        (
            {
                "support_questions:\n  - Ik wil weer wat te doen hebben en mensen om me heen.\n": "support_questions: []\n"
            },
            r"support_questions: .*at least 1",
        ),
    ],
)
def test_a_situation_file_the_generator_cannot_use_is_refused_on_load(tmp_path, change, problem):
    path = _add_situation(tmp_path, "1_kapot.yaml", _situation_text(**change))
    with pytest.raises(demo_models.SituationFileError, match=rf"^1_kapot\.yaml: .*{problem}"):
        demo_models.parse_situation(path)


def test_two_files_with_one_code_or_one_number_are_refused(tmp_path):
    _add_situation(tmp_path, "1_een.yaml", _situation_text())
    _add_situation(tmp_path, "2_twee.yaml", _situation_text())
    with pytest.raises(demo_models.SituationFileError, match=r"^2_twee\.yaml: code S11 is taken by 1_een"):
        demo_models.load_situations(tmp_path)
    _add_situation(tmp_path, "01_nog_een.yaml", _situation_text(**{"code: S11": "code: S12"}))
    with pytest.raises(demo_models.SituationFileError, match=r"number 1 is taken"):
        demo_models.load_situations(tmp_path)
