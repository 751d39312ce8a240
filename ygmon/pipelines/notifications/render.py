"""The e-mails themselves: one notification, or a digest of several."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from email.message import Message
from typing import Protocol

from ygmon.mail.message import build_message, message_id, recipient


class NotificationLike(Protocol):
    id: str
    type: str
    title: str
    message: str
    action_url: str | None


def notification_message_id(notification_id: str, from_address: str) -> str:
    return message_id("notification", notification_id, from_address)


def digest_message_id(frequency: str, period: datetime, user_id: str, from_address: str) -> str:
    key = f"{frequency.lower()}.{period:%Y%m%dT%H%M}.{user_id}"
    return message_id("digest", key, from_address)


def _text_item(n: NotificationLike) -> str:
    lines = [f"[{n.type}] {n.title}", n.message]
    if n.action_url:
        lines.append(n.action_url)
    return "\n".join(lines)


def _html_item(n: NotificationLike) -> str:
    link = f' <a href="{html.escape(n.action_url, quote=True)}">Open</a>' if n.action_url else ""
    return (
        f"<li><strong>{html.escape(n.title)}</strong> <small>{html.escape(n.type)}</small>"
        f"<p>{html.escape(n.message)}{link}</p></li>"
    )


def notification_email(
    n: NotificationLike, *, to_email: str, to_name: str | None, from_address: str, now: datetime
) -> Message:
    return build_message(
        from_address=from_address,
        to=recipient(to_name, to_email),
        subject=n.title,
        text=_text_item(n) + "\n",
        html_body=f"<ul>{_html_item(n)}</ul>",
        msg_id=notification_message_id(n.id, from_address),
        date=now,
    )


def digest_email(
    items: Sequence[NotificationLike],
    *,
    frequency: str,
    period: datetime,
    user_id: str,
    to_email: str,
    to_name: str | None,
    from_address: str,
    now: datetime,
) -> Message:
    word = "daily" if frequency.upper() == "DAILY" else "weekly"
    count = len(items)
    subject = f"Your {word} digest: {count} unread notification{'s' if count != 1 else ''}"
    text = "\n\n".join(_text_item(n) for n in items) + "\n"
    body = "".join(_html_item(n) for n in items)
    return build_message(
        from_address=from_address,
        to=recipient(to_name, to_email),
        subject=subject,
        text=text,
        html_body=f"<h1>{html.escape(subject)}</h1><ul>{body}</ul>",
        msg_id=digest_message_id(frequency, period, user_id, from_address),
        date=now,
    )
