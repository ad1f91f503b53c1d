"""The API docs work offline and under the Content-Security-Policy: Swagger UI from this server only."""

import pytest

pytestmark = pytest.mark.e2e


def test_swagger_ui_renders_the_api_from_local_files_only(page, server, server_db):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server}/docs")
    page.wait_for_selector("#operations-cases-list_cases_api_v1_cases_get")
    assert page.locator(".opblock").count() >= 15
    assert requested and all(url.startswith((server, "data:")) for url in requested), requested
