"""Response envelopes and the OpenAPI pieces shared by every route.

Handlers send JSON they serialised themselves (the monitor models' to_json); these
models exist so the OpenAPI document says exactly what goes over the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from ygmon.monitor.schemas import Pagination, WorkerHealth

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    success: bool
    data: T


class HealthData(BaseModel):
    """GET /health's `data` as it goes over the wire: `healthy` beside one object per
    worker group (AllWorkersHealth flattens its groups into it)."""

    model_config = ConfigDict(extra="allow")
    healthy: bool
    __pydantic_extra__: dict[str, WorkerHealth]


class PageEnvelope(BaseModel, Generic[T]):
    success: bool
    data: list[T]
    pagination: Pagination


class ErrorBody(BaseModel):
    success: bool
    error: str
    details: list[dict[str, Any]] | None = None


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERRORS: dict[int | str, dict[str, Any]] = {
    401: _error("Unauthorized: no, malformed, expired or wrongly signed token"),
    403: _error("Forbidden: Admin access required"),
    429: _error("Too many requests. Please try again later."),
    500: _error("Internal server error"),
    503: _error("The broker or the database cannot be reached"),
}
QUERY_ERRORS = {**ERRORS, 400: _error("Invalid query parameters")}
NOT_FOUND = {**QUERY_ERRORS, 404: _error("Not found")}

EXTENSION = {"x-ygmon-extension": True}
"""Marks an endpoint the contract does not list (the TUI needs it)."""
PREFIX = "/api/admin/jobs"


def extension(*params: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The openapi_extra of an extension endpoint: the mark, its query parameters, and
    any other OpenAPI keys (`requestBody`)."""
    return {**EXTENSION, **({"parameters": list(params)} if params else {}), **extra}


def extension_router() -> APIRouter:
    return APIRouter(prefix=PREFIX, tags=["extension"])


def extension_get(
    router: APIRouter,
    path: str,
    model: Any,
    responses: dict[int | str, dict[str, Any]],
    *params: dict[str, Any],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`router.get` of an extension endpoint: the response model, the error responses
    and the query parameters it documents."""
    return router.get(
        path, responses=responses, response_model=model, openapi_extra=extension(*params)
    )


def query_param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


PAGE = query_param(
    "page", {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1}, "Page"
)
PAGE_SIZE = query_param(
    "pageSize", {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}, "Items per page"
)
PAGING = (PAGE, PAGE_SIZE)
"""The query parameters of every paginated listing."""
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100
