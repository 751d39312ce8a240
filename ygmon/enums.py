"""Enumerations named by docs/CONTRACT.md (stored as plain strings by ygmon.db).

Kept outside ygmon.db so the API models and the remote client use them without
loading SQLAlchemy.
"""

from __future__ import annotations

import enum


class UserRole(enum.StrEnum):
    ADMIN = "ADMIN"
    CREATOR = "CREATOR"
    BRAND = "BRAND"
    VIEWER = "VIEWER"


class AggregationJobStatus(enum.StrEnum):
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    PARTIAL = "PARTIAL"


class AssetType(enum.StrEnum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    AUDIO = "AUDIO"
    DOCUMENT = "DOCUMENT"
    THREE_D = "THREE_D"
    OTHER = "OTHER"


class ScanStatus(enum.StrEnum):
    PENDING = "PENDING"
    SCANNING = "SCANNING"
    CLEAN = "CLEAN"
    INFECTED = "INFECTED"
    ERROR = "ERROR"


class LicenseStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    TERMINATED = "TERMINATED"


class ProjectStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    ARCHIVED = "ARCHIVED"


class BlogPostStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class DigestFrequency(enum.StrEnum):
    """IMMEDIATE is the default; DAILY 09:00 UTC; WEEKLY Monday 09:00 UTC (docs/CONTRACT.md)."""

    IMMEDIATE = "IMMEDIATE"
    DAILY = "DAILY"
    WEEKLY = "WEEKLY"
    NEVER = "NEVER"


class NotificationPriority(enum.StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    URGENT = "URGENT"
