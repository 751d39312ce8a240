"""503 when the broker or the database cannot be reached, 500 without a stack, and
the read-only server's 403."""

from __future__ import annotations

from pathlib import Path

from servers import FAILED_JOBS, TEST_SECRET, Api, seed_database, serve_on_loopback

from ygmon.config import LocalProfile

BASE = "/api/admin/jobs"
UNAVAILABLE = {"success": False, "error": "Service unavailable"}


def _profile(tmp_path: Path, **kw: str) -> LocalProfile:
    fields = {
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
        "broker_url": f"sqlite:///{tmp_path / 'queue.db'}",
        "jwt_secret": TEST_SECRET,
        **kw,
    }
    return LocalProfile(**fields)


def test_broker_unreachable_is_503(tmp_path: Path) -> None:
    # Nothing listens on port 1: the rate limiter's Redis and the registry both fail.
    profile = _profile(tmp_path, broker_url="redis://127.0.0.1:1/0")
    seed_database(profile.database_url)
    with serve_on_loopback(profile) as (url, token):
        api = Api(url, token, profile)
        for path in ("/queues", "/health", "/failed", "/search-index/stats"):
            response = api.get(BASE + path)
            assert response.status_code == 503
            assert response.json() == UNAVAILABLE


def test_registry_unreachable_is_503_with_memory_limiter(tmp_path: Path) -> None:
    # The broker file's directory is a file: the registry cannot open its storage.
    (tmp_path / "blocker").write_text("")
    profile = _profile(tmp_path, broker_url=f"sqlite:///{tmp_path / 'blocker' / 'q.db'}")
    seed_database(profile.database_url)
    with serve_on_loopback(profile) as (url, token):
        response = Api(url, token, profile).get(BASE + "/queues")
        assert response.status_code == 503
        assert response.json() == UNAVAILABLE
        assert "X-RateLimit-Remaining" in response.headers


def test_database_unreachable_is_503(tmp_path: Path) -> None:
    profile = _profile(tmp_path, database_url="postgresql+asyncpg://postgres@127.0.0.1:1/none")
    with serve_on_loopback(profile) as (url, token):
        api = Api(url, token, profile)
        for path in ("/aggregation/logs", "/previews"):
            response = api.get(BASE + path)
            assert response.status_code == 503
            assert response.json() == UNAVAILABLE
        # Health is the registry's: it still answers, its one database figure absent
        # (never 0) with why.
        response = api.get(BASE + "/health")
        assert response.status_code == 200
        blog = response.json()["data"]["blog"]
        assert "scheduledJobs" not in blog
        assert "cannot reach the database (postgresql)" in blog["scheduledJobsError"]
        assert blog["healthy"] is False and response.json()["data"]["healthy"] is False


def test_server_error_is_500_without_a_stack(tmp_path: Path) -> None:
    # A database file that is not SQLite: an error no status but 500 describes.
    (tmp_path / "db.sqlite").write_bytes(b"this is not a database" * 100)
    profile = _profile(tmp_path)
    with serve_on_loopback(profile) as (url, token):
        response = Api(url, token, profile).get(BASE + "/aggregation/logs")
        assert response.status_code == 500
        assert response.json() == {"success": False, "error": "Internal server error"}
        assert "Traceback" not in response.text and "sqlite" not in response.text.lower()
        assert "X-RateLimit-Remaining" in response.headers, "the guard's headers on a 500 too"


def test_read_only_server_refuses_retry(tmp_path: Path) -> None:
    from servers import seeded_profile

    profile = seeded_profile(tmp_path)
    with serve_on_loopback(profile, read_only=True) as (url, token):
        api = Api(url, token, profile)
        response = api.post(f"{BASE}/maintenance/{FAILED_JOBS[0]}/retry")
        assert response.status_code == 403
        assert response.json() == {
            "success": False,
            "error": "Retry is disabled: this backend is read-only",
        }
        assert response.headers["X-Ygmon-Read-Only"] == "true"
        assert api.get(BASE + "/health").headers["X-Ygmon-Read-Only"] == "true"
        job = api.get(f"{BASE}/queues/maintenance/jobs/{FAILED_JOBS[0]}").json()["data"]
        assert job["state"] == "failed"
