"""`ygmon status --json` against a remote profile: queues, workers and health via the API."""

from __future__ import annotations

import pytest
from servers import Api, remote_settings

from ygmon.commands.status import gather
from ygmon.errors import UnauthorizedError, UnavailableError


async def test_remote_status_document(api: Api) -> None:
    doc = await gather(remote_settings(api.base_url, api.token))
    assert doc["kind"] == "remote"
    assert doc["api"] == {"url": api.base_url, "readOnly": False}
    assert doc["health"]["healthy"] is False and "blog" in doc["health"]
    by_name = {q["name"]: q for q in doc["queues"]}
    assert by_name["maintenance"]["failed"] == 2
    assert by_name["notification-delivery"]["waiting"] == 2
    assert doc["workers"] == []


async def test_remote_status_errors_are_ygmon_errors(api: Api) -> None:
    with pytest.raises(UnauthorizedError, match="token"):
        await gather(remote_settings(api.base_url, "bad-token"))
    with pytest.raises(UnavailableError, match="cannot reach"):
        await gather(remote_settings("http://127.0.0.1:1", api.token))
