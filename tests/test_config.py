"""Config: file discovery, profiles, environment overrides, and one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ygmon.config import (
    DEFAULT_BROKER_URL,
    DEFAULT_DATABASE_URL,
    LocalProfile,
    RemoteProfile,
    load_settings,
)
from ygmon.errors import ConfigError
from ygmon.slo_config import slo_targets

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "config.example.toml"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("YGMON_") and not name.startswith("YGMON_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str, name: str = "ygmon.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_built_in_defaults_without_any_file() -> None:
    settings = load_settings()
    assert settings.source is None
    assert settings.profile_name == "local"
    assert isinstance(settings.profile, LocalProfile)
    assert settings.profile.database_url == DEFAULT_DATABASE_URL
    assert settings.profile.broker_url == DEFAULT_BROKER_URL


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home_cfg = tmp_path / "home/.config/ygmon/config.toml"
    home_cfg.parent.mkdir(parents=True)
    home_cfg.write_text('[profiles.local]\nnamespace = "home"\n')
    assert load_settings().profile.namespace == "home"
    write(tmp_path, '[profiles.local]\nnamespace = "cwd"\n')
    assert load_settings().profile.namespace == "cwd"
    env_cfg = write(tmp_path, '[profiles.local]\nnamespace = "env"\n', "env.toml")
    monkeypatch.setenv("YGMON_CONFIG", str(env_cfg))
    assert load_settings().profile.namespace == "env"
    flag_cfg = write(tmp_path, '[profiles.local]\nnamespace = "flag"\n', "flag.toml")
    assert load_settings(config=str(flag_cfg)).profile.namespace == "flag"


def test_profile_selection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        'default_profile = "prod"\n'
        '[profiles.prod]\nbroker_url = "redis://r:6379/0"\n'
        '[profiles.ops]\napi_url = "http://ops:8420"\ntoken = "t"\nread_only = true\n',
    )
    assert load_settings().profile_name == "prod"
    monkeypatch.setenv("YGMON_PROFILE", "ops")
    ops = load_settings()
    assert isinstance(ops.profile, RemoteProfile) and ops.is_remote
    assert ops.profile.read_only is True
    assert load_settings(profile="prod").profile.broker_url == "redis://r:6379/0"
    with pytest.raises(ConfigError, match=r"no profile 'nope' \(profiles: ops, prod\)"):
        load_settings(profile="nope")


def test_environment_and_command_line_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, '[profiles.local]\ndatabase_url = "sqlite+aiosqlite:///file.db"\n')
    monkeypatch.setenv("YGMON_DATABASE_URL", "postgresql+asyncpg://pg/db")
    monkeypatch.setenv("YGMON_BROKER_URL", "redis://r:6379/1")
    monkeypatch.setenv("YGMON_JWT_SECRET", "s" * 32)
    monkeypatch.setenv("YGMON_STALLED_AFTER", "5")
    local = load_settings().profile
    assert isinstance(local, LocalProfile)
    assert (local.database_url, local.broker_url) == (
        "postgresql+asyncpg://pg/db",
        "redis://r:6379/1",
    )
    assert (local.jwt_secret, local.stalled_after) == ("s" * 32, 5.0)
    monkeypatch.setenv("YGMON_API_URL", "http://remote:8420")
    monkeypatch.setenv("YGMON_TOKEN", "tok")
    remote = load_settings().profile
    assert isinstance(remote, RemoteProfile)
    assert (remote.api_url, remote.token) == ("http://remote:8420", "tok")
    cli = load_settings(overrides={"api_url": "http://cli:1", "token": "c", "read_only": True})
    assert (cli.profile.api_url, cli.profile.token, cli.profile.read_only) == (
        "http://cli:1",
        "c",
        True,
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[profiles.local]\ndatabse_url = "x"\n', "unknown key 'profiles.local.databse_url'"),
        (
            '[profiles.local]\nserve_port = "80"\n',
            "key 'profiles.local.serve_port' expects an integer, got '80'",
        ),
        (
            '[profiles.local]\nread_only = "yes"\n',
            "key 'profiles.local.read_only' expects a boolean",
        ),
        (
            '[profiles.r]\napi_url = "http://x"\nbroker_url = "redis://"\n',
            "unknown key 'profiles.r.broker_url'",
        ),
        ("default_profile = 3\n", "key 'default_profile' expects a string, got 3"),
        ("surprise = 1\n", "unknown key 'surprise'"),
        ("[profiles.local\n", "not valid TOML"),
        ("[profiles.local]\nstalled_after = -1.0\n", "key 'profiles.local.stalled_after'"),
        (
            "[profiles.local]\nworker_gone_after = 1.0\n",
            "key 'profiles.local.worker_gone_after' expects a number at least 4, got 1.0",
        ),
        (
            '[profiles.local]\nworker_gone_after = "6s"\n',
            "key 'profiles.local.worker_gone_after' expects a number",
        ),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        load_settings(profile="r" if "profiles.r]" in body else None)
    assert str(info.value).startswith(f"config error in {path}: ")
    assert expected in str(info.value)
    assert "\n" not in str(info.value)


def _ygmon(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    exe = Path(sys.executable).with_name("ygmon")
    return subprocess.run(
        [str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (
            '[profiles.local]\ndatabse_url = "sqlite+aiosqlite:///x.db"\n',
            "profiles.local.databse_url",
        ),
        ('[profiles.local]\nmax_stalled = "many"\n', "profiles.local.max_stalled"),
    ],
)
def test_console_script_reports_bad_config_in_one_line(tmp_path: Path, body: str, key: str) -> None:
    path = write(tmp_path, body)
    result = _ygmon("--config", str(path), "status", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and key in lines[0]
    assert "Traceback" not in result.stderr


def test_example_config_parses_and_covers_every_setting() -> None:
    raw = tomllib.loads(EXAMPLE.read_text())
    assert raw["default_profile"]
    kinds = {}
    for name in raw["profiles"]:
        settings = load_settings(config=str(EXAMPLE), profile=name)
        kinds.setdefault(type(settings.profile), set()).update(raw["profiles"][name])
    documented = EXAMPLE.read_text()
    for model in (LocalProfile, RemoteProfile):
        for field in model.setting_names():
            assert field in kinds[model] or f"# {field} =" in documented, (
                f"config.example.toml does not show {model.__name__}.{field}"
            )


def test_a_profile_colour_is_checked_and_an_unknown_one_names_key_and_file(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, '[profiles.prod]\ncolour = "red"\n[profiles.ops]\ncolour = "#12ab9F"\n')
    assert load_settings(profile="prod").profile.colour == "red"
    assert load_settings(profile="ops").profile.colour == "#12ab9F"
    assert load_settings(profile="local").profile.colour is None
    write(tmp_path, '[profiles.prod]\ncolour = "reddish"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(profile="prod")
    message = str(caught.value)
    assert str(path) in message and "'profiles.prod.colour'" in message and "'reddish'" in message
    write(tmp_path, '[profiles.r]\napi_url = "http://x"\ncolour = 3\n')
    with pytest.raises(ConfigError, match=r"profiles\.r\.colour"):
        load_settings(profile="r")


def test_links_are_checked_and_an_unknown_placeholder_names_key_and_file(
    tmp_path: Path,
) -> None:
    good = '[profiles.prod.links]\nsentry = "https://s.example.com/?q={job_id}&t={task}"\n'
    write(tmp_path, good)
    assert load_settings(profile="prod").profile.links == {
        "sentry": "https://s.example.com/?q={job_id}&t={task}"
    }
    path = write(tmp_path, '[profiles.prod.links]\nsentry = "https://s.example.com/?q={jobid}"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(profile="prod")
    assert str(path) in str(info.value) and "links.sentry" in str(info.value)
    assert "{jobid}" in str(info.value) and "{job_id}" in str(info.value)


def test_latency_targets_are_checked_and_a_bad_one_names_key_and_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        '[profiles.prod.slo]\nemail = "p95  wait<30s"\nsearch-index-update = ["p99 run < 1.5m"]\n',
    )
    profile = load_settings(profile="prod").profile
    assert profile.slo == {"email": ["p95 wait < 30s"], "search-index-update": ["p99 run < 1.5m"]}
    email, index = slo_targets(profile.slo)
    assert (email.quantile, email.kind, email.below_ms) == (0.95, "wait", 30_000)
    assert (index.quantile, index.kind, index.below_ms) == (0.99, "run", 90_000)
    for body, key, words in (
        ('email = "p95 wiat < 30s"', "profiles.prod.slo.email", "'p95 wiat < 30s'"),
        ('email = "p90 wait < 1s"', "profiles.prod.slo.email", "p50|p95|p99"),
        ('emial = "p95 wait < 1s"', "profiles.prod.slo.emial", "queues: "),
        ("email = 30", "profiles.prod.slo.email", "30"),
    ):
        path = write(tmp_path, f"[profiles.prod.slo]\n{body}\n")
        with pytest.raises(ConfigError) as info:
            load_settings(profile="prod")
        message = str(info.value)
        assert str(path) in message and f"'{key}'" in message and words in message, message
