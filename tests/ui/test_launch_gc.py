"""The collector while `ygmon` launches (ygmon.tui.launch_gc): paused by the command,
resumed with the launch's objects frozen once the screen in front has polled, whether
that poll brought data or failed, and resumed too by a command that ends before any
poll. A collector the command did not pause is left as it was."""

from __future__ import annotations

import argparse
import gc
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build_app, local_settings, remote_settings
from pilot_helpers import wait_until

from ygmon.commands import tui
from ygmon.errors import ConfigError
from ygmon.tui import launch_gc
from ygmon.tui.ui_config import UiConfig


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    yield
    gc.enable()
    gc.unfreeze()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_first_poll_with_data_resumes_collection_with_the_launch_frozen(
    shared_profile,
) -> None:
    launch_gc.pause()
    assert not gc.isenabled()
    app = build_app(local_settings(shared_profile), UiConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.screen.polls > 0)
        assert not app.screen.has_class("-stale")
        assert gc.isenabled()
        assert gc.get_freeze_count() > 10_000  # the launch's modules, classes, widgets


async def test_a_failed_first_poll_resumes_collection_too() -> None:
    launch_gc.pause()
    settings = remote_settings(f"http://127.0.0.1:{_closed_port()}", "token")
    app = build_app(settings, UiConfig())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.screen.polls > 0)
        assert app.screen.has_class("-stale")
        assert gc.isenabled()


def test_a_command_that_ends_before_any_poll_resumes_collection(tmp_path: Path) -> None:
    config = tmp_path / "ygmon.toml"
    config.write_text('[profiles.local]\ndatabse_url = "sqlite+aiosqlite:///x.db"\n')
    args = argparse.Namespace(config=str(config), profile="local")
    with pytest.raises(ConfigError, match="databse_url"):
        tui.run(args)
    assert gc.isenabled()


def test_a_collector_it_did_not_pause_is_left_alone() -> None:
    gc.disable()
    launch_gc.pause()
    launch_gc.resume()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
