"""Every route the app serves, enumerated from the app itself so that a route added
later cannot escape: under /api/admin/jobs the anonymous get 401 and non-admins 403
before any handler runs; outside it, only the routes listed here exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from servers import TEST_SECRET, Api
from starlette.routing import Mount

from ygmon.api.app import create_app
from ygmon.api.auth import issue_token
from ygmon.api.guard import PREFIX

# Public on purpose: the API's own description. Anything else outside PREFIX must be
# added here with the test that shows how it refuses strangers (/media: signed URLs).
PUBLIC = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
SAMPLE = {"queueName": "maintenance", "jobId": "ok-1"}


def _flatten(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(full path, route) of every route, through included routers and mounts."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:  # FastAPI's wrapper of an include_router()
            context = getattr(route, "include_context", None)
            yield from _flatten(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, Mount) and route.routes:
            yield from _flatten(route.routes, prefix + route.path)
        else:
            yield prefix + getattr(route, "path", ""), route


def _all_routes(api: Api) -> list[tuple[str, Any]]:
    return list(_flatten(create_app(api.profile).routes))


def _routes(api: Api) -> list[tuple[str, str]]:
    found = []
    for path, route in _all_routes(api):
        methods = sorted(getattr(route, "methods", None) or {"GET"})
        for method in methods:
            if method != "HEAD":
                found.append((method, path))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: SAMPLE.get(m.group(1), "x"), path)


def test_the_app_has_admin_routes_to_check(api: Api) -> None:
    admin = [p for _, p in _routes(api) if p.startswith(PREFIX)]
    # The contract's five endpoints at the least: an empty list would pass the rest.
    assert len(admin) >= 5


def test_nothing_outside_the_prefix_but_the_listed_public_routes(api: Api) -> None:
    outside = {path for path, _ in _all_routes(api) if not path.startswith(PREFIX + "/")}
    mounted_media = {p for p in outside if p.startswith("/media")}
    assert outside - PUBLIC - mounted_media == set()


def test_every_admin_route_refuses_the_anonymous_and_non_admins(api: Api) -> None:
    viewer = issue_token(TEST_SECRET, "VIEWER", "viewer-1", 60)
    creator = issue_token(TEST_SECRET, "CREATOR", "creator-1", 60)
    checked = 0
    for method, path in _routes(api):
        if not path.startswith(PREFIX):
            continue
        url = _concrete(path)
        anonymous = api.request(method, url, token=None)
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        assert anonymous.json() == {"success": False, "error": "Unauthorized"}
        for token in (viewer, creator):
            refused = api.request(method, url, token=token)
            assert refused.status_code == 403, (method, path, refused.text)
            assert refused.json() == {"success": False, "error": "Forbidden: Admin access required"}
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    "path",
    [
        "/api/admin/jobs/../jobs/health",
        "/api/admin/jobs/%2e%2e/jobs/health",
        "/api//admin/jobs/health",
        "/API/admin/jobs/health",
        "/api/admin/jobs/health/",
        "/api/admin/jobs;/health",
    ],
)
def test_path_tricks_never_reach_a_handler_unauthenticated(api: Api, path: str) -> None:
    response = api.get(path, token=None)
    assert response.status_code in (401, 404), response.text
    assert "healthy" not in response.text


def test_route_objects_are_api_routes(api: Api) -> None:
    # Every admin route is a FastAPI APIRoute (documented in OpenAPI), not a raw mount
    # that would bypass the response models.
    for path, route in _all_routes(api):
        if path.startswith(PREFIX):
            assert isinstance(route, APIRoute), route
