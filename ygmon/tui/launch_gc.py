"""CPython's garbage collector while `ygmon` opens its first screen.

The launch makes most of what the app's process keeps for its whole life: modules,
classes, models, styles, widgets. The collector, triggered by the allocations
themselves, walks that growing heap over and over while it is built: on the demo,
about 190 collections before the first screen shows data, a tenth of the launch's
time, and together they free under 3,000 objects. So the `ygmon` command pauses
the collector when it starts, and the end of the first screen's first poll (with data or
failed) resumes it: what the launch made is frozen first (`gc.freeze`: later collections
skip it, and the few cycles the launch left behind stay), then collection goes on as
usual for everything the app allocates after.

Only the command pauses: an app built by a test or another program keeps its
collector as it is, and `resume` leaves a collector it did not pause alone.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop automatic collection until `resume` (a collector already off stays off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what was made since `pause` and collect again; nothing if not paused."""
    global _paused
    if not _paused:
        return
    _paused = False
    gc.freeze()
    gc.enable()
