"""Security headers on every HTTP response the app sends (pages, API, errors, static files).

- Content-Security-Policy: scripts, styles and connections only from this origin (htmx, the Socket.IO
  client and the API docs' Swagger UI are served locally; no inline script or style anywhere), no framing,
  no <base> or form posts elsewhere. `img-src data:` is for the few icons inlined in stylesheets.
- X-Content-Type-Options, Referrer-Policy, X-Frame-Options (for browsers without frame-ancestors).
- Cache-Control: no-store on everything except static assets: pages and API answers can hold case text
  and, in the human check, text that has not been anonymised yet; no browser or proxy may keep a copy.

A plain ASGI middleware (not BaseHTTPMiddleware), so streaming and the request body are untouched.
"""

from collections.abc import Iterable

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

BASE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)
NO_STORE = (b"cache-control", b"no-store")


class SecurityHeadersMiddleware:
    def __init__(self, app, cacheable_prefixes: Iterable[str] = ("/static/",)):
        self.app = app
        self.cacheable_prefixes = tuple(cacheable_prefixes)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cacheable = scope["path"].startswith(self.cacheable_prefixes)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in _SET_HERE and (cacheable or name.lower() != b"cache-control")
                ]
                headers += BASE_HEADERS
                if not cacheable:
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SET_HERE = {name for name, _ in BASE_HEADERS}
