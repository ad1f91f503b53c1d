"""/docs: Swagger UI served from this server, never from a CDN.

The Swagger UI files come from the `swagger-ui-bundle-v2` package (the upstream swagger-ui-dist files,
vendored in a wheel), so the docs work offline and pass the Content-Security-Policy: the page has no
inline script; it is started by static/js/api-docs.js, and static/css/api-docs.css darkens the colours
that fall short of WCAG 2.1 AA's contrast. Without the package there is no UI, and the OpenAPI document at
/openapi.json stays either way.
"""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from casebook import policy

ASSETS = "/docs/assets"

_PAGE = """<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>{title} · API</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="stylesheet" href="/static/css/api-docs.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="/static/js/api-docs.js"></script>
</body>
</html>
"""


def swagger_ui_dir():
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    return swagger_ui_path


def install(app: FastAPI, docs_url: str = "/docs") -> None:
    directory = swagger_ui_dir()
    if directory is None or app.openapi_url is None:
        return
    app.mount(ASSETS, StaticFiles(directory=str(directory)), name="docs-assets")
    page = _PAGE.format(title=app.title, assets=ASSETS, openapi_url=app.openapi_url)

    @app.get(docs_url, include_in_schema=False)
    @policy.rule(policy.Rule.public)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)
