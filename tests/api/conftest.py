"""A seeded profile served by a real `ygmon serve` on loopback, for the API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from servers import Api, fixed_clock, seeded_profile, serve_on_loopback

from ygmon.config import LocalProfile


@pytest.fixture(scope="module")
def api_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    return seeded_profile(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def api(api_profile: LocalProfile) -> Iterator[Api]:
    # A high limit here: the 429 tests run their own server with the real one.
    with serve_on_loopback(api_profile, clock=fixed_clock, per_minute=100_000) as (url, token):
        yield Api(url, token, api_profile)
