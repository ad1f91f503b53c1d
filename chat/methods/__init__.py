"""Discussion methods as data: every `*.yaml` / `*.json` file in this folder (and in `<data dir>/methods/`,
where a team can add its own) describes one method with a prompt per phase."""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from casebook.errors import Invalid
from casebook.settings import Settings

BUILT_IN_DIR = Path(__file__).resolve().parent
DEFAULT_METHOD = "multi_actor"


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    prompt: str


@dataclass(frozen=True)
class Method:
    id: str
    name: str
    description: str
    phases: tuple[Phase, ...]

    def phase(self, phase_id: str) -> Phase | None:
        return next((phase for phase in self.phases if phase.id == phase_id), None)

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "phases": [{"id": p.id, "name": p.name, "prompt": p.prompt} for p in self.phases],
        }


class MethodFileError(ValueError):
    """A method file that cannot be used; the message names the file and the problem."""


def parse_method(path: Path) -> Method:
    raw = (
        json.loads(path.read_text("utf-8"))
        if path.suffix == ".json"
        else yaml.safe_load(path.read_text("utf-8"))
    )
    try:
        phases = tuple(
            Phase(id=str(p["id"]), name=str(p["name"]), prompt=" ".join(str(p["prompt"]).split()))
            for p in raw["phases"]
        )
        method = Method(
            id=str(raw["id"]),
            name=str(raw["name"]),
            description=str(raw.get("description", "")).strip(),
            phases=phases,
        )
    except (KeyError, TypeError) as exc:
        raise MethodFileError(f"{path.name}: ontbrekend of ongeldig veld ({exc})") from exc
    if not phases:
        raise MethodFileError(f"{path.name}: een methode heeft minstens één fase nodig")
    return method


@lru_cache(maxsize=8)
def _load(folders: tuple[Path, ...]) -> dict[str, Method]:
    methods: dict[str, Method] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml"), *folder.glob("*.json")]):
            method = parse_method(path)
            methods[method.id] = method
    return methods


def team_dir(settings: Settings) -> Path:
    """Where a team adds its own methods: `<data dir>/methods`."""
    return settings.data_dir / "methods"


def all_methods(extra_dir: Path | None = None) -> dict[str, Method]:
    """Built-in methods plus the team's own (which may replace a built-in one by using its id)."""
    folders = (BUILT_IN_DIR,) + ((extra_dir.resolve(),) if extra_dir else ())
    return _load(folders)


def get(method_id: str, extra_dir: Path | None = None) -> Method | None:
    return all_methods(extra_dir).get(method_id)


def get_or_raise(method_id: str, extra_dir: Path | None = None) -> Method:
    """The method, or Invalid naming the methods there are (a discussion is planned and moved by its id)."""
    method = get(method_id, extra_dir)
    if method is None:
        known = ", ".join(sorted(all_methods(extra_dir)))
        raise Invalid(f"Onbekende gespreksmethode {method_id!r}. Kies uit: {known}.")
    return method
