"""Demo users of every role, their creator profiles, notification preferences and inbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ygmon.db.models import DigestFrequency, NotificationPriority, UserRole
from ygmon.demo import vocabulary as words
from ygmon.demo.context import SeedContext

# How many users of each role; the first admin is the one a demo token is made for.
_DAY = timedelta(days=1)

ROLE_COUNTS = {UserRole.ADMIN: 2, UserRole.CREATOR: 8, UserRole.BRAND: 4, UserRole.VIEWER: 16}


@dataclass
class People:
    users: list[dict[str, Any]]
    creators: list[dict[str, Any]]
    preferences: list[dict[str, Any]]

    def ids(self, role: UserRole) -> list[str]:
        return [u["id"] for u in self.users if u["role"] == role]

    def role_of(self, user_id: str) -> UserRole:
        return next(u["role"] for u in self.users if u["id"] == user_id)


def make_people(ctx: SeedContext) -> People:
    users: list[dict[str, Any]] = []
    names = iter(
        ctx.rng.sample(
            [(f, last) for f in words.FIRST_NAMES for last in words.LAST_NAMES],
            sum(ROLE_COUNTS.values()),
        )
    )
    for role, count in ROLE_COUNTS.items():
        for _ in range(count):
            first, last = next(names)
            joined = ctx.ago(days=ctx.rng.uniform(40, 400))
            users.append(
                {
                    "id": ctx.new_id(),
                    "email": f"{first}.{last}@{_domain(role)}".lower(),
                    "name": f"{first} {last}",
                    "role": role,
                    "country": ctx.weighted(words.PLACES, words.PLACE_WEIGHTS)[0],
                    "created_at": joined,
                    "updated_at": joined,
                }
            )
    return People(users, _creators(ctx, users), _preferences(ctx, users))


def _domain(role: UserRole) -> str:
    return {
        UserRole.ADMIN: "ygmon.example",
        UserRole.BRAND: "brand.example",
    }.get(role, "mail.example")


def _creators(ctx: SeedContext, users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stage_names = ctx.rng.sample(
        [f"{w} {s}" for w in words.STAGE_WORDS for s in words.STAGE_SUFFIXES], len(users)
    )
    rows = []
    for user, stage in zip(
        (u for u in users if u["role"] == UserRole.CREATOR), stage_names, strict=False
    ):
        specialties = ctx.rng.sample(words.SPECIALTIES, 2)
        rows.append(
            {
                "id": ctx.new_id(),
                "user_id": user["id"],
                "stage_name": stage,
                "bio": f"{user['name']} works in {specialties[0]} and {specialties[1]}.",
                "specialties": specialties,
                "created_at": user["created_at"],
                "updated_at": user["created_at"],
            }
        )
    return rows


def _preferences(ctx: SeedContext, users: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Cycle through the frequencies so each one has users (the digest jobs select by it),
    # with IMMEDIATE, the default, the most common.
    cycle = [
        DigestFrequency.IMMEDIATE,
        DigestFrequency.DAILY,
        DigestFrequency.IMMEDIATE,
        DigestFrequency.WEEKLY,
        DigestFrequency.NEVER,
    ]
    rows = []
    for i, user in enumerate(users):
        frequency = cycle[i % len(cycle)]
        last_sent = None
        if frequency == DigestFrequency.DAILY:
            last_sent = _last_nine_utc(ctx)
        elif frequency == DigestFrequency.WEEKLY:
            last_sent = _last_monday_nine_utc(ctx)
        rows.append(
            {
                "id": ctx.new_id(),
                "user_id": user["id"],
                "digest_frequency": frequency,
                "email_enabled": frequency != DigestFrequency.NEVER,
                "enabled_types": ["LICENSE", "PAYOUT", "ROYALTY", "PROJECT", "MESSAGE", "SYSTEM"],
                "last_digest_sent_at": last_sent,
                "created_at": user["created_at"],
                "updated_at": user["created_at"],
            }
        )
    return rows


def _last_nine_utc(ctx: SeedContext) -> datetime:
    nine = ctx.now.replace(hour=9, minute=0, second=2, microsecond=0)
    return nine if nine <= ctx.now else nine - _DAY


def _last_monday_nine_utc(ctx: SeedContext) -> datetime:
    nine = ctx.now.replace(hour=9, minute=0, second=2, microsecond=0)
    nine -= _DAY * nine.weekday()
    return nine if nine <= ctx.now else nine - _DAY * 7


def make_notifications(
    ctx: SeedContext, people: People, asset_titles: list[str], project_titles: list[str]
) -> list[dict[str, Any]]:
    """About two weeks of inbox: older ones mostly read, newer ones mostly not."""
    brands = [u["name"] for u in people.users if u["role"] == UserRole.BRAND]
    recipients = [
        u for u in people.users if u["role"] in (UserRole.CREATOR, UserRole.BRAND, UserRole.ADMIN)
    ]
    priorities = list(NotificationPriority)
    rows = []
    for _ in range(72):
        user = ctx.choice(recipients)
        kind, title, template = ctx.choice(words.NOTIFICATION_KINDS)
        created = ctx.ago(hours=ctx.rng.uniform(0.1, 24 * 14))
        age_hours = (ctx.now - created).total_seconds() / 3600
        read = ctx.rng.random() < min(0.95, age_hours / 72)
        message = template.format(
            brand=ctx.choice(brands),
            asset=ctx.choice(asset_titles),
            project=ctx.choice(project_titles),
            amount=f"{ctx.rng.randint(40, 2400)}.00",
        )
        rows.append(
            {
                "id": ctx.new_id(),
                "user_id": user["id"],
                "type": kind,
                "title": title,
                "message": message,
                "action_url": f"/{kind.lower()}s" if kind != "SYSTEM" else None,
                "priority": ctx.weighted(priorities, (3, 10, 4, 1)),
                "read": read,
                "read_at": ctx.between(created, ctx.now) if read else None,
                "emailed_at": created if ctx.rng.random() < 0.6 else None,
                "digested_at": None,
                "data": {"kind": kind},
                "created_at": created,
                "updated_at": created,
            }
        )
    rows.sort(key=lambda r: r["created_at"])
    return rows
