"""Alerts: every rule of the profile applied to each of its queues or schedules, the
firing ones first; the header shows the firing count on every screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Label

from ygmon.monitor.queue_control_schemas import AlertState
from ygmon.screens.polled_screen import PolledScreen
from ygmon.widgets.empty_state import EmptyState
from ygmon.widgets.keyed_table import KeyedTable

COLUMNS = [("state", "State"), ("kind", "Rule"), ("subject", "Queue or task"), ("why", "Why")]


class AlertsScreen(PolledScreen):
    TITLE = "Alerts"

    def compose_body(self) -> ComposeResult:
        yield Label("", id="alerts-summary", classes="screen-title")
        yield KeyedTable(COLUMNS, id="alerts-table")
        yield EmptyState(
            "This profile has no alert rules. Add an [profiles.NAME.alerts] table "
            "(config.example.toml shows each rule): failure_rate, oldest_waiting, "
            "no_worker, schedule_missed, paused_too_long; a [profiles.NAME.slo] table "
            "adds latency_burn.",
            id="alerts-empty",
            markup=False,
        )

    async def fetch(self) -> list[AlertState]:
        return await self.monitor.alerts()

    def show(self, data: list[AlertState]) -> None:
        take = getattr(self.app, "take_alert_states", None)
        if take is not None:
            take(data)
        # Keyed by the rule's place, so a row keeps its key when the order changes.
        ordered = sorted(enumerate(data), key=lambda pair: not pair[1].firing)
        firing = sum(s.firing for s in data)
        self.query_one("#alerts-summary", Label).update(
            f"{firing} of {len(data)} checks firing" if data else "Alerts"
        )
        self.query_one(KeyedTable).sync(
            [
                (
                    f"{i}:{s.key}",
                    (
                        Text("FIRING", style="bold reverse") if s.firing else "ok",
                        s.kind.replace("_", " "),
                        s.subject,
                        s.message,
                    ),
                )
                for i, s in ordered
            ]
        )
        self.query_one(EmptyState).set_shown(not data)
