"""Timestamps are timezone-aware UTC everywhere (SQLModel's UTCDateTime refuses naive ones)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """`moment` timezone-aware: SQLite hands back naive timestamps, which were written as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
