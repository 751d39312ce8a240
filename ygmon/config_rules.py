"""The typed rules a profile's settings are checked by (ygmon.config declares them):
each setting's TOML type and bounds, and the one-line ConfigError that names the key
and the file when a value does not fit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from ygmon.errors import ConfigError
from ygmon.profile_keys import COLOUR_WORDS, valid_colour


class Rule(NamedTuple):
    """What one setting accepts: a TOML type, optionally bounded."""

    kind: Literal[
        "str", "optional_str", "int", "float", "bool", "counts", "kind", "colour", "table", "list"
    ]
    above: float | None = None
    """Exclusive lower bound."""
    at_least: float | None = None
    at_most: float | None = None
    check: Callable[[Any, str, str], Any] | None = None
    """For kinds 'table' and 'list': (value, key, file) -> the value kept, or ConfigError."""

    def bound_words(self) -> str:
        words = []
        if self.above is not None:
            words.append(f"greater than {self.above:g}")
        if self.at_least is not None:
            words.append(f"at least {self.at_least:g}")
        if self.at_most is not None:
            words.append(f"at most {self.at_most:g}")
        return " and ".join(words)

    def within(self, value: float) -> bool:
        return (
            (self.above is None or value > self.above)
            and (self.at_least is None or value >= self.at_least)
            and (self.at_most is None or value <= self.at_most)
        )


WORDS = {
    "str": "a string",
    "optional_str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean (true or false)",
    "counts": "a table of queue names to integers",
    "colour": COLOUR_WORDS,
}


class Setting:
    """A profile class attribute declaring a setting's default and rule."""

    __slots__ = ("default", "rule")

    def __init__(self, default: Any, rule: Rule) -> None:
        self.default = default
        self.rule = rule


REQUIRED = object()


def setting(default: Any = REQUIRED, rule: Rule | None = None) -> Any:
    # Typed Any so a checker reads `name: str = setting(...)` as the annotation says.
    return Setting(default, rule or Rule("str"))


def fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"config error in {where}: {message}")


def checked(rule: Rule, value: Any, loc: str, where: str) -> Any:
    """The value as the profile stores it, or ConfigError naming `loc`."""
    kind = rule.kind
    if rule.check is not None:
        return rule.check(value, loc, where)
    if kind == "counts":
        if not isinstance(value, dict):
            raise fail(where, f"key '{loc}' expects {WORDS[kind]}, got {value!r}")
        inner = Rule("int", at_least=1)
        return {k: checked(inner, v, f"{loc}.{k}", where) for k, v in value.items()}
    if kind in ("optional_str", "colour") and value is None:
        return None
    if kind == "colour" and not valid_colour(value):
        raise fail(where, f"key '{loc}' expects {WORDS[kind]}, got {value!r}")
    ok = {
        "str": isinstance(value, str),
        "optional_str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, int | float) and not isinstance(value, bool),
    }.get(kind, True)
    if not ok:
        raise fail(where, f"key '{loc}' expects {WORDS[kind]}, got {value!r}")
    if kind == "float":
        value = float(value)
    if kind in ("int", "float") and not rule.within(value):
        raise fail(where, f"key '{loc}' expects {WORDS[kind]} {rule.bound_words()}, got {value!r}")
    return value
