"""The Mailer interface and the profile's choice of one.

Like Django's e-mail backends: `smtp` sends through the profile's server, `outbox` (the
local default) writes each message to a folder as an .eml file instead.
"""

from __future__ import annotations

from email.message import Message
from typing import TYPE_CHECKING, Protocol

from ygmon.errors import ConfigError

if TYPE_CHECKING:
    from ygmon.config import LocalProfile

MAIL_BACKENDS = ("outbox", "smtp")
SMTP_SECURITY = ("starttls", "tls", "none")


class Mailer(Protocol):
    def send(self, message: Message) -> None:
        """Hand `message` over; returns once the server (or the outbox) accepted it."""

    def close(self) -> None: ...


def check_mail_settings(profile: LocalProfile) -> None:
    """ConfigError (one line) for a mail setting no backend accepts."""
    if profile.mail_backend not in MAIL_BACKENDS:
        raise ConfigError(
            f"config error: mail_backend expects one of {', '.join(MAIL_BACKENDS)}, "
            f"got {profile.mail_backend!r}"
        )
    if profile.smtp_security not in SMTP_SECURITY:
        raise ConfigError(
            f"config error: smtp_security expects one of {', '.join(SMTP_SECURITY)}, "
            f"got {profile.smtp_security!r}"
        )


def open_mailer(profile: LocalProfile) -> Mailer:
    """The Mailer the profile's `mail_backend` names."""
    check_mail_settings(profile)
    if profile.mail_backend == "outbox":
        from ygmon.mail.outbox import OutboxMailer

        return OutboxMailer(profile.outbox_dir)
    from ygmon.mail.breaker import open_breaker
    from ygmon.mail.smtp import SmtpMailer

    return SmtpMailer.from_profile(profile, open_breaker(profile))
