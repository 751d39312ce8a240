"""A seeded `ygmon serve` on loopback for the security tests (the API tests' fixture)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from servers import Api, fixed_clock, postgres_database, seeded_profile, serve_on_loopback

from ygmon.config import LocalProfile


@pytest.fixture(scope="module")
def api_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    return seeded_profile(tmp_path_factory.mktemp("security"))


@pytest.fixture(scope="module")
def api(api_profile: LocalProfile) -> Iterator[Api]:
    with serve_on_loopback(api_profile, clock=fixed_clock, per_minute=100_000) as (url, token):
        yield Api(url, token, api_profile)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def backend_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """A seeded `ygmon serve` on loopback over SQLite, then over Postgres."""
    directory = tmp_path_factory.mktemp(f"backend-{request.param}")
    if request.param == "sqlite":
        profile = seeded_profile(directory)
        with serve_on_loopback(profile, clock=fixed_clock, per_minute=100_000) as (url, token):
            yield Api(url, token, profile)
        return
    base = os.environ.get("YGMON_TEST_POSTGRES_URL")
    if not base:  # as tests/conftest.py's need_service (a conftest cannot import another)
        if os.environ.get("YGMON_REQUIRE_SERVICES") == "1":
            pytest.fail("PostgreSQL not configured (YGMON_REQUIRE_SERVICES=1 forbids skipping)")
        pytest.skip("PostgreSQL not configured: set YGMON_TEST_POSTGRES_URL")
    with postgres_database(base) as db_url:
        profile = seeded_profile(directory, database_url=db_url)
        with serve_on_loopback(profile, clock=fixed_clock, per_minute=100_000) as (url, token):
            yield Api(url, token, profile)
