"""The `casebook` command. Every command works on the configured database (CASEBOOK_DATA_DIR or
DATABASE_URL) and migrates it first, so a fresh machine needs no separate init step."""

import getpass
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlmodel import Session

from casebook.accounts import service as account_service
from casebook.accounts.models import Role
from casebook.db import make_engine, migrate
from casebook.settings import get_settings
from casebook.timeutil import utcnow

app = typer.Typer(help="Casebook: samen leren van casussen in het sociaal wijkteam.", no_args_is_help=True)
user_app = typer.Typer(help="Gebruikers beheren.", no_args_is_help=True)
token_app = typer.Typer(help="API-tokens beheren.", no_args_is_help=True)
case_app = typer.Typer(help="Casussen beheren.", no_args_is_help=True)
retention_app = typer.Typer(help="Bewaartermijnen toepassen.", no_args_is_help=True)
learning_app = typer.Typer(help="Leren van de praktijk: knelpunten en hun clusters.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(case_app, name="case")
app.add_typer(retention_app, name="retention")
app.add_typer(learning_app, name="learning")


def _session() -> Session:
    engine = make_engine(get_settings().sqlalchemy_url)
    migrate(engine)
    return Session(engine, expire_on_commit=False)


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(1)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Start the web app (and live rooms) on one port."""
    import uvicorn

    # No access log: URLs can carry search terms, and nothing un-anonymised may reach a log.
    uvicorn.run(
        "casebook.app:create_asgi_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level="info",
        timeout_graceful_shutdown=5,
    )


@app.command()
def demo() -> None:
    """Load the generated demo corpus (idempotent) and print the demo logins."""
    from casebook.demo import service as demo_service

    with _session() as db_session:
        result = demo_service.load_demo(db_session=db_session)
    typer.echo(
        f"Demo geladen: {result.cases_created} nieuwe casussen, {result.users_created} nieuwe gebruikers, "
        f"{result.feedback_created} terugkoppelingen (al aanwezig blijft staan)."
    )
    typer.echo(f"Inloggen met wachtwoord '{demo_service.DEMO_PASSWORD}' als:")
    for login in result.logins:
        scope = ", ".join(login.teams) or (
            "alle teams" if login.role in (Role.manager, Role.admin) else "uitgenodigde casussen"
        )
        typer.echo(f"  {login.username:<18} {login.role.value:<9} {scope}")


@app.command("import")
def import_cases(file: Path) -> None:
    """Import cases from a JSONL file; every text is anonymised, a broken line is reported and skipped."""
    from casebook.cases import transfer

    if not file.exists():
        _fail(f"Bestand niet gevonden: {file}")
    with _session() as db_session, file.open("rb") as handle:
        user = account_service.system_user(db_session=db_session)
        report = transfer.import_lines(db_session=db_session, user=user, lines=handle)
    for error in report.errors:
        typer.echo(f"regel {error.line}: {error.reason}", err=True)
    typer.echo(f"{len(report.imported)} casus(sen) geïmporteerd, {len(report.errors)} regel(s) geweigerd.")
    if report.errors:
        raise typer.Exit(1)


@app.command("export")
def export_cases(file: Path) -> None:
    """Export every case (anonymised, as stored) to a JSONL file."""
    from casebook.audit import service as audit_service
    from casebook.cases import transfer

    count = 0
    with _session() as db_session, file.open("w", encoding="utf-8") as handle:
        for record in transfer.export_records(db_session=db_session):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        audit_service.record_access(
            db_session=db_session,
            actor_id=None,
            action="cases.export",
            object_type="case",
            detail=f"cases={count}",
        )
    typer.echo(f"{count} casus(sen) geëxporteerd naar {file}.")


@app.command()
def anonymise(
    jsonl: Annotated[bool, typer.Option("--jsonl", help="één JSON-object {id, text} per regel")] = False,
    roster: Annotated[list[str] | None, typer.Option(help="naam die zeker gemaskeerd moet worden")] = None,
) -> None:
    """Anonymise text from stdin and print JSON with the text and the masked entities."""
    from casebook.anonymise import service as anonymise_service

    anonymise_service.warm_up()
    if not jsonl:
        result = anonymise_service.anonymise_text(sys.stdin.read(), roster=roster or [])
        typer.echo(json.dumps(_result_json(result), ensure_ascii=False))
        return
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            result = anonymise_service.anonymise_text(record["text"], roster=roster or [])
            typer.echo(json.dumps({"id": record.get("id"), **_result_json(result)}, ensure_ascii=False))
        except (ValueError, KeyError, TypeError) as exc:
            typer.echo(f"regel {number}: ongeldige invoer ({type(exc).__name__})", err=True)


def _result_json(result) -> dict:
    return {
        "text": result.text,
        "entities": [
            {"start": e.start, "end": e.end, "label": e.label, "replacement": e.replacement}
            for e in result.entities
        ],
    }


@app.command("privacy-scan")
def privacy_scan(
    export: Annotated[list[Path] | None, typer.Option(help="ook dit exportbestand scannen")] = None,
) -> None:
    """Run the detectors over everything stored (and given exports); report any identifier left."""
    import casebook.app  # noqa: F401 - registers every package's tables, so the scan covers them all
    from casebook.anonymise import service as anonymise_service
    from casebook.privacy import service as privacy_service

    anonymise_service.warm_up()
    with _session() as db_session:
        findings = list(privacy_service.scan_database(db_session=db_session))
    for path in export or []:
        findings += list(privacy_service.scan_export(path))
    for finding in findings:
        typer.echo(finding.describe())
    typer.echo(f"{len(findings)} mogelijke identificerende gegevens gevonden.")
    if findings:
        raise typer.Exit(1)


def _search_user(db_session: Session, username: str | None):
    """Search as USERNAME (sees what that person may see), or as the system administrator."""
    if username is None:
        return account_service.system_user(db_session=db_session)
    user = account_service.get_by_username(db_session=db_session, username=username)
    if user is None:
        _fail(f"Onbekende gebruiker: {username}")
    return user


def _print_hits(hits, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps([hit.contract() for hit in hits], ensure_ascii=False))
        return
    if not hits:
        typer.echo("Geen casussen gevonden.")
    for rank, hit in enumerate(hits, start=1):
        typer.echo(f"{rank:>3}. {hit.score:.3f}  {hit.external_id}  {hit.title}")
        typer.echo(f"      {hit.snippet}")


@app.command()
def search(
    query: str,
    k: Annotated[int, typer.Option(help="aantal resultaten (max. 100)")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="JSON volgens het contract")] = False,
    user: Annotated[str | None, typer.Option(help="zoek als deze gebruiker")] = None,
) -> None:
    """Search the cases with a free-text query."""
    from casebook.audit import service as audit_service
    from casebook.errors import CasebookError
    from search import service as search_service

    settings = get_settings()
    with _session() as db_session:
        search_service.open_index(settings=settings, db_session=db_session)
        try:
            searcher = _search_user(db_session, user)
            result = search_service.search(db_session=db_session, user=searcher, query=query, k=k)
        except CasebookError as exc:
            _fail(exc.detail)
        audit_service.record_access(
            db_session=db_session,
            actor_id=searcher.id,
            action="search",
            object_type="search",
            detail=f"results={len(result.hits)}",
        )
    _print_hits(result.hits, as_json)


@app.command()
def similar(
    case: Annotated[str, typer.Argument(metavar="EXTERNAL_OR_ID")],
    k: Annotated[int, typer.Option(help="aantal resultaten (max. 100)")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="JSON volgens het contract")] = False,
    user: Annotated[str | None, typer.Option(help="zoek als deze gebruiker")] = None,
) -> None:
    """Cases similar to one case, named by its external id (kenmerk) or numeric id."""
    from casebook.errors import CasebookError
    from search import service as search_service

    settings = get_settings()
    with _session() as db_session:
        case_id = search_service.case_id_for(db_session=db_session, reference=case)
        if case_id is None:
            _fail(f"Onbekende casus: {case}")
        search_service.open_index(settings=settings, db_session=db_session)
        try:
            hits = search_service.similar(
                db_session=db_session, user=_search_user(db_session, user), case_id=case_id, k=k
            )
        except CasebookError as exc:
            _fail(exc.detail)
    _print_hits(hits, as_json)


@app.command()
def reindex() -> None:
    """Rebuild the search indexes from the database (with a progress bar)."""
    from search import service as search_service

    with _session() as db_session:
        figures = search_service.reindex(settings=get_settings(), db_session=db_session)
    typer.echo(f"Zoekindex opnieuw opgebouwd: {figures['cases']} casus(sen), {figures['chunks']} tekstdelen.")


def _read_new_password() -> str:
    if sys.stdin.isatty():
        first, second = getpass.getpass("Wachtwoord: "), getpass.getpass("Nogmaals: ")
    else:
        first, second = sys.stdin.readline().rstrip("\n"), sys.stdin.readline().rstrip("\n")
    if first != second:
        _fail("De wachtwoorden komen niet overeen.")
    return first


@user_app.command("create")
def create_user(
    username: str,
    role: Annotated[Role, typer.Option(help="coach|provider|partner|manager|admin")],
    team: Annotated[list[str] | None, typer.Option(help="team (mag vaker)")] = None,
    name: Annotated[str | None, typer.Option(help="weergavenaam")] = None,
) -> None:
    """Create a user; the password is read twice from stdin."""
    password = _read_new_password()
    with _session() as db_session:
        try:
            account_service.create_user(
                db_session=db_session,
                username=username,
                password=password,
                role=role,
                teams=team or [],
                display_name=name,
            )
        except account_service.AccountError as exc:
            _fail(str(exc))
        db_session.commit()
    scope = ", ".join(team) if team else ("alle teams" if role in (Role.manager, Role.admin) else "geen team")
    typer.echo(f"Gebruiker {username} aangemaakt ({role.value}; {scope}).")


@token_app.command("create")
def create_token(
    username: str,
    days: Annotated[
        int | None,
        typer.Option(help="geldigheid in dagen (standaard CASEBOOK_TOKEN_LIFETIME_DAYS)", min=1, max=3650),
    ] = None,
) -> None:
    """Print a new bearer token for the JSON API (shown once); it works for the configured lifetime."""
    lifetime = timedelta(days=days or get_settings().token_lifetime_days)
    with _session() as db_session:
        user = account_service.get_by_username(db_session=db_session, username=username)
        if user is None:
            _fail(f"Onbekende gebruiker: {username}")
        token = account_service.create_token(db_session=db_session, user=user, lifetime=lifetime)
        db_session.commit()
    typer.echo(token)


@token_app.command("list")
def list_tokens(
    username: Annotated[str | None, typer.Argument(help="alleen de tokens van deze gebruiker")] = None,
) -> None:
    """List API tokens (id, user, given, valid until, status); the tokens themselves are never stored."""
    with _session() as db_session:
        if (
            username is not None
            and account_service.get_by_username(db_session=db_session, username=username) is None
        ):
            _fail(f"Onbekende gebruiker: {username}")
        tokens = account_service.list_tokens(db_session=db_session, username=username)
    now = utcnow()
    typer.echo(f"{'id':>6}  {'gebruiker':<20} {'gegeven':<16} {'geldig tot':<16} status")
    for token in tokens:
        typer.echo(
            f"{token.id:>6}  {token.username:<20} {token.created_at:%Y-%m-%d %H:%M} "
            f"{token.expires_at:%Y-%m-%d %H:%M} {token.status(now)}"
        )
    typer.echo(f"{len(tokens)} token(s).")


@token_app.command("revoke")
def revoke_token(target: Annotated[str, typer.Argument(metavar="USERNAME|TOKEN_ID")]) -> None:
    """Revoke one token by its id, or every token of a user by username; a revoked token gets 401 at once."""
    with _session() as db_session:
        try:
            revoked = account_service.revoke_tokens(db_session=db_session, target=target)
        except account_service.AccountError as exc:
            _fail(str(exc))
        db_session.commit()
    typer.echo(f"{len(revoked)} token(s) ingetrokken.")


@case_app.command("erase")
def erase_case(
    case: Annotated[str, typer.Argument(metavar="ID_OR_EXTERNAL_ID")],
    yes: Annotated[bool, typer.Option("--yes", help="niet om bevestiging vragen")] = False,
) -> None:
    """Erase a case for good: database (with its room sessions and messages), both search indexes and so
    every later export and assistant answer. A running server drops it from its own index within minutes
    (housekeeping); erase through the API (DELETE /api/v1/cases/ID) to have it gone there at once."""
    import casebook.app  # noqa: F401 - registers every package's tables, so the cascade is complete
    from casebook.cases import flows as case_flows
    from casebook.cases import service as case_service
    from casebook.cases.models import Case
    from chat.discussions import anonymiser as discussion_anonymiser
    from search import service as search_service

    settings = get_settings()
    with _session() as db_session:
        case_id = search_service.case_id_for(db_session=db_session, reference=case)
        if case_id is None:
            _fail(f"Onbekende casus: {case}")
        found = db_session.get_one(Case, case_id)
        if not yes:
            typer.confirm(
                f"Casus {case_id} ({found.external_id}) en alles wat erbij hoort definitief wissen?",
                abort=True,
            )
        case_flows.delete_case(
            db_session=db_session, user=account_service.system_user(db_session=db_session), case=found
        )
        # Nobody here follows CASE_DELETED: the pseudonym maps of the case and its sessions that servers share
        # in Redis go now (each server's own copy, and its rosters, at its next sweep).
        case_service.forget_missing_cases(db_session=db_session)
        discussion_anonymiser.forget_missing_sessions(db_session=db_session)
        if search_service.has_index(settings):
            search_service.open_index(settings=settings, db_session=db_session, progress=False)
    typer.echo(f"Casus {case_id} is gewist (database en zoekindex).")


@retention_app.command("run")
def run_retention(
    days: Annotated[
        int | None,
        typer.Option(
            help="bewaartermijn in dagen (standaard CASEBOOK_TRANSCRIPT_RETENTION_DAYS)", min=1, max=3650
        ),
    ] = None,
) -> None:
    """Condense room transcripts past retention into their casebook entry and delete them (the server does
    this by itself every hour)."""
    import casebook.app  # noqa: F401 - registers every package's tables
    from chat import flows as chat_flows
    from chat import methods as chat_methods

    settings = get_settings()
    days = days or settings.transcript_retention_days
    with _session() as db_session:
        result = chat_flows.apply_retention(
            db_session=db_session, now=utcnow(), days=days, methods_dir=chat_methods.team_dir(settings)
        )
    typer.echo(
        f"Bewaartermijn {days} dagen: {result.sessions} transcript(en) samengevat en verwijderd "
        f"({result.messages} berichten)."
    )


@learning_app.command("recluster")
def recluster() -> None:
    """Place every bottleneck in its cluster again (after a change in how signatures are made); clusters a
    manager merged or split stay as they are. The server does this by itself when the recipe changes."""
    import casebook.app  # noqa: F401 - registers every package's tables
    from learning.recurrence import flows as recurrence_flows

    with _session() as db_session:
        done = recurrence_flows.recluster(db_session=db_session, settings=get_settings())
    typer.echo(
        f"Knelpunten opnieuw geclusterd: {done.placed} opnieuw geplaatst, {done.moved} verplaatst; "
        f"{done.kept_clusters} cluster(s) door een manager samengevoegd of gesplitst bleven staan; "
        f"{done.clusters_before} cluster(s) voor, {done.clusters_after} na."
    )


if __name__ == "__main__":
    app()
