"""Building a message: plain-text and HTML alternatives, a deterministic Message-ID."""

from __future__ import annotations

import html
from datetime import datetime
from email import charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr

_UTF8_QP = charset.Charset("utf-8")
_UTF8_QP.body_encoding = charset.QP


def domain_of(address: str) -> str:
    """The domain of a from-address ('ygmon <noreply@example.com>' -> 'example.com')."""
    _, addr = parseaddr(address)
    return addr.rpartition("@")[2] or "localhost"


def message_id(kind: str, key: str, from_address: str) -> str:
    """A Message-ID that is the same on every attempt for the same thing sent, so a copy
    the SMTP server accepted twice (see ygmon.pipelines.notifications.email) is
    recognisable by any mail system that looks."""
    return f"<{kind}.{key}@{domain_of(from_address)}>"


def _text_part(body: str, subtype: str) -> MIMEText:
    """ASCII as 7bit; anything else as quoted-printable UTF-8, which every server takes
    (8bit needs the server's 8BITMIME, base64 hides the text from a human reader)."""
    part = MIMEText(body, subtype, "us-ascii" if body.isascii() else _UTF8_QP)
    del part["MIME-Version"]  # said once, by the whole message
    return part


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def _address(value: str) -> str:
    name, addr = parseaddr(value)
    return recipient(name, addr) if addr else value


def build_message(
    *,
    from_address: str,
    to: str,
    subject: str,
    text: str,
    html_body: str | None = None,
    msg_id: str,
    date: datetime,
) -> Message:
    """A multipart/alternative message, plain text then HTML.

    Built with the package's MIME classes (email.mime) rather than EmailMessage: those
    parse every header they are given, a millisecond or two per message, which cost
    more than the SMTP exchange itself (bench/bench_notifications.py). Receivers parse
    both alike.
    """
    msg = MIMEMultipart("alternative")
    msg["From"] = _address(from_address)
    msg["To"] = _address(to)
    msg["Subject"] = _header(subject)
    msg["Message-ID"] = msg_id
    msg["Date"] = format_datetime(date)
    msg.attach(_text_part(text, "plain"))
    msg.attach(
        _text_part(
            html_body if html_body is not None else f"<pre>{html.escape(text)}</pre>", "html"
        )
    )
    return msg


def recipient(name: str | None, email: str) -> str:
    """'Name <email>', the name quoted (and encoded, when not ASCII) as the standard
    requires."""
    if not name:
        return email
    return formataddr((name, email), charset="utf-8")


def message_bytes(message: Message) -> bytes:
    """The message as it goes over the wire (CRLF line ends)."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
