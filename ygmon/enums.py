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
    ADMIN, CREATOR, BRAND, VIEWER = auto(), auto(), auto(), auto()


class AggregationJobStatus(_Named):
    RUNNING, COMPLETED, FAILED, PARTIAL = auto(), auto(), auto(), auto()


class AssetType(_Named):
    IMAGE, VIDEO, AUDIO, DOCUMENT, THREE_D, OTHER = auto(), auto(), auto(), auto(), auto(), auto()


class ScanStatus(_Named):
    PENDING, SCANNING, CLEAN, INFECTED, ERROR = auto(), auto(), auto(), auto(), auto()


class LicenseStatus(_Named):
    DRAFT, PENDING_APPROVAL, ACTIVE, EXPIRED, TERMINATED = auto(), auto(), auto(), auto(), auto()


class ProjectStatus(_Named):
    DRAFT, ACTIVE, COMPLETED, ARCHIVED = auto(), auto(), auto(), auto()


class BlogPostStatus(_Named):
    DRAFT, SCHEDULED, PUBLISHED, ARCHIVED = auto(), auto(), auto(), auto()


class DigestFrequency(_Named):
    """IMMEDIATE is the default; DAILY 09:00 UTC; WEEKLY Monday 09:00 UTC (docs/CONTRACT.md)."""

    IMMEDIATE, DAILY, WEEKLY, NEVER = auto(), auto(), auto(), auto()


class NotificationPriority(_Named):
    LOW, MEDIUM, HIGH, URGENT = auto(), auto(), auto(), auto()
