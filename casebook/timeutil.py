"""Timestamps are timezone-aware UTC everywhere (SQLModel's UTCDateTime refuses naive ones)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
