"""Domain errors with Dutch messages; the app turns them into the right HTTP status (and JSON `detail`
or a Dutch error page), so service functions never import FastAPI."""

import math


class CasebookError(Exception):
    status_code = 400

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NotFound(CasebookError):
    status_code = 404


class Forbidden(CasebookError):
    status_code = 403


class TooLarge(CasebookError):
    status_code = 413


class Invalid(CasebookError):
    status_code = 422


class RetryLater(CasebookError):
    """Refused for now; the app sends `retry_after` (whole seconds) as the Retry-After header. A
    `{seconds}` in the detail is filled with that same number, so message and header always agree."""

    status_code = 429

    def __init__(self, detail: str, retry_after: float):
        self.retry_after = max(1, math.ceil(retry_after))  # round up: never tell a client to retry too early
        super().__init__(detail.replace("{seconds}", str(self.retry_after)))


class Busy(RetryLater):
    """The server is at capacity (not this client's fault): 503 with Retry-After."""

    status_code = 503
