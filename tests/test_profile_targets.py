"""One `redact` for every place a URL is printed (the CLI, the app's header and profile
picker, the monitor's backend info): a password never shows, whatever the URL's shape."""

from __future__ import annotations

import pytest

from ygmon.profile_targets import redact


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:secret@db/x", "postgresql://u:***@db/x"),
        (
            "postgresql+asyncpg://u:p%40ss@db:5432/x?ssl=require",
            "postgresql+asyncpg://u:***@db:5432/x?ssl=require",
        ),
        ("redis://:secret@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        ("postgresql://u:p@ss@db/x", "postgresql://u:***@db/x"),
        ("sqlite+aiosqlite:///./ygmon.db", "sqlite+aiosqlite:///./ygmon.db"),
        ("sqlite:///:memory:", "sqlite:///:memory:"),
        # Not URLs with a host: whatever stood before an '@' may have been a password.
        ("postgresql:u:secret@db/x", "db/x"),
        ("postgresql://u:secret@[::1/x", "[::1/x"),
    ],
)
def test_no_password_is_shown(url: str, shown: str) -> None:
    assert redact(url) == shown
