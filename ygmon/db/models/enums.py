"""The domain enumerations, re-exported where the models live (defined in ygmon.enums)."""

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
    "AggregationJobStatus",
    "AssetType",
    "BlogPostStatus",
    "DigestFrequency",
    "LicenseStatus",
    "NotificationPriority",
    "ProjectStatus",
    "ScanStatus",
    "UserRole",
]
