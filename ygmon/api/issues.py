"""The contract's validation issues (zod's shape), and which text a database stores.

Every issue carries code, expected, received, path and message; the query string, the
path and the body all report them the same way, in the 400 "Invalid query parameters".
"""

from __future__ import annotations

from typing import Any


def issue(name: str, code: str, expected: str, received: str, message: str) -> dict[str, Any]:
    return {
        "code": code,
        "expected": expected,
        "received": received,
        "path": [name],
        "message": message,
    }


def storable(text: str) -> bool:
    """False for text Postgres refuses in a text column: a NUL, or a lone surrogate
    (not UTF-8). SQLite takes both, so a request that passes on one backend would
    fail with a 500 on the other; both refuse it at the edge instead."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unstorable_input(path: str, query: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """An issue for the path and each query parameter holding text no database stores."""
    found = []
    if not storable(path):
        found.append(issue("path", "invalid_string", "text", "string", "Invalid characters"))
    for name, value in query:
        if not (storable(name) and storable(value)):
            label = name if storable(name) else "query"
            found.append(issue(label, "invalid_string", "text", "string", "Invalid characters"))
    return found
