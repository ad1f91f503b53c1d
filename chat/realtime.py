"""The Socket.IO side of the live room: one python-socketio AsyncServer, wrapped with the FastAPI app into one
ASGI app (path /socket.io). Handlers (`on_<event>`, python-socketio's convention) stay thin: parse the payload,
call chat.flows in a worker thread (the database is synchronous; the flow commits the action once and
announces it), then broadcast what was committed.

Events (ARCHITECTURE.md), client -> server: join, message, flag_bottleneck, phase; and as extensions edit,
hide, report, agreement, domain, hand, roster, close, assistant (the facilitator switches the assistant on or
off). A message starting with "@assistent" is also a question to the assistant, whose answer follows as a
message of role `assistant`. Server -> client: message (every stored event, with
`kind`), presence, phase, error {code, detail}, report (to the facilitator only), and message_partial
{session_id, target_seq, author, role, text, done}: the assistant's answer to the message `target_seq` while
it is being written (text so far, anonymised; not stored, never replayed; the `message` with that
`target_seq` replaces it, `done` without one means no answer comes).

Ordering: within one process a per-session lock makes store + broadcast atomic, so a client of one process
receives a discussion's events in seq order. Across processes (Redis) two events may arrive out of order;
clients order by seq and ask for a replay (`join` with their last contiguous seq) when a gap persists."""

import asyncio
import gc
import logging
import math
from collections.abc import Callable

import anyio
import socketio
from fastapi import FastAPI
from sqlmodel import Session

from casebook.accounts import service as account_service
from casebook.accounts.credentials import session_user_id_from_cookie, user_from_credentials
from casebook.accounts.models import User
from casebook.errors import CasebookError, Forbidden, NotFound, RetryLater, TooLarge
from casebook.settings import Settings
from chat import flows as chat_flows
from chat import methods, sockets
from chat.assistant import service as assistant_service
from chat.assistant import skills as assistant_skills
from chat.assistant.budget import QuestionBudget
from chat.assistant.models import Answer
from chat.discussions import anonymiser as discussion_anonymiser
from chat.discussions import service as discussion_service
from chat.discussions.models import DiscussionSession
from chat.limits import UserLimits
from chat.presence import LocalPresence, Presence, RedisPresence
from chat.sockets import Member, RoomError
from chat.stream import service as stream_service
from chat.stream.models import (
    ASSISTANT_NAME,
    ASSISTANT_ROLE,
    AgreementIn,
    AssistantSwitchIn,
    BottleneckFlagIn,
    DomainIn,
    EditIn,
    HandIn,
    JoinIn,
    MessageIn,
    PhaseIn,
    RosterIn,
    SocketPayload,
    TargetIn,
)

logger = logging.getLogger("casebook.chat")

SERVER_ERROR = "Er ging iets mis aan onze kant. Probeer het opnieuw; er is niets verloren gegaan."
RATE_LIMITED = (
    "U stuurt te veel tegelijk. Wacht {seconds} en probeer het opnieuw; dit is niet verwerkt "
    "(er is niets opgeslagen)."
)
TOO_MANY_CONNECTIONS = (
    "U heeft al {count} verbindingen met de overlegruimte open. Sluit een ander venster of "
    "tabblad en probeer het opnieuw."
)

SWEEP_SECONDS = 30


def error_code(exc: CasebookError) -> str:
    """The stable `code` of an `error` event for a domain error."""
    return {NotFound: "not_found", Forbidden: "forbidden", TooLarge: "too_large"}.get(type(exc), "invalid")


class Room:
    """The server object and its handlers, bound to one app's settings and database engine."""

    def __init__(self, settings: Settings, engine, assistant_limits: QuestionBudget):
        self.settings, self.engine, self.assistant_limits = settings, engine, assistant_limits
        self.methods_dir = methods.team_dir(settings)
        manager = (
            sockets.RevokingRedisManager(settings.redis_url, channel=sockets.channel_for(settings))
            if settings.redis_url
            else sockets.RevokingManager()
        )
        self.sio = socketio.AsyncServer(
            async_mode="asgi",
            client_manager=manager,
            logger=False,
            engineio_logger=False,
            ping_interval=20,
            ping_timeout=20,
            max_http_buffer_size=1_000_000,
        )
        self.presence: Presence = (
            RedisPresence(settings.redis_url, sockets.channel_for(settings))
            if settings.redis_url
            else LocalPresence()
        )
        self._locks: dict[int, asyncio.Lock] = {}
        self._assistant_locks: dict[int, asyncio.Lock] = {}
        # discussion -> question seq -> the answer in the making, and who may read its text (None: no text yet)
        self._partials: dict[int, dict[int, tuple[dict, frozenset[int] | None]]] = {}
        self.limits = UserLimits(
            max_connections=settings.room_max_connections_per_user,
            rate=settings.room_events_per_second,
            burst=settings.room_event_burst,
        )
        self._tasks: set[asyncio.Task] = set()
        self._sweeper: asyncio.Task | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._register()

    # ---- plumbing ----------------------------------------------------------------------------

    def _register(self) -> None:
        sio = self.sio
        sio.on("connect", self.on_connect)
        sio.on("disconnect", self.on_disconnect)
        handlers: dict[str, tuple[type[SocketPayload], Callable]] = {
            "join": (JoinIn, self.on_join),
            "message": (MessageIn, self.on_message),
            "flag_bottleneck": (BottleneckFlagIn, self.on_flag_bottleneck),
            "phase": (PhaseIn, self.on_phase),
            "edit": (EditIn, self.on_edit),
            "hide": (TargetIn, self.on_hide),
            "report": (TargetIn, self.on_report),
            "agreement": (AgreementIn, self.on_agreement),
            "domain": (DomainIn, self.on_domain),
            "hand": (HandIn, self.on_hand),
            "roster": (RosterIn, self.on_roster),
            "close": (SocketPayload, self.on_close),
            "assistant": (AssistantSwitchIn, self.on_assistant),
        }
        for event, (schema, action) in handlers.items():
            sio.on(event, self._handler(event, schema, action))

    def _handler(self, event: str, schema: type[SocketPayload], action: Callable):
        async def handle(sid, data=None):
            try:
                member = await self._member(sid)
                wait = self.limits.take(member.user.id)
                if wait is not None:  # dropped before any parsing or database work
                    seconds = "een seconde" if wait <= 1 else f"{math.ceil(wait)} seconden"
                    raise RoomError("rate_limited", RATE_LIMITED.format(seconds=seconds))
                if member.token_id is not None and not await self._db(
                    lambda db: account_service.token_is_current(db_session=db, token_id=member.token_id)
                ):
                    self._disconnect_soon(sid)
                    raise RoomError(
                        "token_revoked", "Het token van deze verbinding is ingetrokken of verlopen."
                    )
                payload = sockets.parse(schema, data)
                if event != "join" and payload.session_id not in await self._joined(sid):
                    raise RoomError(
                        "not_joined", "Doe eerst mee aan dit casusoverleg (join) voordat u iets stuurt."
                    )
                result = await action(sid, member, payload)
                return {"ok": True, **(result or {})}
            except RoomError as exc:
                return await self._refuse(sid, exc.code, exc.detail)
            except (
                discussion_service.NoLongerAllowed
            ) as exc:  # rights lost since connecting: refuse and cut off
                answer = await self._refuse(sid, "access_revoked", exc.detail)
                await self.kick(
                    member.user.id,
                    None if exc.reason == "inactive" else payload.session_id,
                    detail=exc.detail,
                    except_sid=sid,
                )
                self._disconnect_soon(sid)
                return answer
            except CasebookError as exc:
                return await self._refuse(sid, error_code(exc), exc.detail)
            except Exception as exc:  # noqa: BLE001 - the connection must survive; never log the payload
                logger.error("room event %s failed: %s", event, type(exc).__name__)
                return await self._refuse(sid, "server_error", SERVER_ERROR)

        handle.__name__ = f"on_{event}"
        return handle

    async def kick(
        self, user_id: int, session_id: int | None = None, *, detail: str = "", except_sid: str | None = None
    ) -> None:
        """Take the user out of `session_id`'s room (or every discussion room) in every process and disconnect those
        sockets; each first gets an `error` event saying why. `except_sid` (the socket whose own event was just
        refused) leaves the rooms here and is disconnected by the caller after its answer."""
        room = (
            sockets.member_room(session_id, user_id) if session_id is not None else sockets.user_room(user_id)
        )
        if except_sid is not None:
            rooms = self.sio.rooms(except_sid)
            for left in (
                r
                for r in rooms
                if r == room
                or (r.startswith("session:") and (session_id is None or r == sockets.room_name(session_id)))
            ):
                await self.sio.leave_room(except_sid, left)
        if detail:
            await self.sio.emit(
                "error", {"code": "access_revoked", "detail": detail}, to=room, skip_sid=except_sid
            )
        await self.sio.close_room(room)

    # ---- the sweep: rights lost without any event (deactivated, expired, case moved, revoked elsewhere) ----

    def start_sweeping(self) -> None:
        """Every SWEEP_SECONDS, `sweep` (started with the app, on its event loop)."""
        self.loop = asyncio.get_running_loop()

        async def forever():
            while True:
                await asyncio.sleep(SWEEP_SECONDS)
                try:
                    await self.sweep()
                except Exception as exc:  # noqa: BLE001 - the next round tries again
                    logger.error("room sweep failed: %s", type(exc).__name__)

        if self._sweeper is None or self._sweeper.done():
            self._sweeper = asyncio.get_running_loop().create_task(forever())

    def stop_sweeping(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None

    async def sweep(self) -> int:
        """Close the member rooms, in this process, of users who may no longer take part in the session: one
        query over the (discussion, user) pairs that have a socket here, then casebook's rules per pair."""
        pairs = {
            (int(m.group(1)), int(m.group(2)))
            for room in list(self.sio.manager.rooms.get("/", {}))
            if (m := sockets.MEMBER_ROOM.fullmatch(room or ""))
        }
        if not pairs:
            return 0
        refused = await self._db(lambda db: chat_flows.refusals(db_session=db, pairs=pairs))
        for (session_id, user_id), refusal in refused.items():
            await self.kick(
                user_id, None if refusal.reason == "inactive" else session_id, detail=refusal.detail
            )
        return len(refused)

    def _disconnect_soon(self, sid: str) -> None:
        """Disconnect after the current event's ack has been queued (the ack is sent when the handler returns)."""

        async def later():
            await asyncio.sleep(0.05)
            await self.sio.disconnect(sid)

        task = asyncio.get_running_loop().create_task(later())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _refuse(self, sid: str, code: str, detail: str) -> dict:
        await self.sio.emit("error", {"code": code, "detail": detail}, to=sid)
        return {"ok": False, "code": code, "detail": detail}

    def _lock(self, session_id: int) -> asyncio.Lock:
        return self._locks.setdefault(session_id, asyncio.Lock())

    async def _db(self, work):
        """Run `work(db_session)` in a worker thread with its own database session."""

        def run():
            with Session(self.engine, expire_on_commit=False) as db_session:
                return work(db_session)

        return await anyio.to_thread.run_sync(run)

    async def _member(self, sid: str) -> Member:
        return (await self.sio.get_session(sid))["member"]

    async def _joined(self, sid: str) -> set[int]:
        return (await self.sio.get_session(sid))["joined"]

    async def _store_and_broadcast(self, session_id: int, work) -> dict:
        """Run `work` (a flow: it commits) and broadcast the event it returns, atomically per discussion in this
        process."""
        async with self._lock(session_id):
            event = await self._db(work)
            await self.sio.emit("message", event, to=sockets.room_name(session_id))
        return event

    # ---- connect / disconnect ------------------------------------------------------------------

    async def on_connect(self, sid, environ, auth=None):
        auth = auth if isinstance(auth, dict) else {}
        user, token_id = await self._db(lambda db: self._authenticate(db, environ, auth))
        if user is None:
            raise sockets.refused_connection("unauthorized", "U bent niet ingelogd of uw token is ongeldig.")
        session_id = auth.get("session_id")
        if session_id is not None:
            await self._check_invited(user, session_id)
        if not self.limits.connect(user.id, sid):
            raise sockets.refused_connection(
                "too_many_connections", TOO_MANY_CONNECTIONS.format(count=self.limits.max_connections)
            )
        try:
            await self.sio.save_session(
                sid, {"member": Member(user=user, token_id=token_id), "joined": set()}
            )
            await self.sio.enter_room(sid, sockets.user_room(user.id))
        except BaseException:
            self.limits.disconnect(user.id, sid)
            raise

    async def _check_invited(self, user: User, session_id) -> None:
        def check(db):
            try:
                discussion_service.get_or_raise(db_session=db, user=user, session_id=int(session_id))
            except (CasebookError, ValueError, TypeError) as exc:
                return getattr(exc, "detail", "Onbekend casusoverleg.")
            return None

        refusal = await self._db(check)
        if refusal:
            raise sockets.refused_connection("not_invited", refusal)

    def _authenticate(self, db: Session, environ: dict, auth: dict) -> tuple[User | None, int | None]:
        """The user behind the connection and the id of the token used (None for a session cookie)."""
        token = auth.get("token")
        signed_in = user_from_credentials(
            db_session=db,
            bearer_token=token if isinstance(token, str) else None,
            session_user_id=session_user_id_from_cookie(
                environ.get("HTTP_COOKIE", ""), self.settings.session_secret
            ),
        )
        return (signed_in.user, signed_in.token_id) if signed_in else (None, None)

    async def on_disconnect(self, sid, *_reason):
        try:
            state = await self.sio.get_session(sid)
        except KeyError:
            return
        self.limits.disconnect(state["member"].user.id, sid)
        joined = state["joined"]
        for session_id in joined:
            await self.presence.remove(session_id, sid)
            await self._broadcast_presence(session_id)

    async def _broadcast_presence(self, session_id: int) -> None:
        present = await self.presence.members(session_id)
        await self.sio.emit(
            "presence", {"session_id": session_id, "participants": present}, to=sockets.room_name(session_id)
        )

    # ---- the events ----------------------------------------------------------------------------

    async def on_join(self, sid, member: Member, payload: JoinIn) -> dict:
        def load(db):
            discussion, user = discussion_service.checked(
                db_session=db, user_id=member.user.id, session_id=payload.session_id
            )
            read = discussion_service.to_read(
                db_session=db, discussion=discussion, methods_dir=self.methods_dir
            )
            facilitator = discussion_service.is_facilitator(discussion=discussion, user=user)
            reports = (
                stream_service.open_reports(db_session=db, session_id=discussion.id) if facilitator else []
            )
            return read, reports, user

        try:
            read, reports, user = await self._db(load)
        except discussion_service.NoLongerAllowed as exc:
            if exc.reason == "inactive":
                raise
            raise RoomError("not_invited", exc.detail) from None
        except CasebookError as exc:
            raise RoomError(error_code(exc), exc.detail) from None
        async with self._lock(payload.session_id):
            await self.sio.enter_room(sid, sockets.member_room(payload.session_id, member.user.id))
            await self.sio.enter_room(sid, sockets.room_name(payload.session_id))
            replay = await self._db(
                lambda db: stream_service.events_after(
                    db_session=db,
                    session_id=payload.session_id,
                    reader=user,
                    after_seq=payload.last_seq,
                )
            )
            for event in replay:
                await self.sio.emit("message", event, to=sid)
            for partial, readers in list(self._partials.get(payload.session_id, {}).values()):
                shown = partial if readers is None or user.id in readers else {**partial, "text": ""}
                await self.sio.emit("message_partial", shown, to=sid)
        async with self.sio.session(sid) as state:
            state["joined"].add(payload.session_id)
        if read.phase:
            await self.sio.emit("phase", self._phase_event(read.id, read.method, read.phase), to=sid)
        for report in reports:
            await self.sio.emit("report", report, to=sid)
        await self.presence.add(payload.session_id, sid, member.info())
        await self._broadcast_presence(payload.session_id)
        return {
            "session": read.model_dump(mode="json"),
            "replayed": len(replay),
            "last_seq": replay[-1]["seq"] if replay else payload.last_seq,
        }

    def _phase_event(self, session_id: int, method_id: str, phase_id: str) -> dict:
        method = methods.get(method_id, self.methods_dir)
        step = method.phase(phase_id) if method else None
        return {
            "session_id": session_id,
            "phase": phase_id,
            "name": step.name if step else phase_id,
            "prompt": step.prompt if step else "",
        }

    async def on_message(self, sid, member: Member, payload: MessageIn) -> dict:
        stream_service.check_message_size(payload.text)
        created = True

        def store(db, discussion, user):
            nonlocal created
            event, created = chat_flows.post_message(
                db_session=db,
                discussion=discussion,
                user=user,
                text=payload.text,
                client_id=payload.client_id,
            )
            return event

        async with self._lock(payload.session_id):
            event = await self._db(self._with_discussion(member, payload.session_id, store))
            if created:
                await self.sio.emit("message", event, to=sockets.room_name(payload.session_id))
        if not created:  # a resend: the sender gets the stored event again, nobody else hears it twice
            await self.sio.emit("message", event, to=sid)
        elif assistant_skills.addressed(payload.text):
            try:  # in a worker thread: scaled out, the budget is asked of Redis
                await anyio.to_thread.run_sync(
                    assistant_service.take_question, self.assistant_limits, member.user
                )
            except RetryLater as exc:  # the message stands; only the assistant's answer is refused
                await self._refuse(sid, "rate_limited", exc.detail)
            else:
                self._spawn(self._answer(sid, member, event))
        return {"seq": event["seq"], "duplicate": not created}

    def _spawn(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, sid: str, member: Member, question: dict) -> None:
        """Answer a question put to "@assistent", once it is stored and broadcast: worked out in a worker thread
        (the room keeps serving meanwhile) with the asker's rights, one question at a time per discussion, so two
        people asking at once both get their answer, in the order they asked; then stored and broadcast like
        any message (role `assistant`). The question is the stored, anonymised text.

        Meanwhile the room sees the answer coming (`message_partial`): at once with no text (the assistant is
        typing), then, from the LLM backend, growing a sentence at a time as each passes the room's anonymiser;
        the stored `message` replaces it, and a partial with `done` ends one that gets no answer. Its text goes
        only to those the answer was worked out for (the asker and the room's readers at that moment: the cases
        it quotes are those they all may see); whoever was invited since sees the assistant typing, and then
        the stored answer, or a notice where it cites a case they may not see."""
        session_id = question["session_id"]
        partial = {
            "session_id": session_id,
            "target_seq": question["seq"],
            "author": ASSISTANT_NAME,
            "role": ASSISTANT_ROLE,
            "text": "",
            "done": False,
        }
        stored = False
        try:
            await self._show_partial(partial)
            async with self._assistant_locks.setdefault(session_id, asyncio.Lock()):
                think = self._thinking(question, partial)
                thought = await self._db(self._with_discussion(member, session_id, think))
                if thought is None:
                    await self._refuse(sid, "assistant_off", assistant_service.SWITCHED_OFF)
                    return
                stored = await self._store_answer(partial, *thought)
                if not stored:
                    logger.warning("assistant answer not given: discussion closed or assistant switched off")
        except (discussion_service.NoLongerAllowed, NotFound) as exc:
            # The asker lost their rights before the answer's turn, or the discussion is gone: nothing to answer.
            logger.warning("assistant answer not given: %s", type(exc).__name__)
        except CasebookError as exc:
            # Anything else the asker should hear of, e.g. the shared pseudonym maps out of reach (Busy).
            logger.error("assistant answer refused: %s", type(exc).__name__)
            await self._refuse(sid, error_code(exc), exc.detail)
        except Exception as exc:  # noqa: BLE001 - a failed answer must not take the room down; never log text
            logger.error("assistant answer failed: %s", type(exc).__name__)
            await self._refuse(sid, "server_error", SERVER_ERROR)
        finally:
            if not stored:
                self._end_partial(partial)
                await self.sio.emit(
                    "message_partial", {**partial, "done": True}, to=sockets.room_name(session_id)
                )

    def _thinking(self, question: dict, partial: dict):
        """The assistant's work on `question` as `work(db, discussion, user)` (see `_with_discussion`): the answer
        and the titles of the cases it cites, or None when the assistant is off; the answer so far is shown to
        the room as it passes the anonymiser."""

        readers: set[int] = set()  # who the answer is worked out for, once `think` knows

        def show(text: str) -> None:  # called in the worker thread with the anonymised answer so far
            anyio.from_thread.run(self._show_partial, {**partial, "text": text}, frozenset(readers))

        def think(db, discussion, user):
            if not discussion.assistant_enabled:
                return None
            context = assistant_service.discussion_context(
                db_session=db, user=user, discussion=discussion, methods_dir=self.methods_dir
            )
            readers.update({user.id, *(reader.id for reader in context.co_readers)})
            anonymiser = discussion_anonymiser.anonymiser(db_session=db, session_id=discussion.id)
            answer = assistant_service.answer_anonymised(
                db_session=db,
                user=user,
                question=question["text"],
                context=context,
                settings=self.settings,
                anonymise=anonymiser,
                read=anonymiser.read,
                show=show,
            )
            return answer, assistant_service.cited_titles(db_session=db, case_ids=answer.citations)

        return think

    async def _store_answer(self, partial: dict, answer: Answer, titles: dict[int, str]) -> bool:
        """Store and broadcast the answer, which replaces its partial; False when the discussion closed or the
        assistant was switched off meanwhile. A reader of the room who may not see a case it cites (invited
        while it was worked out) gets it as the replay would give it: withheld."""
        session_id = partial["session_id"]

        def store(db) -> tuple[dict | None, dict[int, dict]]:
            event = chat_flows.post_assistant_answer(
                db_session=db,
                session_id=session_id,
                answer=answer,
                titles=titles,
                question_seq=partial["target_seq"],
            )
            if event is None:
                return None, {}
            discussion = db.get_one(DiscussionSession, session_id)
            seen = {
                reader.id: stream_service.withhold_unseen(db_session=db, events=[event], reader=reader)[0]
                for reader in discussion_service.room_readers(db_session=db, discussion=discussion)
            }
            return event, seen

        async with self._lock(session_id):
            event, seen = await self._db(store)
            if event is None:
                return False
            if all(shown is event for shown in seen.values()):
                await self.sio.emit("message", event, to=sockets.room_name(session_id))
            else:
                for user_id, shown in seen.items():
                    await self.sio.emit("message", shown, to=sockets.member_room(session_id, user_id))
            self._end_partial(partial)
            return True

    async def _show_partial(self, partial: dict, readers: frozenset[int] | None = None) -> None:
        """Show an answer in the making (kept, so that whoever joins meanwhile sees it too): to the room while it
        has no text, then only to its `readers`."""
        session_id = partial["session_id"]
        self._partials.setdefault(session_id, {})[partial["target_seq"]] = (partial, readers)
        if readers is None:
            await self.sio.emit("message_partial", partial, to=sockets.room_name(session_id))
            return
        for user_id in readers:
            await self.sio.emit("message_partial", partial, to=sockets.member_room(session_id, user_id))

    def _end_partial(self, partial: dict) -> None:
        answers = self._partials.get(partial["session_id"], {})
        answers.pop(partial["target_seq"], None)
        if not answers:
            self._partials.pop(partial["session_id"], None)

    def _with_discussion(self, member: Member, session_id: int, work):
        """`work(db, discussion, user)` after re-checking, in the same transaction, that the socket's user may still
        take part (active, invited, case in sight): `user` is the current row, not the one from connect time."""

        def run(db):
            discussion, user = discussion_service.checked(
                db_session=db, user_id=member.user.id, session_id=session_id
            )
            return work(db, discussion, user)

        return run

    async def on_phase(self, sid, member: Member, payload: PhaseIn) -> dict:
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.change_phase(
                db_session=db, discussion=d, user=u, phase=payload.phase, methods_dir=self.methods_dir
            ),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        await self.sio.emit(
            "phase",
            {"session_id": payload.session_id, **event["data"]},
            to=sockets.room_name(payload.session_id),
        )
        return {"seq": event["seq"]}

    async def on_flag_bottleneck(self, sid, member: Member, payload: BottleneckFlagIn) -> dict:
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.flag_bottleneck(db_session=db, discussion=d, user=u, data=payload),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        return {"seq": event["seq"], "bottleneck_id": event["data"].get("bottleneck_id")}

    async def on_agreement(self, sid, member: Member, payload: AgreementIn) -> dict:
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.record_agreement(db_session=db, discussion=d, user=u, data=payload),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        return {"seq": event["seq"], "action_id": event["data"].get("action_id")}

    async def on_edit(self, sid, member: Member, payload: EditIn) -> dict:
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.edit_message(
                db_session=db, discussion=d, user=u, seq=payload.seq, text=payload.text
            ),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        return {"seq": event["seq"]}

    async def on_hide(self, sid, member: Member, payload: TargetIn) -> dict:
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.hide_message(db_session=db, discussion=d, user=u, seq=payload.seq),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        return {"seq": event["seq"]}

    async def on_report(self, sid, member: Member, payload: TargetIn) -> dict:
        def work(db, discussion, user):
            report = chat_flows.report_message(
                db_session=db, discussion=discussion, user=user, seq=payload.seq
            )
            return report, discussion.facilitator_id

        report, facilitator_id = await self._db(self._with_discussion(member, payload.session_id, work))
        if facilitator_id:
            await self.sio.emit("report", report, to=sockets.user_room(facilitator_id))
        return {}

    async def on_domain(self, sid, member: Member, payload: DomainIn) -> dict:
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.mark_domain(
                db_session=db, discussion=d, user=u, domain=payload.domain
            ),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        return {"seq": event["seq"]}

    async def on_hand(self, sid, member: Member, payload: HandIn) -> dict:
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.raise_hand(
                db_session=db, discussion=d, user=u, raised=payload.raised
            ),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        return {"seq": event["seq"]}

    async def on_roster(self, sid, member: Member, payload: RosterIn) -> dict:
        """The facilitator adds names to mask (never stored; see chat/discussions/rosters.py)."""
        await self._db(
            self._with_discussion(
                member,
                payload.session_id,
                lambda db, d, u: chat_flows.add_roster_names(
                    db_session=db, discussion=d, user=u, names=payload.names
                ),
            )
        )
        return {"names": len(payload.names)}

    async def on_assistant(self, sid, member: Member, payload: AssistantSwitchIn) -> dict:
        """The facilitator switches the assistant on or off for this discussion."""
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.switch_assistant(
                db_session=db, discussion=d, user=u, enabled=payload.enabled
            ),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        return {"seq": event["seq"]}

    async def on_close(self, sid, member: Member, payload: SocketPayload) -> dict:
        work = self._with_discussion(
            member,
            payload.session_id,
            lambda db, d, u: chat_flows.close_discussion(
                db_session=db, discussion=d, user=u, methods_dir=self.methods_dir
            ),
        )
        event = await self._store_and_broadcast(payload.session_id, work)
        return {"seq": event["seq"]}


class FreezeHeapAfterStartup:
    """ASGI wrapper: starts the room's sweep with the app (stops it at shutdown), and once the app has started (deduce's tables, the embedding model loaded), move everything
    alive into the garbage collector's permanent generation (gc.freeze). Otherwise each full collection walks
    those millions of long-lived objects and stalls the event loop for hundreds of milliseconds, which every
    participant of a busy room feels as a late message (bench/room.py: p99 with 200 clients)."""

    def __init__(self, app, room: "Room | None" = None):
        self.app, self.room = app, room

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)

        async def send_and_freeze(message):
            if message["type"] == "lifespan.startup.complete":
                gc.collect()
                gc.freeze()
                if self.room is not None:
                    self.room.start_sweeping()
            elif message["type"] == "lifespan.shutdown.complete" and self.room is not None:
                self.room.stop_sweeping()
            await send(message)

        return await self.app(scope, receive, send_and_freeze)


def wrap(app: FastAPI):
    """Return the ASGI app that serves both `app` and Socket.IO (path /socket.io) on one port."""
    room = Room(app.state.settings, app.state.engine, app.state.assistant_limits)
    app.state.room = room
    return FreezeHeapAfterStartup(
        socketio.ASGIApp(room.sio, other_asgi_app=app, socketio_path="socket.io"), room
    )
