"""`ygmon serve` and `ygmon token` as commands: the generated local secret, the weak
secret refusal, and a printed token accepted by a served API."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
from servers import bearer, seed_database, serve_subprocess

from ygmon.config import LocalProfile


def _ygmon(config: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    full_env.update(YGMON_CONFIG=str(config), **env)
    return subprocess.run(
        [sys.executable, "-m", "ygmon.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _config(tmp_path: Path, profile: LocalProfile) -> Path:
    path = tmp_path / "ygmon.toml"
    path.write_text(
        "[profiles.local]\n"
        f'database_url = "{profile.database_url}"\n'
        f'broker_url = "{profile.broker_url}"\n'
    )
    return path


def test_token_command_and_serve_share_the_generated_secret(tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
    )
    seed_database(profile.database_url)
    config = _config(tmp_path, profile)
    printed = _ygmon(config, "token", "--role", "ADMIN", "--user", "ops", "--ttl", "120")
    assert printed.returncode == 0, printed.stderr
    token = printed.stdout.strip()
    secret_file = tmp_path / "ygmon-jwt-secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert len(secret_file.read_text().strip()) >= 32
    viewer = _ygmon(config, "token", "--role", "VIEWER").stdout.strip()
    with serve_subprocess(profile) as (base_url, _):
        ok = httpx.get(f"{base_url}/api/admin/jobs/aggregation/logs", headers=bearer(token))
        assert ok.status_code == 200 and ok.json()["pagination"]["total"] == 37
        denied = httpx.get(f"{base_url}/api/admin/jobs/health", headers=bearer(viewer))
        assert denied.status_code == 403


def test_serve_refuses_a_short_secret(tmp_path: Path) -> None:
    profile = LocalProfile(database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}")
    result = _ygmon(_config(tmp_path, profile), "serve", "--port", "1", YGMON_JWT_SECRET="short")
    assert result.returncode == 2
    assert "at least 32 bytes" in result.stderr and "Traceback" not in result.stderr


def test_token_rejects_a_bad_ttl(tmp_path: Path) -> None:
    profile = LocalProfile(database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}")
    result = _ygmon(_config(tmp_path, profile), "token", "--role", "ADMIN", "--ttl", "0")
    assert result.returncode == 2 and "--ttl" in result.stderr


def test_serve_read_only_flag(tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        jwt_secret="a-long-enough-secret-for-the-serve-test-0123",
    )
    seed_database(profile.database_url)
    with serve_subprocess(profile, "--read-only") as (base_url, token):
        response = httpx.post(f"{base_url}/api/admin/jobs/email/any/retry", headers=bearer(token))
        assert response.status_code == 403
        assert response.headers["X-Ygmon-Read-Only"] == "true"
        assert "read-only" in response.json()["error"]
