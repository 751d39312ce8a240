"""AppFooter, the key bar drawn by one widget: a burst of binding changes reads the keys
and draws them once, the next change still draws, a change that shows the same keys
draws nothing; a disabled key is dim; a click presses the key under it, the mouse
highlights a key and shows its tooltip; the help key holds the right end."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import wait_until
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Label, Tooltip

import ygmon
from ygmon.widgets.app_footer import AppFooter, KeySpan

GROUP = Binding.Group("Group", compact=True)
MANY = "abcdefghijk"
"""Keys enough to run past 80 columns."""


class FooterApp(App):
    CSS_PATH = str(Path(ygmon.__file__).with_name("app.tcss"))
    BINDINGS = [
        Binding("x", "noop", "Ex", tooltip="Does nothing"),
        Binding("1", "pick(1)", "One", group=GROUP),
        Binding("2", "pick(2)", "Two", group=GROUP),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]
    ex_enabled = True
    many = False

    def __init__(self) -> None:
        super().__init__()
        self.ran: list[str] = []

    def compose(self) -> ComposeResult:
        yield Label("body")
        yield AppFooter()

    def on_mount(self) -> None:
        if self.many:
            for key in MANY:
                self.bind(key, f"pick('{key}')", description=f"Key {key} words")

    def action_noop(self) -> None:
        self.ran.append("noop")

    def action_pick(self, which: object) -> None:
        self.ran.append(f"pick {which}")

    def action_help(self) -> None:
        self.ran.append("help")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: shown, disabled (False would hide it).
        return (True if self.ex_enabled else None) if action == "noop" else True


def _counted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[AppFooter]:
    calls: list[AppFooter] = []
    method = getattr(AppFooter, name)

    def counted(self: AppFooter):
        calls.append(self)
        return method(self)

    monkeypatch.setattr(AppFooter, name, counted)
    return calls


def _span(app: App, display: str) -> KeySpan:
    (span,) = [s for s in app.query_one(AppFooter).spans if s.key.display == display]
    return span


def _style_at(app: App, x: int):
    footer = app.query_one(AppFooter)
    return footer.render().get_style_at_offset(app.console, x)


async def test_a_burst_of_binding_changes_draws_once(monkeypatch: pytest.MonkeyPatch) -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not _style_at(app, _span(app, "x").start).dim
        reads = _counted(monkeypatch, "_read_keys")
        renders = _counted(monkeypatch, "render")
        app.ex_enabled = False
        for _ in range(4):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert (len(reads), len(renders)) == (1, 1)
        # Drawn disabled as FooterKey's -disabled drew it.
        ex = _span(app, "x")
        assert not ex.key.enabled and _style_at(app, ex.start).dim

        # A change after that draw queues the next one: the footer never sticks.
        app.ex_enabled = True
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(reads) == 2
        assert _span(app, "x").key.enabled


async def test_bindings_sent_again_unchanged_draw_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What a switch back to a screen does: its bindings come again, the same.
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        renders = _counted(monkeypatch, "render")
        for _ in range(3):
            app.screen.refresh_bindings()
            await pilot.pause()
        assert renders == []
        assert [k.description for k in app.query_one(AppFooter).keys] == ["Ex", "", "", "Help"]


async def test_a_click_on_a_key_presses_it() -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        for display, ran in (("x", "noop"), ("2", "pick 2"), ("?", "help")):
            span = _span(app, display)
            # The key's last column: a description's columns are the key's too.
            await pilot.click(AppFooter, offset=(span.end - 1, 0))
            await pilot.pause()
            assert app.ran[-1:] == [ran], display
        # The column between two keys is the bar's: nothing to press.
        app.ran.clear()
        await pilot.click(AppFooter, offset=(_span(app, "x").end, 0))
        await pilot.pause()
        assert app.ran == []
        # A disabled key rings the bell rather than running.
        app.ex_enabled = False
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        await pilot.click(AppFooter, offset=(_span(app, "x").start, 0))
        await pilot.pause()
        assert app.ran == []


@pytest.mark.parametrize("width", [80, 200])
async def test_the_help_key_holds_the_right_end(width: int) -> None:
    app = FooterApp()
    app.many = True
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        footer = app.query_one(AppFooter)
        help_span = footer.spans[-1]
        assert help_span.key.help and help_span.end == width
        line = footer.render().plain
        assert line[help_span.start :] == " ? Help "
        # The keys before it are cut where it starts, the last of them part drawn.
        assert all(s.end <= help_span.start for s in footer.spans[:-1])
        last = footer.spans[-2]
        drawn = line[last.start : last.end]
        if width == 80:
            assert len(footer.spans) - 1 < len(footer.keys) - 1  # some past the edge
            assert drawn != f"{last.key.display} {last.key.description}", drawn
        else:  # every key drawn whole, the bar's background up to the help key
            assert len(footer.spans) == len(footer.keys)
            assert drawn == f"{last.key.display} {last.key.description}", drawn
            assert line[last.end : help_span.start].isspace()


async def test_hovering_a_key_highlights_it_and_shows_its_tooltip() -> None:
    app = FooterApp()
    async with app.run_test(tooltips=True) as pilot:
        await pilot.pause()
        ex = _span(app, "x")
        plain = _style_at(app, ex.start).bgcolor
        await pilot.hover(AppFooter, offset=(ex.start + 1, 0))
        footer = app.query_one(AppFooter)
        assert footer.tooltip == "Does nothing"
        tooltip = app.screen.query_one(Tooltip)
        # Shown after the app's tooltip delay: waited for, not slept (a busy machine).
        await wait_until(pilot, lambda: tooltip.display)
        assert "Does nothing" in str(tooltip.render())
        assert _style_at(app, ex.start).bgcolor != plain
        assert _style_at(app, _span(app, "1").start).bgcolor == plain

        # A grouped key's tooltip is its description, which the bar does not show.
        await pilot.hover(AppFooter, offset=(_span(app, "1").start, 0))
        await pilot.pause()
        assert footer.tooltip == "One"
        assert _style_at(app, ex.start).bgcolor == plain

        # Off the keys: no tooltip, nothing highlighted.
        await pilot.hover(AppFooter, offset=(_span(app, "2").end + 8, 0))
        await pilot.pause()
        assert footer.tooltip is None
        assert _style_at(app, _span(app, "1").start).bgcolor == plain
