"""The `casebook` command as an administrator or a script would use it."""

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture
def run(settings):
    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        env = {**os.environ, "CASEBOOK_DATA_DIR": str(settings.data_dir), "HF_HUB_OFFLINE": "1"}
        env.pop("DATABASE_URL", None)
        if settings.database_url:
            env["DATABASE_URL"] = settings.database_url
        return subprocess.run(
            [sys.executable, "-m", "casebook.cli", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    return run


def test_anonymise_prints_the_contract_json_with_offsets_into_the_original(run):
    text = "Jan de Vries, BSN 111222333, mail jan@example.nl"
    result = run("anonymise", stdin=text)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert "111222333" not in body["text"] and "jan@example.nl" not in body["text"]
    for entity in body["entities"]:
        assert set(entity) == {"start", "end", "label", "replacement"}
    labels = {text[e["start"] : e["end"]]: e["label"] for e in body["entities"]}
    assert labels["111222333"] == "BSN" and labels["jan@example.nl"] == "EMAIL"


def test_anonymise_jsonl_answers_one_line_per_input_with_its_id(run):
    lines = "\n".join(json.dumps({"id": f"n{i}", "text": f"Bel 06-1234567{i}"}) for i in range(3))
    result = run("anonymise", "--jsonl", stdin=lines)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["n0", "n1", "n2"]
    assert all("06-" not in o["text"] for o in out)


def test_user_and_token_creation_give_a_working_api_token(run, settings):
    created = run(
        "user",
        "create",
        "anna",
        "--role",
        "coach",
        "--team",
        "Wijkteam Noord",
        stdin="geheim-wachtwoord\ngeheim-wachtwoord\n",
    )
    assert created.returncode == 0, created.stderr
    token = run("token", "create", "anna").stdout.strip()
    from fastapi.testclient import TestClient

    from casebook.app import create_app

    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_mismatched_passwords_create_no_user(run):
    result = run("user", "create", "bob", "--role", "coach", stdin="een-wachtwoord\nander-wachtwoord\n")
    assert result.returncode == 1
    assert "komen niet overeen" in result.stderr
    assert run("token", "create", "bob").returncode == 1


def test_import_reports_each_broken_line_and_export_writes_what_was_stored(run, tmp_path):
    source = tmp_path / "in.jsonl"
    good = {
        "external_id": "CAS-9",
        "title": "Schulden",
        "team": "Wijkteam Noord",
        "narrative": "[CLIENT] belde.",
        "life_domains": ["financiën"],
        "held_at": "2025-01-02",
    }
    source.write_text(json.dumps(good) + "\n" + '{"title": 5, "kleur": "rood"}\n')
    result = run("import", str(source))
    assert result.returncode == 1
    assert "regel 2" in result.stderr and "kleur" in result.stderr
    assert "1 casus(sen) geïmporteerd" in result.stdout
    target = tmp_path / "out.jsonl"
    assert run("export", str(target)).returncode == 0
    exported = [json.loads(line) for line in target.read_text().splitlines()]
    assert [e["external_id"] for e in exported] == ["CAS-9"]


def test_recluster_places_the_bottlenecks_again_and_says_what_it_did(run):
    result = run("learning", "recluster")
    assert result.returncode == 0, result.stderr
    assert "opnieuw geclusterd: 0 opnieuw geplaatst, 0 verplaatst" in result.stdout
