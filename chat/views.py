"""Discussion room routes (filled in by the live room work)."""

from fastapi import APIRouter

api_router = APIRouter()
router = APIRouter(include_in_schema=False)
