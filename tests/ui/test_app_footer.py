"""AppFooter: one recompose for a burst of binding changes, and the next change still
recomposes."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ygmon.widgets.app_footer import AppFooter


class FooterApp(App):
    BINDINGS = [Binding("x", "noop", "Ex")]

    def compose(self) -> ComposeResult:
        yield AppFooter()

    def action_noop(self) -> None:
        pass


async def test_a_burst_of_binding_changes_recomposes_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        calls = []
        recompose = Footer.recompose

        async def counted(self: Footer) -> None:
            calls.append(self)
            await recompose(self)

        monkeypatch.setattr(Footer, "recompose", counted)
        for _ in range(4):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(calls) == 1

        # A change after that recompose ran queues the next one: the footer never sticks.
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(calls) == 2
        keys = {key.description for key in app.query_one(AppFooter).query(FooterKey)}
        assert "Ex" in keys
