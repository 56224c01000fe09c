"""Reading settings from the environment: typed, with safe defaults, failing loudly on bad values."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, generate_into: Path | None = None) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/systemd credentials).

    In the embedded mode a secret may instead be generated once into a git-ignored data file,
    so a fresh clone runs without anyone inventing a key; production must supply one.
    """
    value = os.environ.get(name)
    if value:
        return value
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points at {file_name!r}, which cannot be read") from exc
    if generate_into is None:
        raise ImproperlyConfigured(f"{name} (or {name}_FILE) must be set in production")
    if not generate_into.exists():
        generate_into.parent.mkdir(parents=True, exist_ok=True)
        generate_into.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        generate_into.chmod(0o600)
    return generate_into.read_text(encoding="utf-8").strip()
