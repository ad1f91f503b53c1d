"""Who is in which room right now. In one process a dict is enough; with several processes (REDIS_URL) the
connections of every process are kept in one Redis hash per session, so everyone sees everyone."""

import json
from typing import Any, Protocol

PRESENCE_TTL_SECONDS = 12 * 3600


class Presence(Protocol):
    async def add(self, session_id: int, sid: str, member: dict) -> None: ...
    async def remove(self, session_id: int, sid: str) -> None: ...
    async def members(self, session_id: int) -> list[dict]: ...


def _distinct(members: list[dict]) -> list[dict]:
    """One entry per user, however many tabs or devices they have open, ordered by name."""
    by_user = {member["username"]: member for member in members}
    return sorted(by_user.values(), key=lambda member: (member["display_name"].lower(), member["username"]))


class LocalPresence:
    def __init__(self) -> None:
        self._rooms: dict[int, dict[str, dict]] = {}

    async def add(self, session_id: int, sid: str, member: dict) -> None:
        self._rooms.setdefault(session_id, {})[sid] = member

    async def remove(self, session_id: int, sid: str) -> None:
        self._rooms.get(session_id, {}).pop(sid, None)

    async def members(self, session_id: int) -> list[dict]:
        return _distinct(list(self._rooms.get(session_id, {}).values()))


class RedisPresence:
    def __init__(self, url: str, prefix: str) -> None:
        self._url, self._prefix = url, prefix
        self._client: Any = None  # redis.asyncio.Redis, made at first use (the import is optional)

    def _redis(self):
        if self._client is None:
            import redis.asyncio as aioredis

            self._client = aioredis.Redis.from_url(self._url, decode_responses=True)
        return self._client

    def _key(self, session_id: int) -> str:
        return f"{self._prefix}:presence:{session_id}"

    async def add(self, session_id: int, sid: str, member: dict) -> None:
        key = self._key(session_id)
        await self._redis().hset(key, sid, json.dumps(member))
        await self._redis().expire(key, PRESENCE_TTL_SECONDS)

    async def remove(self, session_id: int, sid: str) -> None:
        await self._redis().hdel(self._key(session_id), sid)

    async def members(self, session_id: int) -> list[dict]:
        values = await self._redis().hvals(self._key(session_id))
        return _distinct([json.loads(value) for value in values])
