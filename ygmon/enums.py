"""Enumerations named by docs/CONTRACT.md (stored as plain strings by ygmon.db).

Kept outside ygmon.db so the API models and the remote client use them without
loading SQLAlchemy. Every value is its member's name, as the contract spells it.
"""

from __future__ import annotations

import enum


class _Named(enum.StrEnum):
    """A string enumeration whose values are its members' names."""

    @staticmethod
    def _generate_next_value_(name: str, _start: int, _count: int, _last: list[str]) -> str:
        return name


def _named(name: str, members: str) -> type[_Named]:
    return _Named(name, members, module=__name__, qualname=name)


UserRole = _named("UserRole", "ADMIN CREATOR BRAND VIEWER")
AggregationJobStatus = _named("AggregationJobStatus", "RUNNING COMPLETED FAILED PARTIAL")
AssetType = _named("AssetType", "IMAGE VIDEO AUDIO DOCUMENT THREE_D OTHER")
ScanStatus = _named("ScanStatus", "PENDING SCANNING CLEAN INFECTED ERROR")
LicenseStatus = _named("LicenseStatus", "DRAFT PENDING_APPROVAL ACTIVE EXPIRED TERMINATED")
ProjectStatus = _named("ProjectStatus", "DRAFT ACTIVE COMPLETED ARCHIVED")
BlogPostStatus = _named("BlogPostStatus", "DRAFT SCHEDULED PUBLISHED ARCHIVED")
# IMMEDIATE is the default; DAILY 09:00 UTC; WEEKLY Monday 09:00 UTC (docs/CONTRACT.md).
DigestFrequency = _named("DigestFrequency", "IMMEDIATE DAILY WEEKLY NEVER")
NotificationPriority = _named("NotificationPriority", "LOW MEDIUM HIGH URGENT")
