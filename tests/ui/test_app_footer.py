"""AppFooter: one recompose for a burst of binding changes, the next change still
recomposes, and a change that shows the same keys recomposes nothing."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ygmon.widgets.app_footer import AppFooter


class FooterApp(App):
    BINDINGS = [Binding("x", "noop", "Ex")]
    ex_enabled = True

    def compose(self) -> ComposeResult:
        yield AppFooter()

    def action_noop(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: shown, disabled (False would hide it).
        return (True if self.ex_enabled else None) if action == "noop" else True


def _count_recomposes(monkeypatch: pytest.MonkeyPatch) -> list[Footer]:
    calls: list[Footer] = []
    recompose = Footer.recompose

    async def counted(self: Footer) -> None:
        calls.append(self)
        await recompose(self)

    monkeypatch.setattr(Footer, "recompose", counted)
    return calls


def _ex_disabled(app: App) -> bool:
    (key,) = [k for k in app.query_one(AppFooter).query(FooterKey) if k.description == "Ex"]
    return key.has_class("-disabled")  # how FooterKey marks a disabled key


async def test_a_burst_of_binding_changes_recomposes_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        calls = _count_recomposes(monkeypatch)
        app.ex_enabled = False
        for _ in range(4):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(calls) == 1
        assert _ex_disabled(app)

        # A change after that recompose ran queues the next one: the footer never sticks.
        app.ex_enabled = True
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(calls) == 2
        assert not _ex_disabled(app)


async def test_bindings_sent_again_unchanged_rebuild_no_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What a switch back to a screen does: its bindings come again, the same.
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        before = list(app.query_one(AppFooter).query(FooterKey))
        calls = _count_recomposes(monkeypatch)
        for _ in range(3):
            app.screen.refresh_bindings()
            await pilot.pause()
        assert calls == []
        assert list(app.query_one(AppFooter).query(FooterKey)) == before
        assert {key.description for key in before} >= {"Ex"}
