"""The Rich styles of parts a widget draws itself, computed as Textual would compute them
for a child widget: the key bar's keys (ygmon.widgets.app_footer) and the Overview's
lines (ygmon.widgets.queue_board) were widgets once, and drawing them in one widget
must not change a cell.

A component class's styles alone (Widget.get_component_rich_style) miss what a child
widget inherits: an `auto` colour such as `$text` is a contrast of the background
under it, which only the walk down the ancestors knows.
"""

from __future__ import annotations

from rich.style import Style
from textual.color import Color
from textual.css.styles import StylesBase
from textual.widget import Widget

Folded = tuple[Color, Color, Style, float]
"""Background, colour, text style and opacity, as DOMNode.rich_style folds them."""


def fold(layers: list[StylesBase], start: Folded | None = None) -> Folded:
    """DOMNode.rich_style's walk down a node's ancestors, over any list of styles."""
    background, color, style, opacity = start or (
        Color(0, 0, 0, 0),
        Color(255, 255, 255, 0),
        Style(),
        1.0,
    )
    for styles in layers:
        opacity *= styles.opacity
        text_background = background
        if styles.has_rule("background"):
            tinted = styles.background.tint(styles.background_tint)
            text_background = background + tinted
            background += tinted.multiply_alpha(opacity)
        if styles.has_rule("color"):
            color = styles.color
        style += styles.text_style
        if styles.has_rule("auto_color") and styles.auto_color:
            color = text_background.get_contrast_text(color.a)
    return background, color, style, opacity


class Layers:
    """Rich styles of parts drawn over one another, as if each were a widget inside the
    one before (Textual styles a component class as a child of its widget, never of
    another component): a key's own cells over the bar, its key over those, as Footer,
    FooterKey and FooterKey's components were. `prefix` is the widget's component
    classes' ("app-footer--")."""

    def __init__(self, widget: Widget, prefix: str) -> None:
        self._widget = widget
        self._prefix = prefix
        self._cache: dict[tuple[str, ...], Style] = {}
        self._base = fold([node.styles for node in reversed(widget.ancestors_with_self)])

    def style(self, *names: str) -> Style:
        if names not in self._cache:
            parts = [self._widget.get_component_styles(f"{self._prefix}{n}") for n in names]
            background, color, style, _ = fold(parts, self._base)
            self._cache[names] = style + Style.from_color(
                (background + color).rich_color if (background.a or color.a) else None,
                background.rich_color if background.a else None,
            )
        return self._cache[names]
