"""Search routes (filled in by the similar-case search work)."""

from fastapi import APIRouter

api_router = APIRouter()
router = APIRouter(include_in_schema=False)
