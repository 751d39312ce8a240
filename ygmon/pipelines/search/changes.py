"""Change capture: the one call every writer of a searchable row makes after its write.

`index_changed(enqueue, entity, entity_id)` enqueues that entity's search-index update
(burst collapse and the task itself come with issue 10). The blog publisher, `ygmon
assets import` and the demo call it, so no writer can forget the index.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Enqueue = Callable[..., str]
"""JobRuntime.enqueue or JobContext.enqueue."""


def index_changed(enqueue: Enqueue, entity: str, entity_id: str, **_: Any) -> str | None:
    """Enqueue the index update of one entity; the job id, or None when none is needed.

    Until issue 10 registers `search-index-update`, there is nothing to enqueue.
    """
    return None
