"""Every table of ygmon's database; importing this registers them all on Base.metadata."""

from ygmon.db.models.aggregation_claims import AggregationCatchupClaim
from ygmon.db.models.aggregation_log import (
    MetricsAggregationJobsLog,
    MetricsAggregationJobsLogCount,
)
from ygmon.db.models.analytics import AnalyticsEvent
from ygmon.db.models.assets import IpAsset
from ygmon.db.models.audit import AuditEntry
from ygmon.db.models.content import BlogPost, Creator, License, Project
from ygmon.db.models.deliveries import DigestRun, NotificationDigest, NotificationEmail
from ygmon.db.models.metrics import DailyMetric, HourlyMetric, MonthlyMetric, WeeklyMetric
from ygmon.db.models.notifications import Notification, NotificationPreference
from ygmon.db.models.users import User
from ygmon.enums import (
    AggregationJobStatus,
    AssetType,
    BlogPostStatus,
    DigestFrequency,
    LicenseStatus,
    NotificationPriority,
    ProjectStatus,
    ScanStatus,
    UserRole,
)

__all__ = [
    "AggregationCatchupClaim",
    "AggregationJobStatus",
    "AnalyticsEvent",
    "AssetType",
    "AuditEntry",
    "BlogPost",
    "BlogPostStatus",
    "Creator",
    "DailyMetric",
    "DigestFrequency",
    "DigestRun",
    "HourlyMetric",
    "IpAsset",
    "License",
    "LicenseStatus",
    "MetricsAggregationJobsLog",
    "MetricsAggregationJobsLogCount",
    "MonthlyMetric",
    "Notification",
    "NotificationDigest",
    "NotificationEmail",
    "NotificationPreference",
    "NotificationPriority",
    "Project",
    "ProjectStatus",
    "ScanStatus",
    "User",
    "UserRole",
    "WeeklyMetric",
]
