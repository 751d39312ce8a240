"""The `alerts` table of a profile: which rules to watch, checked when the config is
read (ygmon.config), so a typo is a one-line error naming the key and the file.

    [profiles.prod.alerts]
    failure_rate = [{ queue = "email", above = 0.2, window = "1h", min_jobs = 10 }]
    oldest_waiting = [{ queue = "*", minutes = 15 }]
    no_worker = [{ queue = "*" }]
    schedule_missed = [{ schedule = "*", minutes = 10 }]
    paused_too_long = [{ queue = "*", minutes = 60 }]

Each kind holds a list of rules; `"*"` applies a rule to every queue (or schedule).
Plain Python, no pydantic: every command reads the config first.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ygmon.errors import ConfigError

WINDOWS = ("1h", "24h", "30d")


class _Field(NamedTuple):
    kind: str
    """'queue', 'schedule', 'fraction', 'minutes', 'count' or 'window'."""
    default: Any = None
    required: bool = False


RULES: dict[str, dict[str, _Field]] = {
    "failure_rate": {
        "queue": _Field("queue", "*"),
        "above": _Field("fraction", required=True),
        "window": _Field("window", "1h"),
        "min_jobs": _Field("count", 10),
    },
    "oldest_waiting": {"queue": _Field("queue", "*"), "minutes": _Field("minutes", required=True)},
    "no_worker": {"queue": _Field("queue", "*")},
    "schedule_missed": {
        "schedule": _Field("schedule", "*"),
        "minutes": _Field("minutes", 0.0),
    },
    "paused_too_long": {
        "queue": _Field("queue", "*"),
        "minutes": _Field("minutes", required=True),
    },
}
"""Every rule kind, its keys and what each accepts."""


class AlertRule(NamedTuple):
    kind: str
    subject: str
    """A queue name, a schedule (task) name, or "*"."""
    above: float = 0.0
    window: str = "1h"
    min_jobs: int = 0
    minutes: float = 0.0


def _fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"config error in {where}: {message}")


def _value(field: _Field, value: Any, loc: str, where: str) -> Any:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if field.kind in ("queue", "schedule"):
        if not isinstance(value, str) or not value:
            raise _fail(where, f"key '{loc}' expects a {field.kind} name, got {value!r}")
        if field.kind == "queue" and value != "*":
            from ygmon.queues import QUEUE_NAMES

            if value not in QUEUE_NAMES:
                raise _fail(
                    where,
                    f"key '{loc}': unknown queue {value!r} (queues: {', '.join(QUEUE_NAMES)})",
                )
        return value
    if field.kind == "fraction":
        if not number or not 0 <= value <= 1:
            raise _fail(where, f"key '{loc}' expects a number from 0 to 1, got {value!r}")
        return float(value)
    if field.kind == "minutes":
        if not number or value < 0:
            raise _fail(
                where, f"key '{loc}' expects a number of minutes, at least 0, got {value!r}"
            )
        return float(value)
    if field.kind == "count":
        if not number or isinstance(value, float) or value < 1:
            raise _fail(where, f"key '{loc}' expects an integer, at least 1, got {value!r}")
        return value
    if value not in WINDOWS:
        raise _fail(where, f"key '{loc}' expects one of {', '.join(WINDOWS)}, got {value!r}")
    return value


def check_alerts(value: Any, loc: str, where: str) -> dict[str, list[dict[str, Any]]]:
    """The `alerts` table as the profile keeps it (rules with defaults filled in), or
    ConfigError naming the first bad key, e.g. `profiles.prod.alerts.no_worker[0].qeue`."""
    if not isinstance(value, dict):
        raise _fail(where, f"key '{loc}' expects a table of alert rules, got {value!r}")
    out: dict[str, list[dict[str, Any]]] = {}
    for kind, rules in value.items():
        fields = RULES.get(kind)
        if fields is None:
            raise _fail(where, f"unknown key '{loc}.{kind}' (rules: {', '.join(RULES)})")
        if isinstance(rules, dict):
            rules = [rules]
        if not isinstance(rules, list):
            raise _fail(where, f"key '{loc}.{kind}' expects a list of tables, got {rules!r}")
        checked = []
        for i, rule in enumerate(rules):
            at = f"{loc}.{kind}[{i}]"
            if not isinstance(rule, dict):
                raise _fail(where, f"key '{at}' expects a table, got {rule!r}")
            for key in rule:
                if key not in fields:
                    raise _fail(where, f"unknown key '{at}.{key}' (keys: {', '.join(fields)})")
            entry = {}
            for key, field in fields.items():
                if key in rule:
                    entry[key] = _value(field, rule[key], f"{at}.{key}", where)
                elif field.required:
                    raise _fail(where, f"missing key '{at}.{key}'")
                else:
                    entry[key] = field.default
            checked.append(entry)
        out[kind] = checked
    return out


def alert_rules(table: dict[str, list[dict[str, Any]]]) -> list[AlertRule]:
    """The checked `alerts` table as rules, in RULES order."""
    rules = []
    for kind in RULES:
        for entry in table.get(kind, ()):
            subject = entry.get("queue", entry.get("schedule", "*"))
            options = {k: v for k, v in entry.items() if k not in ("queue", "schedule")}
            rules.append(AlertRule(kind, subject, **options))
    return rules
