"""Security headers on every response, no-store on everything but static files, and pages that need no
inline script or style (so the Content-Security-Policy can forbid both)."""

import re
from pathlib import Path

from utils.factories import make_user, token_for

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _assert_security_headers(response) -> None:
    csp = response.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"


def test_pages_api_answers_and_errors_carry_the_headers_and_are_never_stored(client, db_session):
    headers = token_for(db_session, make_user(db_session, "coach"))
    responses = [
        client.get("/login"),
        client.get("/api/v1/cases", headers=headers),
        client.get("/cases", headers=headers),
        client.get("/api/v1/cases"),  # 401
        client.get("/api/v1/cases/12345", headers=headers),  # 404
        client.post("/api/v1/anonymise", headers=headers, content=b"x" * 2_100_000),
    ]  # 413
    assert [r.status_code for r in responses] == [200, 200, 200, 401, 404, 413]
    for response in responses:
        _assert_security_headers(response)
        assert response.headers["cache-control"] == "no-store"


def test_static_files_carry_the_headers_but_may_be_cached(client):
    for path in ("/static/css/casebook.css", "/static/js/casebook.js", "/docs/assets/swagger-ui-bundle.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_security_headers(response)
        assert "no-store" not in response.headers.get("cache-control", "")


def test_the_api_docs_load_nothing_from_another_site_and_the_openapi_document_stays(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text), "the docs page must not use a CDN"
    assert "<script>" not in page.text  # only <script src=...>: the CSP allows no inline script
    for asset in re.findall(r"(?:src|href)=\"([^\"]+)\"", page.text):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/openapi.json").json()["paths"]


def test_no_template_has_inline_script_style_or_event_handler():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        # A JSON data block (type="application/json") is never executed, so the CSP needs no exception for it.
        inline = re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", text)
        assert not inline, f"inline <script> in {template}"
        assert "<style" not in text, f"inline <style> in {template}"
        assert not re.search(r"\sstyle=", text), f"style attribute in {template}"
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {template}"
        assert "hx-on" not in text and "javascript:" not in text, template
