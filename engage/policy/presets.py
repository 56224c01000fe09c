"""Loading and validating policy presets from TOML, with messages that name the key and rule."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from pydantic import ValidationError

from engage.policy.schema import Preset

PRESETS_DIR = Path(__file__).resolve().parent / "presets"


class PresetError(ValueError):
    """A preset file that cannot be used; `problems` lists each one as 'key.path: reason'."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def parse(text: str, *, source: str = "<preset>") -> Preset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(source, [f"not valid TOML: {exc}"]) from exc
    try:
        return Preset.model_validate(data)
    except ValidationError as exc:
        raise PresetError(source, [_describe(e) for e in exc.errors()]) from exc


def load_file(path: str | Path) -> Preset:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PresetError(str(path), [f"cannot read file: {exc.strerror}"]) from exc
    return parse(text, source=str(path))


def available() -> list[str]:
    """Names of the presets shipped with Engage, sorted."""
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


@functools.cache
def get(name: str) -> Preset:
    """A shipped preset by name (cached: presets are immutable)."""
    path = PRESETS_DIR / f"{name}.toml"
    if name not in available():
        raise PresetError(name, [f"no preset called '{name}' (available: {', '.join(available())})"])
    return load_file(path)


def _describe(error: object) -> str:
    err = dict(error)  # type: ignore[call-overload]
    loc = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in err.get("loc", ()))
    loc = loc.replace(".[", "[")
    msg = str(err.get("msg", "invalid"))
    if err.get("type") == "extra_forbidden":
        msg = "is not a key this schema knows (check the spelling)"
    elif err.get("type") == "missing":
        msg = "is required"
    msg = msg.removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg
