"""A seeded `ygmon serve` on loopback for the security tests (the API tests' fixture)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers import Api, fixed_clock, seeded_profile, serve_on_loopback

from ygmon.config import LocalProfile


@pytest.fixture(scope="module")
def api_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    return seeded_profile(tmp_path_factory.mktemp("security"))


@pytest.fixture(scope="module")
def api(api_profile: LocalProfile) -> Iterator[Api]:
    with serve_on_loopback(api_profile, clock=fixed_clock, per_minute=100_000) as (url, token):
        yield Api(url, token, api_profile)
