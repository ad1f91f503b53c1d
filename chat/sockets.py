"""The Socket.IO plumbing under the room's handlers (chat/realtime.py): the rooms a socket is in and their
names, the client managers that take a revoked user's sockets out of them in every process, the channel that
processes on one database share, who is behind a socket, and how a payload is read or refused."""

import asyncio
import hashlib
import re
from dataclasses import dataclass
from typing import TypeVar

import socketio
from pydantic import BaseModel, ValidationError

from casebook.accounts.models import User
from casebook.settings import Settings
from chat.stream import service as stream_service


def room_name(session_id: int) -> str:
    return f"session:{session_id}"


def user_room(user_id: int) -> str:
    return f"user:{user_id}"


def member_room(session_id: int, user_id: int) -> str:
    """One user's sockets in one discussion's room. Closing it is how access to that discussion is taken away."""
    return f"session:{session_id}:user:{user_id}"


MEMBER_ROOM = re.compile(r"session:(\d+):user:(\d+)")
USER_ROOM = re.compile(r"user:(\d+)")


class _RevokeOnClose(socketio.AsyncManager):
    """Client-manager mixin: closing a member room (`session:{s}:user:{u}`) or a user room (`user:{u}`) takes
    its sockets out of that discussion's room (or every discussion room) in the same step, and disconnects them.

    `AsyncServer.close_room` is the one room operation the pub/sub managers (AsyncRedisManager) forward to
    every process, which each then runs `basic_close_room` on its own sockets; so one `close_room` ends a
    user's access in every process, including sockets that never send anything."""

    def basic_close_room(self, room, namespace):
        namespace = namespace or "/"
        member, whole_user = MEMBER_ROOM.fullmatch(room), USER_ROOM.fullmatch(room)
        sids = (
            [sid for sid, _eio in self.get_participants(namespace, room)]
            if (member or whole_user) and room in self.rooms.get(namespace, {})
            else []
        )
        for sid in sids:
            leaving = (
                [room_name(int(member.group(1)))]
                if member
                else [r for r in self.get_rooms(sid, namespace) if r and r.startswith("session:")]
            )
            for session_room in leaving:
                self.basic_leave_room(sid, namespace, session_room)
        super().basic_close_room(room, namespace)
        if sids:
            tasks = self.__dict__.setdefault("_revoke_tasks", set())
            for sid in sids:
                task = asyncio.get_running_loop().create_task(
                    self.server.disconnect(sid, namespace=namespace, ignore_queue=True)
                )
                tasks.add(task)
                task.add_done_callback(tasks.discard)


class RevokingManager(_RevokeOnClose, socketio.AsyncManager):
    pass


class RevokingRedisManager(_RevokeOnClose, socketio.AsyncRedisManager):
    pass


def channel_for(settings: Settings) -> str:
    """Processes that share a database share rooms; a different database never hears them."""
    return "casebook-" + hashlib.sha256(settings.sqlalchemy_url.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Member:
    """Who is behind a socket, as of connect time. Events re-read the user (discussion_service.checked), so this is
    used for who the socket belongs to and for presence, never for what the user may do."""

    user: User
    token_id: int | None = None  # the bearer token the socket connected with (None: a browser session)

    def info(self) -> dict:
        return {
            "username": self.user.username,
            "display_name": self.user.display_name,
            "role": self.user.role.value,
        }


class RoomError(Exception):
    def __init__(self, code: str, detail: str):
        super().__init__(code)
        self.code, self.detail = code, detail


def refused_connection(code: str, detail: str) -> socketio.exceptions.ConnectionRefusedError:
    """A refused connection: the client sees `message` = the Dutch detail and `data` = {code, detail}."""
    return socketio.exceptions.ConnectionRefusedError(detail, {"code": code, "detail": detail})


_Payload = TypeVar("_Payload", bound=BaseModel)


def parse(schema: type[_Payload], data) -> _Payload:
    if not isinstance(data, dict):
        raise RoomError("invalid", "Ongeldig bericht: verwacht een object met velden (JSON).")
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        if any(error["loc"][:1] == ("client_id",) for error in exc.errors()):
            raise RoomError("invalid", stream_service.CLIENT_ID_RULE) from None  # never echo what was sent
        fields = sorted({".".join(str(part) for part in error["loc"]) or "bericht" for error in exc.errors()})
        raise RoomError(
            "invalid", f"Ongeldig bericht: controleer {', '.join(fields)}. Er is niets opgeslagen."
        ) from None
