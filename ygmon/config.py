"""Settings: where the config file is, its named profiles, and environment overrides.

A profile is either local (ygmon reads the database and job registry itself) or remote
(ygmon is an HTTP client of another ygmon's admin API). Which one is decided by the
keys it holds: `api_url` makes a profile remote.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ygmon.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./ygmon.db"
DEFAULT_BROKER_URL = "sqlite:///./ygmon-queue.db"

# The local default runs on a laptop next to an editor: FACTS.md's production
# concurrency (20 search updates, 10 deliveries...) would only contend for SQLite's
# single writer, so each queue gets at most 2 threads unless the profile says more.
LOCAL_MAX_CONCURRENCY = 2


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, use_attribute_docstrings=True)


class LocalProfile(_Strict):
    """A profile that reads the database and job registry on this machine."""

    kind: Literal["local"] = "local"
    database_url: str = DEFAULT_DATABASE_URL
    """SQLAlchemy async URL: sqlite+aiosqlite:///PATH or postgresql+asyncpg://..."""
    broker_url: str = DEFAULT_BROKER_URL
    """Huey storage: sqlite:///PATH (embedded) or redis://HOST:PORT/DB."""
    namespace: str = "ygmon"
    """Prefix of queue names and registry keys, so deployments can share one Redis."""
    jwt_secret: str | None = None
    """HS256 secret for `ygmon serve` and `ygmon token` (at least 32 bytes)."""
    serve_host: str = "127.0.0.1"
    serve_port: Annotated[int, Field(ge=1, le=65535)] = 8420
    read_only: bool = False
    """When serving: refuse retries."""
    stalled_after: Annotated[float, Field(gt=0)] = 30.0
    """Seconds without a worker heartbeat before its active jobs count as stalled."""
    max_stalled: Annotated[int, Field(ge=0)] = 1
    """How many times a job may stall before it fails."""
    shutdown_grace: Annotated[float, Field(ge=0)] = 10.0
    """Seconds running jobs get to finish after SIGTERM/SIGINT."""
    concurrency: dict[str, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)
    """Worker threads per queue, overriding the defaults."""
    refresh_interval: Annotated[float, Field(gt=0)] = 2.0
    """Seconds between two polls of the TUI."""
    media_dir: str = "./media"
    """Where asset originals and generated previews live."""


class RemoteProfile(_Strict):
    """A profile that reads another ygmon's admin REST API."""

    kind: Literal["remote"] = "remote"
    api_url: str
    """Base URL of `ygmon serve`, e.g. https://jobs.example.com"""
    token: str | None = None
    """Bearer JWT of an ADMIN user."""
    read_only: bool = False
    """Never send a retry from this client."""
    timeout: Annotated[float, Field(gt=0)] = 10.0
    """Seconds before an HTTP request gives up."""
    refresh_interval: Annotated[float, Field(gt=0)] = 2.0
    """Seconds between two polls of the TUI."""


Profile = LocalProfile | RemoteProfile


class ConfigFile(_Strict):
    default_profile: str | None = None
    profiles: dict[str, dict[str, Any]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """The resolved configuration: which profile, from which file."""

    profile_name: str
    profile: Profile
    source: Path | None

    @property
    def is_remote(self) -> bool:
        return isinstance(self.profile, RemoteProfile)


_TYPE_WORDS = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "a boolean (true or false)",
    "dict_type": "a table",
    "literal_error": "one of the allowed values",
}


def _describe(error: dict[str, Any], prefix: str) -> str:
    loc = ".".join(str(p) for p in (prefix, *error["loc"]) if p != "")
    if error["type"] == "extra_forbidden":
        return f"unknown key '{loc}'"
    if error["type"] == "missing":
        return f"missing key '{loc}'"
    expected = _TYPE_WORDS.get(error["type"])
    got = error.get("input")
    if expected:
        return f"key '{loc}' expects {expected}, got {got!r}"
    return f"key '{loc}': {error['msg']} (got {got!r})"


def _validate(model: type[BaseModel], data: dict[str, Any], source: Path | None, prefix: str):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where = str(source) if source else "built-in defaults"
        raise ConfigError(
            f"config error in {where}: {_describe(exc.errors()[0], prefix)}"
        ) from None


def find_config_file(explicit: str | None = None) -> Path | None:
    """The file to read: --config, $YGMON_CONFIG, ./ygmon.toml, ~/.config/ygmon/config.toml."""
    chosen = explicit or os.environ.get("YGMON_CONFIG")
    if chosen:
        path = Path(chosen).expanduser().absolute()
        if not path.is_file():
            raise ConfigError(f"config error in {path}: no such file")
        return path
    for candidate in (Path("ygmon.toml"), Path("~/.config/ygmon/config.toml").expanduser()):
        if candidate.is_file():
            return candidate.absolute()
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config error in {path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"config error in {path}: {exc.strerror}") from None


_ENV_KEYS = {
    "YGMON_DATABASE_URL": "database_url",
    "YGMON_BROKER_URL": "broker_url",
    "YGMON_TOKEN": "token",
    "YGMON_JWT_SECRET": "jwt_secret",
    "YGMON_STALLED_AFTER": "stalled_after",
}


def _apply_overrides(data: dict[str, Any], cli: dict[str, Any]) -> dict[str, Any]:
    """Environment variables, then command-line options, over the profile's table."""
    merged = dict(data)
    api_url = cli.get("api_url") or os.environ.get("YGMON_API_URL")
    if api_url:
        # An API URL from the environment turns the profile remote: the file's
        # local-only keys no longer apply.
        merged = {k: v for k, v in merged.items() if k in RemoteProfile.model_fields}
        merged.update(kind="remote", api_url=api_url)
    kind = merged.get("kind") or ("remote" if "api_url" in merged else "local")
    fields = (RemoteProfile if kind == "remote" else LocalProfile).model_fields
    for env, key in _ENV_KEYS.items():
        value = os.environ.get(env)
        if not value or key not in fields:
            continue
        if key == "stalled_after":
            try:
                value = float(value)
            except ValueError:
                raise ConfigError(
                    f"config error in environment: {env} expects a number, got {value!r}"
                ) from None
        merged[key] = value
    for key, value in cli.items():
        if value is not None and key in fields:
            merged[key] = value
    return merged


def build_profile(data: dict[str, Any], source: Path | None = None, prefix: str = "") -> Profile:
    """Validate one profile table into a local or remote profile."""
    kind = data.get("kind") or ("remote" if "api_url" in data else "local")
    model = RemoteProfile if kind == "remote" else LocalProfile
    return _validate(model, data, source, prefix)


def load_settings(
    config: str | None = None,
    profile: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    """Resolve file, profile, environment and command-line overrides into Settings.

    Raises ConfigError with one line naming the file and the key.
    """
    path = find_config_file(config)
    raw = _read_toml(path) if path else {}
    parsed: ConfigFile = _validate(ConfigFile, raw, path, "")
    name = profile or os.environ.get("YGMON_PROFILE") or parsed.default_profile or "local"
    if name in parsed.profiles:
        table = parsed.profiles[name]
    elif name == "local":
        table = {}
    else:
        known = ", ".join(sorted(parsed.profiles)) or "none"
        where = str(path) if path else "built-in defaults"
        raise ConfigError(f"config error in {where}: no profile '{name}' (profiles: {known})")
    built = build_profile(_apply_overrides(table, overrides or {}), path, f"profiles.{name}")
    return Settings(profile_name=name, profile=built, source=path)
