"""The app's side of alerts (a mixin of YgmonApp): a background check of the rules,
the header's firing count, and the bell and desktop notification when one starts."""

from __future__ import annotations

from typing import Any

from textual import work

from ygmon.errors import YgmonError
from ygmon.monitor.queue_control_schemas import AlertState
from ygmon.tui.alert_watch import ALERT_EVERY, AlertWatch, notification_text, osc9


class AlertChecks:
    """Needs App's `monitor`, `ui`, `screen`, `set_interval`, `bell`, `_driver`."""

    alert_watch: AlertWatch
    sent_notifications: list[str]
    """Every desktop notification sent (also headless, where nothing is written)."""

    def start_alert_checks(self: Any) -> None:
        """Check the current profile's rules from now on (again after a profile switch:
        the old profile's firing alerts leave the header, the new one's rules apply)."""
        restarting = hasattr(self, "alert_watch")
        timer = getattr(self, "_alert_timer", None)
        if timer is not None:
            timer.stop()
        self._alert_timer = None
        self.alert_watch = AlertWatch()
        if not restarting:
            self.sent_notifications = []
        elif (header_update := getattr(self.screen, "update_header", None)) is not None:
            header_update()
        profile = getattr(self.monitor, "profile", None)
        if not (getattr(profile, "alerts", None) or getattr(profile, "slo", None)):
            return
        self.check_alerts()
        if self.ui.auto_refresh:
            self._alert_timer = self.set_interval(ALERT_EVERY, self.check_alerts)

    @work(exclusive=True, exit_on_error=False, group="alerts")
    async def check_alerts(self: Any) -> None:
        try:
            states = await self.monitor.alerts()
        except YgmonError:
            return  # the screens' banner says why the backend does not answer
        self.take_alert_states(states)

    def take_alert_states(self: Any, states: list[AlertState]) -> None:
        """A check's answer (from the background check or the Alerts screen)."""
        started = self.alert_watch.update(states)
        header_update = getattr(self.screen, "update_header", None)
        if header_update is not None:
            header_update()
        if started:
            self.bell()
            self.desktop_notify(notification_text(started))

    def desktop_notify(self: Any, text: str) -> None:
        self.sent_notifications.append(text)
        if not self.is_headless and self._driver is not None:
            self._driver.write(osc9(text))
            self._driver.flush()
