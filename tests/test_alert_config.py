"""The profile's `alerts` table: checked when the config is read, every mistake a
one-line error naming the key and the file; defaults filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from ygmon.alert_config import AlertRule, alert_rules
from ygmon.config import load_settings
from ygmon.errors import ConfigError


def _load(tmp_path: Path, body: str):
    path = tmp_path / "ygmon.toml"
    path.write_text(body)
    return path, load_settings(config=str(path))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("failure_rat = []", "unknown key 'profiles.local.alerts.failure_rat' (rules: "),
        (
            'no_worker = [{ qeue = "email" }]',
            "unknown key 'profiles.local.alerts.no_worker[0].qeue' (keys: queue)",
        ),
        (
            'failure_rate = [{ queue = "email" }]',
            "missing key 'profiles.local.alerts.failure_rate[0].above'",
        ),
        (
            "failure_rate = [{ above = 1.5 }]",
            "key 'profiles.local.alerts.failure_rate[0].above' expects a number from 0 to 1",
        ),
        (
            'failure_rate = [{ above = 0.5, window = "2h" }]',
            "expects one of 1h, 24h, 30d, got '2h'",
        ),
        (
            'oldest_waiting = [{ queue = "emails", minutes = 5 }]',
            "key 'profiles.local.alerts.oldest_waiting[0].queue': unknown queue 'emails'",
        ),
        (
            'paused_too_long = [{ minutes = "an hour" }]',
            "expects a number of minutes, at least 0, got 'an hour'",
        ),
        ('no_worker = "email"', "key 'profiles.local.alerts.no_worker' expects a list of tables"),
    ],
)
def test_bad_rules_name_the_key_and_the_file(tmp_path: Path, body: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, f"[profiles.local.alerts]\n{body}\n")
    message = str(info.value)
    assert message.startswith(f"config error in {tmp_path / 'ygmon.toml'}: ")
    assert expected in message and "\n" not in message


def test_rules_get_their_defaults(tmp_path: Path) -> None:
    _path, settings = _load(
        tmp_path,
        "[profiles.local.alerts]\n"
        'failure_rate = { queue = "email", above = 0.25 }\n'
        "paused_too_long = [{ minutes = 30 }]\n",
    )
    assert alert_rules(settings.profile.alerts) == [
        AlertRule("failure_rate", "email", above=0.25, window="1h", min_jobs=10),
        AlertRule("paused_too_long", "*", minutes=30.0),
    ]
