"""Settings: where the config file is, its named profiles, and environment overrides.

A profile is either local (ygmon reads the database and job registry itself) or remote
(ygmon is an HTTP client of another ygmon's admin API). Which one is decided by the
keys it holds: `api_url` makes a profile remote.

Profiles are small frozen classes checked by a few typed rules rather than pydantic
models or dataclasses: every command reads the config first, and pydantic's import
alone cost more than the 50 ms `ygmon status` is allowed for its whole answer.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Literal, NamedTuple

from ygmon.alert_config import check_alerts
from ygmon.config_rules import REQUIRED as _REQUIRED
from ygmon.config_rules import Rule as _Rule
from ygmon.config_rules import Setting as _Setting
from ygmon.config_rules import checked as _checked
from ygmon.config_rules import fail as _fail
from ygmon.config_rules import setting as _setting
from ygmon.errors import ConfigError
from ygmon.job_links import check_links
from ygmon.liveness import DEFAULT_GONE_AFTER, LATE_AFTER

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./ygmon.db"
DEFAULT_BROKER_URL = "sqlite:///./ygmon-queue.db"

# The local default runs on a laptop next to an editor: docs/CONTRACT.md#queues' production
# concurrency (20 search updates, 10 deliveries...) would only contend for SQLite's
# single writer, so each queue gets at most 2 threads unless the profile says more.
LOCAL_MAX_CONCURRENCY = 2


class _Profile:
    """A frozen set of checked settings; subclasses declare them with `_setting`.

    Hand-rolled rather than a dataclass: the dataclasses module (with inspect) alone
    costs ~20 ms, which `ygmon status` cannot spare.
    """

    KIND: ClassVar[str]
    _SETTINGS: ClassVar[dict[str, _Setting]]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._SETTINGS = {k: v for k, v in vars(cls).items() if isinstance(v, _Setting)}

    def __init__(self, **values: Any) -> None:
        # Direct construction (tests, benches) gets the same checks as a file does.
        cls = type(self)
        for key in values:
            if key not in cls._SETTINGS and key != "kind":
                raise _fail("settings", f"unknown key '{key}'")
        if values.get("kind", cls.KIND) != cls.KIND:
            raise _fail("settings", f"key 'kind' expects '{cls.KIND}', got {values['kind']!r}")
        for name, setting in cls._SETTINGS.items():
            if name in values:
                value = _checked(setting.rule, values[name], name, "settings")
            elif setting.default is _REQUIRED:
                raise _fail("settings", f"missing key '{name}'")
            else:
                default = setting.default
                value = dict(default) if isinstance(default, dict) else default
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: use .replace({name}=...)")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Profile)
            and type(other) is type(self)
            and self.table() == other.table()
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.table().items())
        return f"{type(self).__name__}({inner})"

    @classmethod
    def setting_names(cls) -> tuple[str, ...]:
        return ("kind", *cls._SETTINGS)

    @classmethod
    def from_table(cls, data: dict[str, Any], where: str, prefix: str) -> Any:
        """Check a TOML table key by key; ConfigError names the first bad key."""
        values = {}
        for key, value in data.items():
            loc = f"{prefix}.{key}" if prefix else key
            if key == "kind":
                if value != cls.KIND:
                    raise _fail(where, f"key '{loc}' expects 'local' or 'remote', got {value!r}")
                continue
            if key not in cls._SETTINGS:
                raise _fail(where, f"unknown key '{loc}'")
            values[key] = _checked(cls._SETTINGS[key].rule, value, loc, where)
        for name, setting in cls._SETTINGS.items():
            if setting.default is _REQUIRED and name not in values:
                raise _fail(where, f"missing key '{f'{prefix}.{name}' if prefix else name}'")
        return cls(**values)

    def replace(self, **changes: Any) -> Any:
        """A copy with some settings changed (checked like the originals)."""
        return type(self)(**{**self.table(), **changes})

    def table(self, changed_only: bool = False) -> dict[str, Any]:
        """The settings as a TOML profile table, optionally only those off their default."""
        table: dict[str, Any] = {} if changed_only else {"kind": self.KIND}
        for name, setting in self._SETTINGS.items():
            value = getattr(self, name)
            if not changed_only or value != setting.default:
                table[name] = value
        return table


_STR = _Rule("str")
_OPT_STR = _Rule("optional_str")
_BOOL = _Rule("bool")
_SECONDS = _Rule("float", above=0)
_COLOUR = _Rule("colour")
_ALERTS = _Rule("table", check=check_alerts)
_LINKS = _Rule("table", check=check_links)


def _addresses(value: Any, loc: str, where: str) -> tuple[str, ...]:
    """A list of IP addresses or networks ("10.0.0.0/8"), kept as a tuple."""
    import ipaddress

    if not isinstance(value, list | tuple):
        raise _fail(where, f"key '{loc}' expects a list of IP addresses or networks, got {value!r}")
    for item in value:
        try:
            ipaddress.ip_network(item) if isinstance(item, str) else None
        except ValueError:
            item = None
        if not isinstance(item, str):
            raise _fail(where, f"key '{loc}' expects IP addresses or networks, got {value!r}")
    return tuple(value)


_ADDRESSES = _Rule("list", check=_addresses)


class LocalProfile(_Profile):
    """A profile that reads the database and job registry on this machine."""

    KIND: ClassVar[str] = "local"
    kind: ClassVar[Literal["local"]] = "local"
    database_url: str = _setting(DEFAULT_DATABASE_URL, _STR)
    """SQLAlchemy async URL: sqlite+aiosqlite:///PATH or postgresql+asyncpg://..."""
    broker_url: str = _setting(DEFAULT_BROKER_URL, _STR)
    """Huey storage: sqlite:///PATH (embedded) or redis://HOST:PORT/DB."""
    namespace: str = _setting("ygmon", _STR)
    """Prefix of queue names and registry keys, so deployments can share one Redis."""
    jwt_secret: str | None = _setting(None, _OPT_STR)
    """HS256 secret for `ygmon serve` and `ygmon token` (at least 32 bytes)."""
    serve_host: str = _setting("127.0.0.1", _STR)
    serve_port: int = _setting(8420, _Rule("int", at_least=1, at_most=65535))
    trusted_proxies: tuple[str, ...] = _setting((), _ADDRESSES)
    """When serving: peers (IP addresses or networks) whose X-Forwarded-For and
    X-Forwarded-Proto are believed, i.e. your reverse proxy's; none by default."""
    read_only: bool = _setting(False, _BOOL)
    """When serving: refuse retries."""
    max_streams: int = _setting(3, _Rule("int", at_least=0, at_most=100))
    """When serving: live streams (GET /api/admin/jobs/stream) one user may hold at once;
    past it the contract's 429. 0 turns the stream off (404, as on an older server)."""
    require_known_users: bool = _setting(False, _BOOL)
    """When serving: a token's user must exist in the database and be ADMIN there now
    (401 for a deleted user, 403 for a demoted one); off for operators' own tokens."""
    mail_backend: str = _setting("outbox", _STR)
    """Where e-mail goes: 'outbox' (.eml files in outbox_dir, the local default) or 'smtp'."""
    outbox_dir: str = _setting("./outbox", _STR)
    """The folder the outbox backend writes messages to (`ygmon outbox` lists them)."""
    mail_from: str = _setting("ygmon <noreply@localhost>", _STR)
    """From-address of every message; its domain also names the Message-IDs."""
    smtp_host: str = _setting("localhost", _STR)
    smtp_port: int = _setting(587, _Rule("int", at_least=1, at_most=65535))
    smtp_security: str = _setting("starttls", _STR)
    """'starttls' (upgrade after connecting), 'tls' (TLS from the start) or 'none'."""
    smtp_username: str | None = _setting(None, _OPT_STR)
    """Log in as this user (no login when unset)."""
    smtp_password_env: str = _setting("YGMON_SMTP_PASSWORD", _STR)
    """Name of the environment variable holding the SMTP password (never the password)."""
    smtp_timeout: float = _setting(10.0, _SECONDS)
    """Seconds before a silent SMTP server counts as a failure."""
    mail_breaker_failures: int = _setting(5, _Rule("int", at_least=1))
    """Consecutive SMTP failures that open the circuit breaker."""
    mail_breaker_reset: float = _setting(15.0, _SECONDS)
    """Seconds the open breaker fails fast before one trial send: shorter than the
    `email` queue's retry backoff (10 s, then 20 s), so a retried message gets its trial."""
    stalled_after: float = _setting(30.0, _SECONDS)
    """Seconds without a worker heartbeat before its active jobs count as stalled."""
    worker_gone_after: float = _setting(DEFAULT_GONE_AFTER, _Rule("float", at_least=LATE_AFTER))
    """Seconds without a worker heartbeat before health and the screens call it gone
    (ygmon.liveness); at least two heartbeats, so a live worker never reads as gone."""
    max_stalled: int = _setting(1, _Rule("int", at_least=0))
    """How many times a job may stall before it fails."""
    shutdown_grace: float = _setting(10.0, _Rule("float", at_least=0))
    """Seconds running jobs get to finish after SIGTERM/SIGINT."""
    job_log_lines: int = _setting(500, _Rule("int", at_least=1))
    """Lines of a job's own log (its logging records, stdout, stderr) kept per attempt:
    the last ones; the job's detail says how many were cut."""
    job_log_bytes: int = _setting(65536, _Rule("int", at_least=256))
    """Bytes of a job's own log kept per attempt, whichever cap comes first."""
    concurrency: dict[str, int] = _setting({}, _Rule("counts"))
    """Worker threads per queue, overriding the defaults."""
    refresh_interval: float = _setting(2.0, _SECONDS)
    """Seconds between two polls of the TUI."""
    media_dir: str = _setting("./media", _STR)
    """Where asset originals and generated previews live."""
    media_base_url: str | None = _setting(None, _OPT_STR)
    """Base of the signed media URLs (e.g. a CDN in front of `ygmon serve`); default
    http://serve_host:serve_port/media, served by `ygmon serve`."""
    media_url_ttl: float = _setting(3600.0, _SECONDS)
    """Seconds a signed media URL stays valid at least (at most twice this)."""
    colour: str | None = _setting(None, _COLOUR)
    """The profile's colour in the app's header (ygmon.profile_keys), e.g. red for prod."""
    export_dir: str = _setting(".", _STR)
    """Where the app's `e` writes its CSV and JSON exports."""
    schedule_grace: float = _setting(120.0, _SECONDS)
    """Seconds a periodic run may start late before it counts as missed."""
    backfill_max_running: int = _setting(2, _Rule("int", at_least=1, at_most=50))
    """Jobs of one backfill waiting or running at once (`--max-running` overrides it)."""
    alerts: dict[str, Any] = _setting({}, _ALERTS)
    """Alert rules (ygmon.alert_config): failure_rate, oldest_waiting, no_worker,
    schedule_missed, paused_too_long."""
    links: dict[str, str] = _setting({}, _LINKS)
    """URL templates shown (and copied with `u`) in a job's detail (ygmon.job_links):
    {job_id}, {queue}, {task}, {started_at}, {finished_at}."""


class RemoteProfile(_Profile):
    """A profile that reads another ygmon's admin REST API."""

    KIND: ClassVar[str] = "remote"
    kind: ClassVar[Literal["remote"]] = "remote"
    api_url: str = _setting(rule=_STR)
    """Base URL of `ygmon serve`, e.g. https://jobs.example.com"""
    token: str | None = _setting(None, _OPT_STR)
    """Bearer JWT of an ADMIN user."""
    read_only: bool = _setting(False, _BOOL)
    """Never send a retry from this client."""
    timeout: float = _setting(10.0, _SECONDS)
    """Seconds before an HTTP request gives up."""
    refresh_interval: float = _setting(2.0, _SECONDS)
    """Seconds between two polls of the TUI."""
    colour: str | None = _setting(None, _COLOUR)
    """The profile's colour in the app's header (ygmon.profile_keys), e.g. red for prod."""
    export_dir: str = _setting(".", _STR)
    """Where the app's `e` writes its CSV and JSON exports."""
    alerts: dict[str, Any] = _setting({}, _ALERTS)
    """Alert rules, evaluated here over the server's answers (ygmon.alert_config)."""
    links: dict[str, str] = _setting({}, _LINKS)
    """URL templates shown (and copied with `u`) in a job's detail (ygmon.job_links)."""


Profile = LocalProfile | RemoteProfile


class Settings(NamedTuple):
    """The resolved configuration: which profile, from which file."""

    profile_name: str
    profile: Profile
    source: Path | None

    @property
    def is_remote(self) -> bool:
        return isinstance(self.profile, RemoteProfile)


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


def _file_tables(raw: dict[str, Any], where: str) -> tuple[str | None, dict[str, Any]]:
    """The file's `default_profile` and `profiles`, the only top-level keys it may hold."""
    for key in raw:
        if key not in ("default_profile", "profiles"):
            raise _fail(where, f"unknown key '{key}'")
    default = raw.get("default_profile")
    if default is not None and not isinstance(default, str):
        raise _fail(where, f"key 'default_profile' expects a string, got {default!r}")
    profiles = raw.get("profiles", {})
    if not isinstance(profiles, dict):
        raise _fail(where, f"key 'profiles' expects a table, got {profiles!r}")
    for name, table in profiles.items():
        if not isinstance(table, dict):
            raise _fail(where, f"key 'profiles.{name}' expects a table, got {table!r}")
    return default, profiles


_ENV_KEYS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "YGMON_DATABASE_URL": ("database_url", str),
    "YGMON_BROKER_URL": ("broker_url", str),
    "YGMON_TOKEN": ("token", str),
    "YGMON_JWT_SECRET": ("jwt_secret", str),
    "YGMON_STALLED_AFTER": ("stalled_after", float),
    "YGMON_WORKER_GONE_AFTER": ("worker_gone_after", float),
}


def _apply_overrides(data: dict[str, Any], cli: dict[str, Any]) -> dict[str, Any]:
    """Environment variables, then command-line options, over the profile's table."""
    merged = dict(data)
    api_url = cli.get("api_url") or os.environ.get("YGMON_API_URL")
    if api_url:
        # An API URL from the environment turns the profile remote: the file's
        # local-only keys no longer apply.
        merged = {k: v for k, v in merged.items() if k in RemoteProfile.setting_names()}
        merged.update(kind="remote", api_url=api_url)
    keys = _profile_class(merged).setting_names()
    for env, (key, convert) in _ENV_KEYS.items():
        value = os.environ.get(env)
        if not value or key not in keys:
            continue
        try:
            merged[key] = convert(value)
        except ValueError:
            raise ConfigError(
                f"config error in environment: {env} expects a number, got {value!r}"
            ) from None
    for key, value in cli.items():
        if value is not None and key in keys:
            merged[key] = value
    return merged


def _profile_class(data: dict[str, Any]) -> type[LocalProfile] | type[RemoteProfile]:
    kind = data.get("kind") or ("remote" if "api_url" in data else "local")
    return RemoteProfile if kind == "remote" else LocalProfile


def build_profile(data: dict[str, Any], source: Path | None = None, prefix: str = "") -> Profile:
    """Validate one profile table into a local or remote profile."""
    where = str(source) if source else "built-in defaults"
    return _profile_class(data).from_table(data, where, prefix)


def load_settings(
    config: str | None = None,
    profile: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    """Resolve file, profile, environment and command-line overrides into Settings.

    Raises ConfigError with one line naming the file and the key.
    """
    path = find_config_file(config)
    where = str(path) if path else "built-in defaults"
    default, profiles = _file_tables(_read_toml(path) if path else {}, where)
    name = profile or os.environ.get("YGMON_PROFILE") or default or "local"
    if name in profiles:
        table = profiles[name]
    elif name == "local":
        table = {}
    else:
        known = ", ".join(sorted(profiles)) or "none"
        raise ConfigError(f"config error in {where}: no profile '{name}' (profiles: {known})")
    built = build_profile(_apply_overrides(table, overrides or {}), path, f"profiles.{name}")
    return Settings(profile_name=name, profile=built, source=path)
