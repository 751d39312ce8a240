"""Profile keys about how the app presents a profile, kept apart from config.py's
connection settings: the header colour (so no one mistakes prod) and where exports go.

Imported by config.py, which declares the keys on both profile kinds; stdlib only, as
every command reads the config first.
"""

from __future__ import annotations

import re

COLOURS = ("red", "orange", "yellow", "green", "cyan", "blue", "magenta", "purple", "grey")
"""Named colours a profile may carry; each is a colour name Textual and Rich both know."""
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
COLOUR_WORDS = f"one of {', '.join(COLOURS)} or a #rrggbb hex colour"


def valid_colour(value: object) -> bool:
    return isinstance(value, str) and (value in COLOURS or bool(_HEX.match(value)))


def header_colour(colour: str) -> str:
    """The colour as Textual parses it ('grey' is spelt 'gray' there)."""
    return "gray" if colour == "grey" else colour
