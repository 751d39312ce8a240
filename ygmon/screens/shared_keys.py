"""The keys several screens bind to the same action: one key, action and label each, so
they stay alike across screens. Ids are `<screen>.<what>`, for keymaps."""

from __future__ import annotations

from textual.binding import Binding


def export_key(screen: str) -> Binding:
    return Binding("e", "export", "Export", id=f"{screen}.export", show=False)


def copy_id_key(screen: str, show: bool = False) -> Binding:
    return Binding("c", "copy_id", "Copy id", id=f"{screen}.copy", show=show)


def search_key(screen: str) -> Binding:
    return Binding("slash", "search", "Search", id=f"{screen}.search", key_display="/", show=False)


def back_key(screen: str, action: str = "back", show: bool = True) -> Binding:
    return Binding("escape", action, "Back", id=f"{screen}.back", show=show)
