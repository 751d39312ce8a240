"""Strict JSON request bodies, read by every POST handler through `json_body`.

A body is a JSON object or nothing: duplicate keys are refused (Python's json keeps
the last, so `{"dryRun": true, "dryRun": false}` would run the destructive half),
each field must be of its declared JSON type (`null`, `"false"` and `0` are not
booleans), unknown fields are refused, and strings must be text a database stores
(no NUL, no lone surrogates). Every refusal is the contract's 400 naming the field.
Size and nesting are bounded before parsing (ygmon.api.request_limits).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request

from ygmon.api.issues import issue, storable
from ygmon.errors import InvalidQueryError

_JSON_TYPES: dict[type, str] = {
    bool: "boolean",
    int: "integer",
    str: "string",
    dict: "object",
}


@dataclass(frozen=True)
class Field:
    """One body field: its Python type (bool, int, str or dict: a JSON object, its
    values checked by the endpoint) and whether it must be sent."""

    kind: type
    required: bool = False
    max_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None

    @property
    def label(self) -> str:
        return _JSON_TYPES[self.kind]


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key, value in pairs:
        if key in body:
            raise _DuplicateKeyError(key)
        body[key] = value
    return body


def _received(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def _field_issues(name: str, value: Any, field: Field) -> list[dict[str, Any]]:
    same_type = type(value) is field.kind  # bool is an int subclass: compare exactly
    if not same_type:
        received = _received(value)
        return [
            issue(
                name,
                "invalid_type",
                field.label,
                received,
                f"Expected {field.label}, received {received}",
            )
        ]
    if isinstance(value, str):
        if not storable(value):
            return [issue(name, "invalid_string", "text", "string", "Invalid characters")]
        if field.max_length is not None and len(value) > field.max_length:
            return [
                issue(
                    name,
                    "too_big",
                    f"string of at most {field.max_length} characters",
                    f"string of {len(value)} characters",
                    f"String must contain at most {field.max_length} character(s)",
                )
            ]
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = field.minimum, field.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            return [
                issue(
                    name,
                    "too_small" if low is not None and value < low else "too_big",
                    f"{low}..{high}",
                    str(value),
                    f"Number must be between {low} and {high}",
                )
            ]
    return []


def parse_body(raw: bytes, fields: dict[str, Field]) -> dict[str, Any]:
    """The checked fields of `raw` (an empty body is `{}`); InvalidQueryError otherwise."""
    try:
        body = json.loads(raw or b"{}", object_pairs_hook=_no_duplicates)
    except _DuplicateKeyError as exc:
        raise InvalidQueryError(
            [issue(exc.key, "invalid_type", "one value", "duplicate key", "Duplicate key")]
        ) from None
    except ValueError:  # includes UnicodeDecodeError
        raise InvalidQueryError(
            [issue("body", "invalid_type", "object", "string", "Body is not JSON")]
        ) from None
    if not isinstance(body, dict):
        received = _received(body)
        expected = f"Expected object, received {received}"
        raise InvalidQueryError([issue("body", "invalid_type", "object", received, expected)])
    issues = []
    for name, value in body.items():
        field = fields.get(name)
        if field is None:
            issues.append(
                issue(name, "unrecognized_keys", "no such key", "key", f"Unrecognized key '{name}'")
            )
        else:
            issues.extend(_field_issues(name, value, field))
    for name, field in fields.items():
        if field.required and name not in body:
            issues.append(issue(name, "invalid_type", field.label, "undefined", "Required"))
    if issues:
        raise InvalidQueryError(issues)
    return body


async def json_body(request: Request, fields: dict[str, Field] | None = None) -> dict[str, Any]:
    """The request's checked JSON body; a POST without declared fields takes none (an
    empty body or `{}`)."""
    return parse_body(await request.body(), fields or {})


async def no_body(request: Request) -> None:
    """The dependency of a POST that takes no body: nothing (or `{}`), else a 400."""
    await json_body(request)


NO_BODY = [Depends(no_body)]


def body_doc(properties: dict[str, dict[str, Any]], required: list[str]) -> dict[str, Any]:
    """The OpenAPI `requestBody` of a strict JSON object body: these properties and no
    others, `required` of them always sent; the body itself is required when any is."""
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
    if required:
        schema["required"] = required
    schema["properties"] = properties
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}
