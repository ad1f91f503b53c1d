"""What search works on and answers with. Search keeps no tables of its own: the database is the
source of truth, and the index files under CASEBOOK_DATA_DIR are derived from it."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

MAX_K = 100
DEFAULT_K = 10


@dataclass(frozen=True)
class WordMatch:
    """One word of a query against some cases: how rare it is in the casebook and which of those cases hold
    it."""

    word: str  # folded, as typed (a hyphenated word also counts as each of its parts)
    rarity: float  # its term's idf over the idf of a term no case holds: 1 for such a word, near 0 for "wmo"
    case_ids: frozenset[int]


@dataclass
class CaseDocument:
    """Everything search knows about one case, built from the stored (anonymised) case."""

    case_id: int
    external_id: str
    title: str
    team: str = ""
    narrative: str = ""
    support_question: str = ""
    support_plan: str = ""
    outcome: str = ""
    extra: list[str] = field(default_factory=list)  # plan items, decisions, actions, feedback
    life_domains: list[str] = field(default_factory=list)
    bottleneck_kinds: list[str] = field(default_factory=list)
    bottleneck_texts: list[str] = field(default_factory=list)  # law, rule, description, workaround
    held_at: date | None = None
    # The case's team by id, for access (Audience). Left out of the fingerprint: the team's unique name
    # (`team`) is in it, so a case moved to another team is still re-indexed.
    team_id: int | None = None

    @property
    def outcome_known(self) -> bool:
        return bool(self.outcome.strip())

    def fields(self) -> list[tuple[str, str]]:
        """(field, text) pairs in reading order; the text fields that are embedded and indexed."""
        pairs = [
            ("title", self.title),
            ("narrative", self.narrative),
            ("support_question", self.support_question),
            ("support_plan", self.support_plan),
            ("outcome", self.outcome),
        ]
        pairs += [("bottleneck", text) for text in self.bottleneck_texts]
        pairs += [("extra", text) for text in self.extra]
        pairs.append(("life_domains", ", ".join(self.life_domains)))
        return [(name, text) for name, text in pairs if text and text.strip()]

    def fingerprint(self) -> str:
        """Changes whenever anything search uses changes (texts, domains, kinds, team, date)."""
        payload = json.dumps(
            [self.external_id, self.team, self.fields(), sorted(self.bottleneck_kinds), str(self.held_at)],
            ensure_ascii=False,
        )
        return hashlib.sha1(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Audience:
    """The cases one user may see, in the two parts casebook's access rules are made of: every case of
    the teams `teams` (by team id), plus the cases `cases` (invitations). Built by
    search.service.audience; the engine turns it into a selection over its own documents."""

    teams: frozenset[int] = frozenset()
    cases: frozenset[int] = frozenset()

    def sees(self, case_id: int, team_id: int | None) -> bool:
        return team_id in self.teams or case_id in self.cases


@dataclass
class Filters:
    domain: str | None = None
    kind: str | None = None
    team: str | None = None
    held_from: date | None = None
    held_to: date | None = None
    outcome_known: bool | None = None

    def active(self) -> bool:
        return any(v is not None for v in vars(self).values())

    def key(self) -> tuple:
        return tuple(vars(self).values())

    def accepts(self, doc: CaseDocument) -> bool:
        return (
            (self.domain is None or self.domain in doc.life_domains)
            and (self.kind is None or self.kind in doc.bottleneck_kinds)
            and (self.team is None or self.team == doc.team)
            and (self.held_from is None or (doc.held_at is not None and doc.held_at >= self.held_from))
            and (self.held_to is None or (doc.held_at is not None and doc.held_at <= self.held_to))
            and (self.outcome_known is None or self.outcome_known == doc.outcome_known)
        )


class Reason(BaseModel):
    shared_domains: list[str] = []
    shared_kinds: list[str] = []
    matched_terms: list[str] = []


class SearchHit(BaseModel):
    case_id: int
    external_id: str
    score: float
    title: str
    snippet: str  # plain text
    snippet_html: str = ""  # escaped, with the matching terms in <mark>
    team: str = ""
    held_at: date | None = None
    life_domains: list[str] = []
    bottleneck_kinds: list[str] = []
    why: Reason = Reason()

    def contract(self) -> dict:
        """The CLI's JSON shape from the contract."""
        return {
            "case_id": self.case_id,
            "external_id": self.external_id,
            "score": round(self.score, 4),
            "title": self.title,
            "snippet": self.snippet,
        }


class Facets(BaseModel):
    domain: dict[str, int] = {}
    kind: dict[str, int] = {}
    team: dict[str, int] = {}
    outcome_known: dict[str, int] = {}


class SearchResult(BaseModel):
    query: str
    k: int
    truncated: bool = False
    hits: list[SearchHit]
    facets: Facets = Facets()
