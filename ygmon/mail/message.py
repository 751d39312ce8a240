"""Building a message: plain-text and HTML alternatives, a deterministic Message-ID."""

from __future__ import annotations

import html
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr


def domain_of(address: str) -> str:
    """The domain of a from-address ('ygmon <noreply@example.com>' -> 'example.com')."""
    _, addr = parseaddr(address)
    return addr.rpartition("@")[2] or "localhost"


def message_id(kind: str, key: str, from_address: str) -> str:
    """A Message-ID that is the same on every attempt for the same thing sent, so a copy
    the SMTP server accepted twice (see ygmon.pipelines.notifications.email) is
    recognisable by any mail system that looks."""
    return f"<{kind}.{key}@{domain_of(from_address)}>"


def build_message(
    *,
    from_address: str,
    to: str,
    subject: str,
    text: str,
    html_body: str | None = None,
    msg_id: str,
    date: datetime,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = from_address
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = msg_id
    msg["Date"] = format_datetime(date)
    msg.set_content(text)
    msg.add_alternative(
        html_body if html_body is not None else f"<pre>{html.escape(text)}</pre>", subtype="html"
    )
    return msg


def recipient(name: str | None, email: str) -> str:
    """'Name <email>' with the name quoted as the standard requires."""
    if not name:
        return email
    user, _, domain = email.rpartition("@")
    return str(Address(display_name=name, username=user, domain=domain))
