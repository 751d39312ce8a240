"""Search: type to query the search index (results as you type), filter by entity; the
index's size per entity and the last full reindex (when, what it fixed) above.

The overview is polled like every data screen; a query runs in its own exclusive
worker after a short pause in typing, so a fast typist starts one search, not one
per key.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from ygmon.monitor.search_schemas import SearchHit, SearchIndexOverview, SearchResults
from ygmon.screens.export_action import start_export
from ygmon.screens.overview_search import index_line, reindex_line
from ygmon.screens.polled_screen import PolledScreen
from ygmon.screens.shared_keys import export_key
from ygmon.tui.age_ticker import tick_each_second
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [("entity", "Entity"), ("title", "Title"), ("snippet", "Match")]
ENTITIES = ["asset", "creator", "project", "license", "blog_post"]
DEBOUNCE = 0.25
"""Seconds of quiet typing before a search starts."""
LIMIT = 50
HINT = (
    "Type to search assets, creators, projects, licenses and blog posts: every word must "
    "match, the last may be a prefix. Only what the search jobs indexed is found."
)


def highlighted(snippet: str) -> Text:
    """The snippet with its «matched» words in bold, the markers dropped."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for i, part in enumerate(" ".join(snippet.split()).replace("»", "«").split("«")):
        text.append(part, style="bold reverse" if i % 2 else "")
    return text


class SearchScreen(PolledScreen):
    TITLE = "Search"
    CSS_PATH = "search.tcss"
    AUTO_FOCUS = "#search-input"
    BINDINGS = [
        Binding("slash", "focus_query", "Query", id="search.focus", show=False),
        # Out of the query box (where digits are text) to the hits, and the screen keys.
        Binding("escape", "focus_results", "Results", id="search.results"),
        export_key("search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None
        self.searches = 0
        """Finished searches (tests wait on it)."""
        self.searched_for = ""
        self._overview: SearchIndexOverview | None = None
        """The query of the last finished search: a test waits for the one it typed, as a
        pause between two keys on a busy machine can let the debounce search a prefix."""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Input(placeholder="search the index…", id="search-input")
            yield Select([(e, e) for e in ENTITIES], prompt="every entity", id="search-entity")
        yield Static("", id="search-index")
        yield Static("", id="search-reindex")
        yield KeyedTable(COLUMNS, free="snippet", id="search-results")
        yield EmptyState(HINT, id="search-empty")

    def action_focus_query(self) -> None:
        self.query_one("#search-input", Input).focus()

    def action_focus_results(self) -> None:
        self.query_one(KeyedTable).focus()

    def action_export(self) -> None:
        query = self.query_one("#search-input", Input).value
        choice = self.query_one("#search-entity", Select).value
        entity = None if choice is Select.NULL else str(choice)
        if not query.strip():
            self.notify("Type a query first: the export holds its hits.", title="Export")
            return

        async def hits(monitor) -> list[SearchHit]:
            return (await monitor.search(query, entity, LIMIT)).hits

        start_export(self, f"the hits of “{query.strip()[:40]}”", "search", SearchHit, hits)

    def on_mount(self) -> None:
        tick_each_second(self, self._show_reindex)

    def _show_reindex(self) -> None:
        """The last full reindex's age, from the overview last read (ticks, no fetch)."""
        if self._overview is not None:
            line = reindex_line(self._overview, self.now())
            self.query_one("#search-reindex", Static).update(Text(line))

    async def fetch(self) -> SearchIndexOverview:
        return await self.monitor.search_index_overview()

    def show(self, data: SearchIndexOverview) -> None:
        self._overview = data
        self.query_one("#search-index", Static).update(Text(index_line(data)))
        self._show_reindex()
        if not self.query_one("#search-input", Input).value.strip():
            self.query_one(EmptyState).set_shown(True)

    @on(Input.Changed, "#search-input")
    @on(Select.Changed, "#search-entity")
    def query_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self.run_search)

    @on(Input.Submitted, "#search-input")
    def search_at_once(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.run_search()

    @work(exclusive=True, exit_on_error=False, group="search")
    async def run_search(self) -> None:
        query = self.query_one("#search-input", Input).value
        choice = self.query_one("#search-entity", Select).value
        entity = None if choice is Select.NULL else str(choice)
        empty = self.query_one(EmptyState)
        table = self.query_one(KeyedTable)
        try:
            if not query.strip():
                results = SearchResults(query="", entity=entity)
            else:
                results = await self.monitor.search(query, entity, LIMIT)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a failed search says why, where the hits would be
            table.sync([])
            empty.update(Text(f"Search failed: {getattr(exc, 'message', None) or exc}"))
            empty.set_shown(True)
        else:
            table.sync(
                [
                    (f"{h.entity}:{h.id}", (h.entity, h.title, highlighted(h.snippet)))
                    for h in results.hits
                ]
            )
            if query != self.searched_for:
                # Other words, other hits: the best one is selected, not the row the
                # last query's selection happens to have moved to.
                table.move_cursor(row=0, animate=False)
            if not query.strip():
                empty.update(HINT)
            elif not results.hits:
                where = f" among {entity}s" if entity else ""
                empty.update(f"No match for “{query.strip()[:60]}”{where}.")
            empty.set_shown(not results.hits)
        self.searched_for = query
        self.searches += 1
