"""Names the dead-code check (vulture, run by `make test`) cannot see used.

Each is read by another program, not by ygmon's code: table columns the platform reads
and writes, contract values and JSON fields ygmon sends but never reads back, a
screen the app loads by name, and a field of a Textual event that Textual reads.
Framework hooks are matched by name or decorator in pyproject.toml's [tool.vulture]
instead. vulture only parses this file.
"""

from textual.events import ScreenResume

from ygmon.api.models import Envelope, ErrorBody, PageEnvelope
from ygmon.db.models import (
    AnalyticsEvent,
    BlogPost,
    Creator,
    DigestRun,
    IpAsset,
    License,
    MonthlyMetric,
    Notification,
    NotificationDigest,
    Project,
    WeeklyMetric,
)
from ygmon.enums import AssetType, NotificationPriority, ScanStatus
from ygmon.monitor.coverage_schemas import AggregationCoverage, CoveragePeriod
from ygmon.monitor.queue_control_schemas import ScheduleInfo
from ygmon.monitor.schemas import DigestRuns, SearchIndexStats
from ygmon.screens.search import SearchScreen

# The platform's columns (docs/CONTRACT.md), kept in the schema ygmon shares with it.
AnalyticsEvent.project_id
AnalyticsEvent.referrer
IpAsset.project_id
Creator.stage_name
Creator.bio
Project.brand_id
Project.budget_cents
License.brand_id
License.project_id
License.license_type
BlogPost.excerpt
Notification.read_at
WeeklyMetric.week_start
MonthlyMetric.month_start
# ygmon's own columns, kept for the people who query the tables.
NotificationDigest.notification_count
DigestRun.started_by

# Contract values the code never names (docs/CONTRACT.md#previews, #notifications).
AssetType.DOCUMENT
AssetType.THREE_D
AssetType.OTHER
ScanStatus.SCANNING
NotificationPriority.LOW
NotificationPriority.URGENT

# JSON fields sent and never read back by ygmon (docs/CONTRACT.md#endpoints).
Envelope.success
PageEnvelope.success
ErrorBody.success
SearchIndexStats.realtime
DigestRuns.last_weekly_run
DigestRuns.next_weekly_run
CoveragePeriod.last_run_id
AggregationCoverage.as_of
ScheduleInfo.last_error

# Loaded by name (ygmon.app's screen table).
SearchScreen

# Set by PolledScreen.on_screen_resume, read by Textual's Screen._on_screen_resume.
ScreenResume.refresh_styles
