"""The key bar: Textual's Footer, rebuilt once however many binding changes queue up,
with the help key held at its right end."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"


class AppFooter(Footer):
    """Footer queues a full recompose (a dozen keys torn down and mounted again) for
    every binding change it hears of, and a screen's start alone sends four: three of
    them landed on the first data paint and cost it about 150 ms. The recompose reads
    the bindings when it runs, so one queued at a time shows the latest of them all.

    The help key is docked at the right (class -help): at 80 columns a screen's keys
    and the app's run past the edge, and the key that lists them all must stay."""

    _recompose_queued = False
    _shown: tuple[object, ...] | None = None
    """The keys as last composed: a recompose that would show the same is skipped."""

    def _keys(self) -> tuple[object, ...]:
        shown = []
        for _, b, enabled, tooltip in self.screen.active_bindings.values():
            if b.show:
                group = getattr(b, "group", None)  # a Binding field of newer Textuals
                shown.append(
                    (b.key, b.key_display, b.description, b.action, group, enabled, tooltip)
                )
        return tuple(shown)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action == HELP_ACTION:
                widget.add_class("-help")
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        if self._recompose_queued:
            return
        super().bindings_changed(screen)
        # The conditions under which Footer.bindings_changed queued a recompose.
        self._recompose_queued = screen.app.app_focus and self.is_attached and screen is self.screen

    async def recompose(self) -> None:
        self._recompose_queued = False
        # A switch back to a screen sends its bindings again, unchanged: tearing down
        # and mounting its keys was a good part of the switch's time.
        if self._shown is not None and self.is_attached and self._keys() == self._shown:
            return
        await super().recompose()
