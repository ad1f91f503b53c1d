"""The OpenAPI document describes the error model the API really has.

Every error is `{"detail": "<one Dutch sentence>"}` (see casebook.app's error handlers and
casebook.validation), so the document has one `ErrorResponse` schema and every /api/v1 operation lists
each status it can return with that schema. FastAPI's own 422 model (a list of validation errors) is
replaced: the server never sends it.

Which statuses an operation can return follows from its shape, so views stay as they are:

- 401 everywhere (every API route requires a bearer token or a session);
- 403 for state-changing methods (CSRF check on cookie sessions, role checks) and where a resource id
  is in the path (access to that resource);
- 404 where a resource id is in the path or the body (`case_id`, ...);
- 400 where a request body is accepted (a body that cannot be decoded at all);
- 413 there too (the body size limit and the text size limits);
- 422 where the operation takes parameters or a body.

A route can add a status of its own with FastAPI's `responses={429: {}}`; it gets the same schema here.
"""

import json
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

ERROR_SCHEMA = "ErrorResponse"
_REF = f"#/components/schemas/{ERROR_SCHEMA}"
_UNSAFE = {"post", "put", "patch", "delete"}
_FASTAPI_422 = ("HTTPValidationError", "ValidationError")

ERROR_DESCRIPTIONS = {
    400: "De inhoud van het verzoek is onleesbaar (geen JSON of geen UTF-8).",
    401: "Niet ingelogd: geen, een ongeldig of een verlopen token.",
    403: "Geen toegang tot deze gegevens of handeling, of een ontbrekend CSRF-token bij een sessiecookie.",
    404: "Bestaat niet (meer).",
    409: "Conflict met de huidige toestand.",
    413: "Verzoek of tekst is te groot.",
    422: "Ongeldige invoer: per veld in één zin wat er mis is (zonder de invoer te herhalen).",
    429: "Te veel verzoeken; probeer het na Retry-After seconden opnieuw.",
    503: "Tijdelijk overbelast; probeer het na Retry-After seconden opnieuw.",
}


class ErrorResponse(BaseModel):
    """Every error of the API: one Dutch sentence, never a stack trace and never the input itself."""

    detail: str = Field(description="Wat er mis is, in één of enkele Nederlandse zinnen.")


def install(app: FastAPI, api_prefix: str) -> None:
    """Make `app.openapi()` (and so /openapi.json and /docs) document the real error model."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = app.openapi_schema
        if schema is None:
            schema = build()  # FastAPI caches it in app.openapi_schema
            document_errors(schema, api_prefix)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend the schema


def document_errors(schema: dict[str, Any], api_prefix: str) -> dict[str, Any]:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas[ERROR_SCHEMA] = ErrorResponse.model_json_schema()
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "put", "post", "patch", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            statuses = {int(code) for code in responses if code.isdigit() and int(code) >= 400}
            if path.startswith(api_prefix):
                statuses |= _statuses_of(method, operation, schemas)
            for status in sorted(statuses):
                responses[str(status)] = _error_response(status, responses.get(str(status)))
            operation["responses"] = dict(sorted(responses.items()))
    _drop_unused(schema, _FASTAPI_422)
    return schema


def _statuses_of(method: str, operation: dict[str, Any], schemas: dict[str, Any]) -> set[int]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    path_id = any(p.get("in") == "path" for p in parameters)
    statuses = {401}
    if method in _UNSAFE or path_id:
        statuses.add(403)
    if path_id or (has_body and _body_names_an_id(operation["requestBody"], schemas)):
        statuses.add(404)
    if has_body:
        statuses |= {400, 413}
    if parameters or has_body:
        statuses.add(422)
    return statuses


def _body_names_an_id(request_body: dict[str, Any], schemas: dict[str, Any]) -> bool:
    for media in request_body.get("content", {}).values():
        body_schema = media.get("schema", {})
        ref = body_schema.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            body_schema = schemas.get(ref.rsplit("/", 1)[1], {})
        for name, prop in body_schema.get("properties", {}).items():
            if name.endswith("_id") and _is_integer(prop):
                return True
    return False


def _is_integer(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "integer" or any(_is_integer(p) for p in prop.get("anyOf", []))


def _error_response(status: int, existing: dict[str, Any] | None) -> dict[str, Any]:
    description = (existing or {}).get("description") or ERROR_DESCRIPTIONS.get(status, "Fout.")
    if status == 422 and description == "Validation Error":
        description = ERROR_DESCRIPTIONS[422]
    response = {"description": description, "content": {"application/json": {"schema": {"$ref": _REF}}}}
    if status in (429, 503):
        response["headers"] = {
            "Retry-After": {
                "description": "Seconden tot een nieuwe poging zin heeft.",
                "schema": {"type": "integer", "minimum": 1},
            }
        }
    return response


def _drop_unused(schema: dict[str, Any], names: tuple[str, ...]) -> None:
    """Remove component schemas nothing refers to any more (FastAPI's validation error models)."""
    schemas = schema["components"]["schemas"]
    for name in names:
        if name not in schemas:
            continue
        body = dict(schema)
        body["components"] = {
            **schema["components"],
            "schemas": {k: v for k, v in schemas.items() if k != name},
        }
        if f'"#/components/schemas/{name}"' not in json.dumps(body):
            del schemas[name]
