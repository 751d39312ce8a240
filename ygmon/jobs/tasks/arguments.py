"""A task's declared keyword arguments, and the check of a replay's edited ones against
them: an unknown key, a missing required one or a value of the wrong JSON type is an
issue in the contract's shape (zod's: code, expected, received, path, message), path
`["kwargs", name, ...]`.

A task declares its arguments by its function's signature and type hints (or, for a
function taking **kwargs, by TaskSpec.params). The check is strict: JSON "5" is not an
int and 1 is not a bool; an integer is a number.
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ygmon.jobs.tasks.spec import TaskSpec


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def declared(spec: TaskSpec) -> dict[str, tuple[Any, Any]]:
    """{name: (type hint, default or ...)} of the task's keyword arguments."""
    fn = spec.params or spec.func
    hints = typing.get_type_hints(getattr(fn, "func", fn))
    out: dict[str, tuple[Any, Any]] = {}
    for name, p in inspect.signature(fn).parameters.items():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.POSITIONAL_ONLY):
            continue
        out[name] = (hints.get(name, Any), ... if p.default is p.empty else p.default)
    return out


@functools.cache
def _model(spec: TaskSpec) -> type[BaseModel]:
    from pydantic import ConfigDict, create_model

    config = ConfigDict(extra="forbid", strict=True)
    return create_model(
        f"Arguments_{spec.name.replace('-', '_')}", __config__=config, **declared(spec)
    )  # type: ignore[call-overload]


_JSON_NAMES = {
    "float": "number",
    "int": "integer",
    "bool": "boolean",
    "str": "string",
    "None": "null",
    "NoneType": "null",
    "list": "array",
    "dict": "object",
    "Any": "any",
}


def _expected(spec: TaskSpec, name: str) -> str:
    """The declared type in JSON's words: `list[string] | null`."""
    hint = declared(spec).get(name, (Any, ...))[0]
    text = hint.__name__ if isinstance(hint, type) else str(hint).replace("typing.", "")
    return re.sub(r"[A-Za-z_]+", lambda m: _JSON_NAMES.get(m.group(0), m.group(0)), text)


def check_arguments(spec: TaskSpec, kwargs: Any) -> list[dict[str, Any]]:
    """The issues of `kwargs` as the arguments of `spec`'s task (none: it may be sent)."""
    from pydantic import ValidationError

    if not isinstance(kwargs, dict):
        got = json_type(kwargs)
        return [
            _issue(["kwargs"], "invalid_type", "object", got, f"Expected object, received {got}")
        ]
    try:
        _model(spec).model_validate(kwargs)
    except ValidationError as exc:
        return [_issue_of(spec, kwargs, error) for error in exc.errors()]
    return []


def _issue_of(spec: TaskSpec, kwargs: dict[str, Any], error: Any) -> dict[str, Any]:
    loc = [str(part) for part in error["loc"]]
    path = ["kwargs", *loc]
    name = loc[0] if loc else ""
    if error["type"] == "extra_forbidden":
        return _issue(path, "unrecognized_keys", "no such key", "key", f"Unrecognized key '{name}'")
    expected = _expected(spec, name)
    if error["type"] == "missing":
        return _issue(path, "invalid_type", expected, "undefined", "Required")
    got = json_type(error.get("input"))
    message = f"Expected {expected}, received {got}"
    if len(loc) > 1:
        message = f"{error['msg']} (of {expected})"
    return _issue(path, "invalid_type", expected, got, message)


def _issue(
    path: list[str], code: str, expected: str, received: str, message: str
) -> dict[str, Any]:
    return {
        "code": code,
        "expected": expected,
        "received": received,
        "path": path,
        "message": message,
    }
