"""The child processes of bench/bench_tui.py, as code strings run with `python -c`: the
app's first paint, a bare Textual app's, and the app paging Logs."""

# (b)'s child prints one JSON line and exits. It builds the app the way `ygmon` does
# (make_monitor + YgmonApp) and drives it headless.
_APP_CHILD = """
import json, sys, time
from ygmon.app import YgmonApp
from ygmon.config import LocalProfile, Settings
from ygmon.monitor.factory import make_monitor
from ygmon.tui.ui_config import UiConfig

profile = LocalProfile(database_url=sys.argv[1], broker_url=sys.argv[2], namespace="benchtui")
app = YgmonApp(make_monitor(Settings("local", profile, None), live=True), target="bench",
               ui=UiConfig(auto_refresh=False, cursor_blink=False))
"""

# (a) launches the app the way the `ygmon` console script does (ygmon.cli.main, with a
# config file naming the demo database), so the figure counts the command line, the
# config and every import a user waits for. Only Textual's App.run is wrapped: headless,
# and exiting once the first poll's data is painted. A failed poll would also count as
# a poll, so the child reports whether the screen shows data and the bench checks it.
FIRST_PAINT = """
import os, sys
from textual.app import App

textual_run = App.run
shown = []

def run_to_first_data(app, *args, **kwargs):
    def painted():
        shown.append(not app.screen.has_class("-stale"))
        # To the fd: Textual captures sys.stdout while the app runs.
        os.write(1, b"painted\\n")
        app.exit()

    def laid_out():
        # show() mounts widgets (the Overview's queue tiles) that lay out a refresh
        # later: stop only after a refresh that followed the last of them.
        if any(not w.is_mounted for w in app.screen.walk_children()):
            app.call_after_refresh(laid_out)
        else:
            app.call_after_refresh(painted)

    def check():
        if getattr(app.screen, "polls", 0) > 0:
            app.call_after_refresh(laid_out)
        else:
            app.set_timer(0.005, check)

    app.call_later(check)
    return textual_run(app, headless=True, size=(120, 40))

App.run = run_to_first_data
from ygmon.cli import main
code = main(["--config", sys.argv[1], "--profile", "bench"])
print("painted data" if shown == [True] else f"no data painted: {shown}")
sys.exit(code)
"""

BARE = """
import os
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.painted)
    def painted(self):
        os.write(1, b"painted\\n")
        self.exit()
Bare().run(headless=True, size=(120, 40))
"""

PAGING = (
    _APP_CHILD
    + """
from ygmon.screens.logs import PAGE_SIZE
from ygmon.widgets.keyed_table import KeyedTable
PAGES = int(sys.argv[3])
async def drive():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await app.workers.wait_for_complete()
        most = 0
        for _ in range(PAGES):
            await pilot.press("pagedown")
            await pilot.pause()
            await app.workers.wait_for_complete()
            most = max(most, app.screen.query_one(KeyedTable).row_count)
        total = app.screen.total_pages
        page = app.screen.page
    import resource
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"page": page, "pages": total, "most_rows": most,
                      "page_size": PAGE_SIZE, "peak_kb": peak_kb}))
import asyncio
asyncio.run(drive())
"""
)
