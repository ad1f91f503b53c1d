"""The Socket.IO side of the live room (filled in by the live room work)."""

from fastapi import FastAPI


def wrap(app: FastAPI):
    """Return the ASGI app that serves both `app` and Socket.IO on one port."""
    return app
