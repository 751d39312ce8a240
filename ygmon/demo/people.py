"""Demo users of every role, their creator profiles, notification preferences and inbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ygmon.db.models import DigestFrequency, NotificationPriority, UserRole
from ygmon.demo import vocabulary as words
from ygmon.demo.context import SeedContext
from ygmon.pipelines.notifications.preferences import NOTIFICATION_TYPES

# How many users of each role; the first admin is the one a demo token is made for.

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
        rows.append(
            {
                "id": ctx.new_id(),
                "user_id": user["id"],
                "digest_frequency": frequency,
                "email_enabled": frequency != DigestFrequency.NEVER,
                # Every type, BLOG included (the scheduled posts notify their authors).
                "enabled_types": list(NOTIFICATION_TYPES),
                # No last digest: that is the digest job's output, not seed data.
                "last_digest_sent_at": None,
                "created_at": user["created_at"],
                "updated_at": user["created_at"],
            }
        )
    return rows


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
                # emailed_at and digested_at stay unset: the delivery and digest jobs
                # write them (the demo's live notifications go through them).
                "emailed_at": None,
                "digested_at": None,
                "data": {"kind": kind},
                "created_at": created,
                "updated_at": created,
            }
        )
    rows.sort(key=lambda r: r["created_at"])
    return rows
