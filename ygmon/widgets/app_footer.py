"""The key bar at the foot of every screen: the screen's shown keys, as Textual's Footer
shows them in its compact style, with the help key held at the right end.

It is one widget that draws its keys itself (as QueueBoard draws its lines): Textual's
Footer mounts a widget per key, per group and per group label (eighteen on the
Overview), each styled, laid out and rendered before the first paint, and rebuilds
them all when the keys change; here a change is one repaint. The parts' styles are
component classes in app.tcss, the rules of Footer, FooterKey and ygmon's compact
spacing taken over one for one.

A click on a key presses it, the key under the mouse is highlighted and its tooltip
shown, as FooterKey does.
"""

from __future__ import annotations

from itertools import groupby
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from ygmon.widgets.part_styles import Layers

HELP_ACTION = "help"


class ShownKey(NamedTuple):
    """One key as the bar shows it."""

    key: str
    """What a click presses."""
    display: str
    description: str
    """Empty for a key drawn in its group (the group's label says what they do)."""
    enabled: bool
    tooltip: str | None
    help: bool


class ShownGroup(NamedTuple):
    """Keys of one Binding.Group, side by side before the group's label."""

    label: str
    keys: tuple[ShownKey, ...]


class KeySpan(NamedTuple):
    """The columns of a key, for the mouse."""

    start: int
    end: int
    key: ShownKey


def _footer_key(
    binding: Binding, display: str, enabled: bool, tooltip: str, grouped: bool
) -> ShownKey:
    return ShownKey(
        binding.key,
        display,
        "" if grouped else binding.description,
        enabled,
        # A grouped key shows no description: its tooltip says it, as Footer's does.
        (tooltip or binding.description) if grouped else (tooltip or None),
        binding.action == HELP_ACTION,
    )


class AppFooter(Widget, can_focus=False):
    """Footer redrew the keys for every binding change it heard of, and a screen's start
    alone sends four: the keys are read once, after the refresh, however many queued
    up, and a change that shows the same keys draws nothing.

    The help key is drawn last at the right end: at 80 columns a screen's keys and the
    app's run past the edge, and the key that lists them all must stay."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "app-footer--item",
        "app-footer--item-hover",
        "app-footer--help",
        "app-footer--help-hover",
        "app-footer--disabled",
        "app-footer--key",
        "app-footer--description",
        "app-footer--label",
    }

    _keys: tuple[ShownKey | ShownGroup, ...] = ()
    _update_queued = False
    _spans: tuple[KeySpan, ...] = ()
    """Where the last render drew each key."""
    _hover: ShownKey | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        # Footer's conditions: an app without focus keeps its keys (its screen sends
        # them again when it gets it back).
        if self._update_queued or not screen.app.app_focus or screen is not self.screen:
            return
        self._update_queued = True
        self.call_after_refresh(self._update_keys)

    def _update_keys(self) -> None:
        self._update_queued = False
        if not self.is_attached:
            return
        keys = self._read_keys()
        if keys != self._keys:
            self._keys = keys
            self.refresh()

    def _read_keys(self) -> tuple[ShownKey | ShownGroup, ...]:
        """The screen's shown keys, the first of each action, in Footer's order."""
        first: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))
        keys: list[ShownKey | ShownGroup] = []
        display = self.app.get_key_display
        for group, run in groupby(first.values(), lambda shown: shown[0].group):
            shown = list(run)
            if group is not None and len(shown) > 1:
                grouped = (_footer_key(b, display(b), e, t, grouped=True) for b, e, t in shown)
                keys.append(ShownGroup(group.description, tuple(grouped)))
            else:
                keys.extend(_footer_key(b, display(b), e, t, grouped=False) for b, e, t in shown)
        return tuple(keys)

    @property
    def spans(self) -> tuple[KeySpan, ...]:
        """Where the last render drew each key, left to right."""
        return self._spans

    def render(self) -> Text:
        layers = Layers(self, "app-footer--")
        right = Text(end="")
        right_spans: list[KeySpan] = []
        for item in self._keys:
            if isinstance(item, ShownKey) and item.help:
                self._draw_key(right, item, layers, right_spans, padded=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[KeySpan] = []
        # Each part is followed by a column of the bar: the compact style's margin.
        for item in self._keys:
            if isinstance(item, ShownGroup):
                for key in item.keys:
                    self._draw_key(line, key, layers, spans)
                    line.append(" ")
                line.append(item.label, layers.style("label"))
                line.append(" ")
            elif not item.help:
                self._draw_key(line, item, layers, spans)
                line.append(" ")
        # The help key covers what runs under it, as the docked widget it was did.
        room = max(0, self.size.width - right.cell_len)
        line.truncate(room, overflow="crop", pad=True)
        self._spans = (
            *(s._replace(end=min(s.end, room)) for s in spans if s.start < room),
            *(s._replace(start=s.start + room, end=s.end + room) for s in right_spans),
        )
        line.append_text(right)
        return line

    @property
    def keys(self) -> list[ShownKey]:
        """Every key shown, grouped or not, in order (some past the edge)."""
        return [
            key
            for item in self._keys
            for key in (item.keys if isinstance(item, ShownGroup) else (item,))
        ]

    def _draw_key(
        self,
        line: Text,
        key: ShownKey,
        layers: Layers,
        spans: list[KeySpan],
        padded: bool = False,
    ) -> None:
        item = "help" if key.help else "item"
        under = (f"{item}-hover" if key == self._hover else item,)
        if not key.enabled:
            under += ("disabled",)
        start = line.cell_len
        if padded:
            line.append(" ", layers.style(*under))
        line.append(key.display, layers.style(*under, "key"))
        if key.description:
            line.append(f" {key.description}", layers.style(*under, "description"))
        if padded:
            line.append(" ", layers.style(*under))
        spans.append(KeySpan(start, line.cell_len, key))

    def _key_at(self, x: int) -> ShownKey | None:
        return next((s.key for s in self._spans if s.start <= x < s.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_key(self._key_at(event.x))

    def on_leave(self) -> None:
        self._hover_key(None)

    def _hover_key(self, key: ShownKey | None) -> None:
        if key == self._hover:
            return
        self._hover = key
        self.tooltip = key.tooltip if key else None
        self.styles.pointer = "default" if key is None else "pointer"
        self.screen.update_pointer_shape()
        self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
