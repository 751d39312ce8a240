"""The answer of a replay: a finished job run again as a new job of the same task,
with its keyword arguments as given (edited) or as they were."""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from ygmon.monitor.schemas import CamelModel


class ReplayResult(CamelModel):
    """A replay's (or its dry run's) answer: the new job's id (None on a dry run), the
    job it replays, and the arguments it runs with beside the old ones."""

    job_id: str | None = None
    replay_of: str
    queue: str
    task: str
    kwargs: dict[str, Any] = Field(default_factory=dict)
    old_kwargs: dict[str, Any] = Field(default_factory=dict)
    dry_run: bool = False

    def diff(self) -> list[str]:
        """The change of arguments as a unified diff of their JSON (empty: unchanged)."""
        import difflib

        def lines(kwargs: dict[str, Any]) -> list[str]:
            return json.dumps(kwargs, indent=2, sort_keys=True, ensure_ascii=False).splitlines()

        return list(
            difflib.unified_diff(
                lines(self.old_kwargs),
                lines(self.kwargs),
                f"job {self.replay_of}",
                "replay",
                lineterm="",
            )
        )


def issue_lines(details: Any) -> list[str]:
    """An InvalidQueryError's issues as lines a person reads: `seconds: Expected
    number, received string` (the `kwargs` head of each path left out)."""
    out = []
    for issue in details if isinstance(details, list) else []:
        path = [str(p) for p in issue.get("path", [])]
        if path[:1] == ["kwargs"] and len(path) > 1:
            path = path[1:]
        out.append(f"{'.'.join(path) or 'arguments'}: {issue.get('message', 'invalid')}")
    return out


def parse_edited(text: str) -> Any:
    """The edited JSON text's value; InvalidQueryError (path `kwargs`) when it is not
    JSON. Its shape is checked by the task's declared arguments."""
    from ygmon.errors import InvalidQueryError

    try:
        return json.loads(text)
    except ValueError as exc:
        message = f"Not JSON: {exc}"
        raise InvalidQueryError(
            [
                {
                    "code": "invalid_type",
                    "expected": "object",
                    "received": "text",
                    "path": ["kwargs"],
                    "message": message,
                }
            ]
        ) from None
