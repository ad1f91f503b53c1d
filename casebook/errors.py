"""Domain errors with Dutch messages; the app turns them into the right HTTP status (and JSON `detail`
or a Dutch error page), so service functions never import FastAPI."""


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
