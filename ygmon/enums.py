"""Enumerations named by docs/CONTRACT.md (stored as plain strings by ygmon.db).

Kept outside ygmon.db so the API models and the remote client use them without
loading SQLAlchemy. Every value is its member's name, as the contract spells it.
"""

from __future__ import annotations

from enum import StrEnum, auto


class _Named(StrEnum):
    """A string enumeration whose values are its members' names."""

    @staticmethod
    def _generate_next_value_(name: str, _start: int, _count: int, _last: list[str]) -> str:
        return name


class UserRole(_Named):
    ADMIN = auto()
    CREATOR = auto()
    BRAND = auto()
    VIEWER = auto()


class AggregationJobStatus(_Named):
    RUNNING = auto()
    COMPLETED = auto()
    FAILED = auto()
    PARTIAL = auto()


class AssetType(_Named):
    IMAGE = auto()
    VIDEO = auto()
    AUDIO = auto()
    DOCUMENT = auto()
    THREE_D = auto()
    OTHER = auto()


class ScanStatus(_Named):
    PENDING = auto()
    SCANNING = auto()
    CLEAN = auto()
    INFECTED = auto()
    ERROR = auto()


class LicenseStatus(_Named):
    DRAFT = auto()
    PENDING_APPROVAL = auto()
    ACTIVE = auto()
    EXPIRED = auto()
    TERMINATED = auto()


class ProjectStatus(_Named):
    DRAFT = auto()
    ACTIVE = auto()
    COMPLETED = auto()
    ARCHIVED = auto()


class BlogPostStatus(_Named):
    DRAFT = auto()
    SCHEDULED = auto()
    PUBLISHED = auto()
    ARCHIVED = auto()


class DigestFrequency(_Named):
    """IMMEDIATE is the default; DAILY 09:00 UTC; WEEKLY Monday 09:00 UTC (docs/CONTRACT.md)."""

    IMMEDIATE = auto()
    DAILY = auto()
    WEEKLY = auto()
    NEVER = auto()


class NotificationPriority(_Named):
    LOW = auto()
    MEDIUM = auto()
    HIGH = auto()
    URGENT = auto()
